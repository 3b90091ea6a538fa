package dev.tether.ws.conformance;

/**
 * How a frame's bytes are handed to TCP, Autobahn's {@code sync} and {@code chopsize}: a client
 * must be "TCP clean", i.e. parse the same stream however it is cut (RFC 6455 section 5.2 says
 * nothing of segment boundaries, and cases 2.6, 3.3, 5.4/5.5, 5.20, 9.5/9.6 check it).
 *
 * @param chopSize  0 for whole; else the frame is written in pieces of this many bytes
 * @param sync      flush before the next frame is written, instead of coalescing with it
 * @param pauseNanos a short pause after each piece (or after the frame when {@code sync}), so
 *     that the pieces tend to arrive in separate reads rather than merged in the socket buffer
 */
public record Delivery(int chopSize, boolean sync, long pauseNanos) {
    /** Written together with the frames around it, in one flush (Autobahn's default). */
    public static final Delivery BATCHED = new Delivery(0, false, 0);
    /** Its own flush, then a short pause ("frame-wise chops", {@code sync = True}). */
    public static final Delivery SYNC = new Delivery(0, true, 1_000_000);
    /** One octet per write ("octet-wise chops", {@code chopsize = 1}). */
    public static final Delivery OCTETS = new Delivery(1, true, 100_000);

    public Delivery {
        if (chopSize < 0 || pauseNanos < 0) {
            throw new IllegalArgumentException("chop " + chopSize + ", pause " + pauseNanos);
        }
    }

    /** Pieces of {@code size} bytes written back to back (the 9.5/9.6 and 1.1.8 style). */
    public static Delivery chopped(int size) {
        return new Delivery(size, true, 0);
    }
}
