package dev.tether.ws.testing;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Jetty 12's WebSocket server (its native API) on 127.0.0.1: a real, independent peer.
 *
 * <ul>
 *   <li>{@code /echo}: echoes text as text and binary as binary.</li>
 *   <li>{@code /close?code=4000&reason=bye}: closes from the server side with that code and
 *       reason after the first message arrives (not echoing it), or right after the handshake
 *       with {@code &after=open}.</li>
 * </ul>
 * Other paths are answered 404. Every close the server's endpoints see is recorded in
 * {@link #closes()}, so a test can assert the code and reason a client sent.
 */
public final class JettyEchoServer implements AutoCloseable {
    /** Jetty caps messages at 64 KiB by default; tests send 16 MiB and more. */
    public static final int MAX_MESSAGE_SIZE = 32 << 20;

    /**
     * A close as Jetty reported it to an endpoint: the code and reason of the close frame, and
     * the resource (path and query) the connection was opened for, so that a test can tell its
     * own connection's close from others' (give each connection a distinct query).
     */
    public record CloseSeen(String resource, int code, String reason) {
    }

    private final Server server;
    private final ServerConnector connector;
    /** Filled by Jetty's threads, read by test threads. */
    private final BlockingQueue<CloseSeen> closes = new LinkedBlockingQueue<>();
    private final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();

    /** Starts the server on a free port. */
    public JettyEchoServer() throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(MAX_MESSAGE_SIZE);
            container.setMaxBinaryMessageSize(MAX_MESSAGE_SIZE);
            container.setMaxFrameSize(MAX_MESSAGE_SIZE);
            container.setIdleTimeout(Duration.ofMinutes(5));
            container.addMapping("/echo", (request, response, callback) ->
                    new EchoEndpoint(this, request.getHttpURI().getPathQuery()));
            container.addMapping("/close", (request, response, callback) -> {
                Fields query = Request.extractQueryParameters(request);
                int code = Integer.parseInt(valueOr(query, "code", "1000"));
                String reason = valueOr(query, "reason", "");
                boolean atOpen = "open".equals(valueOr(query, "after", "message"));
                return new ClosingEndpoint(this, request.getHttpURI().getPathQuery(), code, reason, atOpen);
            });
        }));
        server.start();
    }

    private static String valueOr(Fields fields, String name, String fallback) {
        String v = fields.getValue(name);
        return v == null ? fallback : v;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** {@code ws://127.0.0.1:port} + {@code pathAndQuery}, e.g. {@code uri("/echo")}. */
    public URI uri(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port() + pathAndQuery);
    }

    /** Every close seen by an endpoint, in order. */
    public BlockingQueue<CloseSeen> closes() {
        return closes;
    }

    /**
     * The next close seen on a connection to {@code resource} (path and query, e.g.
     * {@code /echo?id=7}), within {@code wait}; closes of other connections before it are
     * dropped from {@link #closes()}.
     */
    public CloseSeen awaitClose(String resource, Duration wait) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            CloseSeen c = closes.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (c == null) {
                throw new AssertionError("Jetty saw no close on " + resource + " within " + wait
                        + "; errors: " + errors);
            }
            if (c.resource().equals(resource)) {
                return c;
            }
        }
    }

    /** Errors Jetty reported to the endpoints (protocol violations by the client, I/O failures). */
    public BlockingQueue<Throwable> errors() {
        return errors;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop cleanly", e);
        }
    }

    /**
     * Echoes each message as the same type. Public: Jetty finds listener methods through
     * public lookups. AutoDemanding: Jetty asks for the next frame once a handler returns (for
     * binary, once its callback completes, which here is when the echo has been written, so the
     * buffer is not recycled under the echo).
     */
    public static class EchoEndpoint implements Session.Listener.AutoDemanding {
        private final JettyEchoServer owner;
        private final String resource;
        /** Set on open by Jetty, read on Jetty's threads afterwards. */
        protected volatile Session session;

        public EchoEndpoint(JettyEchoServer owner, String resource) {
            this.owner = owner;
            this.resource = resource;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketText(String message) {
            session.sendText(message, Callback.NOOP);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            session.sendBinary(payload, Callback.from(callback::succeed, callback::fail));
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            owner.closes.add(new CloseSeen(resource, statusCode, reason == null ? "" : reason));
            callback.succeed();
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            owner.errors.add(cause);
        }
    }

    /** Starts the close handshake from the server (RFC 6455 section 7.1.2). */
    public static class ClosingEndpoint extends EchoEndpoint {
        private final int code;
        private final String reason;
        private final boolean atOpen;

        public ClosingEndpoint(JettyEchoServer owner, String resource, int code, String reason, boolean atOpen) {
            super(owner, resource);
            this.code = code;
            this.reason = reason;
            this.atOpen = atOpen;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            super.onWebSocketOpen(session);
            if (atOpen) {
                session.close(code, reason, Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketText(String message) {
            session.close(code, reason, Callback.NOOP);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            callback.succeed();
            session.close(code, reason, Callback.NOOP);
        }
    }
}
