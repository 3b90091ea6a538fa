package dev.tether.ws.cli;

/** A bad command line or a bad file named on it: {@code wsc} prints the message and exits with 2. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
