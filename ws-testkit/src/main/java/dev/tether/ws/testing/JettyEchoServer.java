package dev.tether.ws.testing;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Jetty 12's WebSocket server (its native API) on 127.0.0.1: a real, independent peer with the
 * {@code /echo} and {@code /close} resources of {@link EchoServer}. Other paths are answered 404.
 * Every close the server's endpoints see is recorded in {@link #closes()}. Jetty caps messages
 * at 64 KiB by default; here the limit is {@link #MAX_MESSAGE_SIZE}.
 */
public final class JettyEchoServer implements EchoServer {
    private final Server server;
    private final ServerConnector connector;
    private final CloseLog log = new CloseLog("Jetty");

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

    @Override
    public String name() {
        return "jetty";
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    /** Every close seen by an endpoint, in order. */
    public BlockingQueue<CloseSeen> closes() {
        return log.closes;
    }

    /** {@inheritDoc} Dropped closes leave {@link #closes()}. */
    @Override
    public CloseSeen awaitClose(String resource, Duration wait) throws InterruptedException {
        return log.awaitClose(resource, wait);
    }

    @Override
    public BlockingQueue<Throwable> errors() {
        return log.errors;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop cleanly", e);
        }
    }

    /** {@link JettyEcho}, with the server's close log. */
    public static class EchoEndpoint extends JettyEcho {
        private final JettyEchoServer owner;
        private final String resource;

        public EchoEndpoint(JettyEchoServer owner, String resource) {
            this.owner = owner;
            this.resource = resource;
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            owner.log.close(resource, statusCode, reason);
            callback.succeed();
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            owner.log.error(cause);
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
