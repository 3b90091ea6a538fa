package dev.tether.ws.codec.internal;

/**
 * Character rules of HTTP/1.1 message syntax (RFC 7230 section 3.2) shared by the handshake
 * parser, writer and validators. Stateless.
 */
public final class HttpSyntax {
    private static final int MAX_QUOTED = 80;

    private HttpSyntax() {
    }

    /** {@code tchar}, RFC 7230 section 3.2.6: visible ASCII except the delimiters. */
    public static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7F && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    /** {@code token = 1*tchar}, RFC 7230 section 3.2.6. */
    public static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Optional whitespace, {@code OWS = *( SP / HTAB )}, RFC 7230 section 3.2.3. */
    public static boolean isOws(int c) {
        return c == ' ' || c == '\t';
    }

    /**
     * Index of the first character that may not appear in a field value, or -1. RFC 7230
     * section 3.2 allows VCHAR, SP, HTAB and obs-text (0x80-0xFF); every other control
     * character is refused, CR and LF above all since they would end the line and let the rest
     * of the value be read as another header (header injection). Characters above 0xFF cannot
     * be written as the single octet the wire format needs.
     */
    public static int firstInvalidValueChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                return i;
            }
        }
        return -1;
    }

    /** The value without the optional whitespace around it (RFC 7230 section 3.2.4). */
    public static String trimOws(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isOws(s.charAt(start))) {
            start++;
        }
        while (end > start && isOws(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /**
     * The text in double quotes for an error message, control characters escaped as \xNN and
     * cut after 80 characters, so that peer-supplied bytes cannot garble a log line.
     */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_QUOTED) + 8).append('"');
        for (int i = 0; i < s.length(); i++) {
            if (i == MAX_QUOTED) {
                out.append("...");
                break;
            }
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                out.append(String.format("\\x%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
