package dev.tether.ws.cli;

/** What {@code wsc} tells its caller with its exit status; listed in {@code --help} and the README. */
public final class ExitCode {
    /** Done: the connection ended normally (1000 or 1001), or the server stopped cleanly. */
    public static final int OK = 0;
    /** Could not connect: refused, unknown host, timeout, TLS failure, handshake refused. */
    public static final int CONNECT_FAILED = 1;
    /** Bad usage: an unknown option, a bad value, a bad URL, a missing or unreadable file. */
    public static final int USAGE = 2;
    /** Connected, then the connection ended abnormally: a close code other than 1000/1001, or none. */
    public static final int CLOSED_ABNORMALLY = 3;
    /** Interrupted (Ctrl-C, SIGINT): 128 + 2, as shells report it. */
    public static final int INTERRUPTED = 130;

    /** The table printed by {@code --help}. */
    static final String TABLE = """
              0    ok: closed normally (1000 or 1001)
              1    could not connect: refused, unknown host, timeout, TLS, handshake refused
              2    bad usage: unknown option, bad value, bad URL, missing or bad file
              3    the connection ended abnormally: another close code, or dropped without one
            130    interrupted (Ctrl-C)
            """;

    private ExitCode() {
    }
}
