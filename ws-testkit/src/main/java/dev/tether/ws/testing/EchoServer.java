package dev.tether.ws.testing;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;

/**
 * A WebSocket server from another project on 127.0.0.1, as interop tests see it: the same two
 * resources on every implementation, so one test runs unchanged against each.
 *
 * <ul>
 *   <li>{@code /echo}: echoes text as text and binary as binary, messages up to
 *       {@link #MAX_MESSAGE_SIZE}; answers pings; answers a close with the same code.</li>
 *   <li>{@code /close?code=4000&reason=bye}: closes from the server side with that code and
 *       reason after the first message arrives (not echoing it), or right after the handshake
 *       with {@code &after=open}.</li>
 * </ul>
 * Every close frame a connection receives from its client is recorded, so a test can assert the
 * code and reason a client sent: give each connection a distinct query and wait for its close
 * with {@link #awaitClose}.
 */
public interface EchoServer extends AutoCloseable {
    /**
     * The largest message every implementation accepts. Their defaults are far lower (Jetty and
     * Netty cap at 64 KiB); tests send 16 MiB.
     */
    int MAX_MESSAGE_SIZE = 32 << 20;

    /**
     * A close frame as the server received it: its code and reason, and the resource (path and
     * query) the connection was opened for. A close frame without a payload reads as 1005 on
     * Jetty and Netty, 1000 on Undertow; Jetty also records a connection that ended without a
     * close frame, as 1006.
     */
    record CloseSeen(String resource, int code, String reason) {
    }

    /** Short name for test reports: "jetty", "netty", "undertow". */
    String name();

    int port();

    /** {@code ws://127.0.0.1:port} + {@code pathAndQuery}, e.g. {@code uri("/echo")}. */
    default URI uri(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port() + pathAndQuery);
    }

    /**
     * The next close seen on a connection to {@code resource} (path and query, e.g.
     * {@code /echo?id=7}), within {@code wait}; closes of other connections before it are
     * dropped. Fails with an {@link AssertionError} naming the server's errors when none comes.
     */
    CloseSeen awaitClose(String resource, Duration wait) throws InterruptedException;

    /** Errors the server reported to its endpoints (protocol violations by a client, I/O failures). */
    BlockingQueue<Throwable> errors();

    /** Stops the server, within a few seconds. */
    @Override
    void close();
}
