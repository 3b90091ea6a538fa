package dev.tether.ws.cli;

/** One line about a failure, for people: the message, and the root cause when it adds to it. */
public final class Errors {
    private Errors() {
    }

    public static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        String text = text(t);
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != t && root.getMessage() != null && !text.contains(root.getMessage())) {
            text += " (" + text(root) + ")";
        }
        return text;
    }

    private static String text(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
