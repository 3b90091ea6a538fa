package dev.tether.ws;

/**
 * Counters of one WebSocket's traffic, for a metrics library: every method has a default that
 * does nothing, so a bridge to Micrometer (or anything else) implements only what it counts.
 * Gauges are read rather than pushed: {@link WebSocket#queuedBytes()}.
 *
 * <p>Called on the connection's I/O threads, the NIO event loop among them: return quickly and
 * never block. An exception thrown here is logged and otherwise ignored.
 */
public interface TrafficListener {
    /** A whole data message arrived (after inflating), or a streamed one ended. */
    default void messageReceived(int opcode, long payloadBytes) {
    }

    /** A whole data message was written: at its final frame, with the payload of all its frames. */
    default void messageSent(int opcode, long payloadBytes) {
    }

    /** Bytes read from the connection: frames with their headers, compressed as they came. */
    default void bytesRead(long bytes) {
    }

    /** Bytes written to the connection: frames with their headers, and the upgrade request. */
    default void bytesWritten(long bytes) {
    }

    /** A pong answered our latest ping (keep-alive or {@code ping()}) after this many nanoseconds. */
    default void pingRoundTrip(long nanos) {
    }
}
