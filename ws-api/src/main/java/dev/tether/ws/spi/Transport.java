package dev.tether.ws.spi;

import java.io.IOException;

/**
 * A way to carry a WebSocket's bytes: a TCP (and, for {@code wss}, TLS) connection. Found with
 * {@link java.util.ServiceLoader}; the engine in {@code dev.tether.ws.api} does everything
 * above the bytes (handshake, frames, close, keep-alive), so every transport has the same
 * semantics.
 *
 * <p>Implementations must be thread-safe: one instance serves every connection.
 */
public interface Transport {

    /** The name users choose it by: "blocking", "nio". */
    String name();

    /** Preference when the user names none: the highest present wins. */
    int priority();

    /**
     * Opens a connection to {@code endpoint} (name resolution, TCP connect, TLS handshake)
     * within {@code endpoint.timeoutNanos()}. What arrives goes to {@code listener} once the
     * engine calls {@link Connection#startReading()}.
     *
     * @throws IOException when the connection cannot be made; the message says why
     */
    Connection open(Endpoint endpoint, ConnectionListener listener) throws IOException;
}
