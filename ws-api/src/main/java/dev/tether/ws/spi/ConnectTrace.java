package dev.tether.ws.spi;

/**
 * When each step of one connect ended, for the engine's connect event (JFR
 * {@code dev.tether.ws.Connect}): a transport marks name resolution, TCP and TLS as it finishes
 * them. A step not marked (a transport that does not, or an IP literal) counts as taking no time.
 *
 * <p>Marked by the connecting thread, read by the engine after {@link Transport#open} returned.
 */
public final class ConnectTrace {
    private final long startNanos = System.nanoTime();
    private volatile long resolved;
    private volatile long connected;
    private volatile long secured;

    /** The host's addresses are known. */
    public void resolved() {
        resolved = System.nanoTime();
    }

    /** TCP is connected (through the proxy, if any). */
    public void connected() {
        connected = System.nanoTime();
    }

    /** The TLS handshake is done. */
    public void secured() {
        secured = System.nanoTime();
    }

    public long startNanos() {
        return startNanos;
    }

    /** Nanoseconds spent resolving the name. */
    public long dnsNanos() {
        return span(startNanos, resolved);
    }

    /** Nanoseconds from the addresses to a connected socket. */
    public long tcpNanos() {
        return span(at(startNanos, resolved), connected);
    }

    /** Nanoseconds of the TLS handshake. */
    public long tlsNanos() {
        return span(at(at(startNanos, resolved), connected), secured);
    }

    /** When the transport was done: the last step marked. */
    public long transportDoneNanos() {
        return at(at(at(startNanos, resolved), connected), secured);
    }

    private static long at(long before, long mark) {
        return mark == 0 ? before : mark;
    }

    private static long span(long from, long to) {
        return to == 0 ? 0 : Math.max(0, to - from);
    }
}
