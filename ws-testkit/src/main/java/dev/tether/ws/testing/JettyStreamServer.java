package dev.tether.ws.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Jetty as a peer for messages far larger than memory, through its partial-message API (no
 * aggregation on the server either):
 * <ul>
 *   <li>{@code /digest}: for each message it receives, answers a text message
 *       {@code "<bytes> <sha-256 hex>"} of the bytes it received;</li>
 *   <li>{@code /source?bytes=N}: once open, sends one binary message of N bytes of
 *       {@link StreamPattern} in fragments, then a text message {@code "<bytes> <sha-256 hex>"}
 *       of what it sent.</li>
 * </ul>
 * permessage-deflate is accepted when the client offers it (Jetty's default).
 */
public final class JettyStreamServer implements AutoCloseable {
    /** Size of the fragments {@code /source} sends. */
    private static final int FRAGMENT = 64 * 1024;

    private final Server server;
    private final ServerConnector connector;

    public JettyStreamServer() throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            // Partial listeners are never aggregated, but Jetty still counts a message against
            // these: allow what the tests send.
            container.setMaxTextMessageSize(Long.MAX_VALUE);
            container.setMaxBinaryMessageSize(Long.MAX_VALUE);
            container.setMaxFrameSize(4 << 20);
            container.setIdleTimeout(Duration.ofMinutes(5));
            container.addMapping("/digest", (request, response, callback) -> new Digest());
            container.addMapping("/source", (request, response, callback) -> {
                Fields query = Request.extractQueryParameters(request);
                return new Source(Long.parseLong(query.getValue("bytes")));
            });
        }));
        server.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    public String uri(String pathAndQuery) {
        return "ws://127.0.0.1:" + port() + pathAndQuery;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String summary(long bytes, MessageDigest digest) {
        return bytes + " " + HexFormat.of().formatHex(digest.digest());
    }

    /** Hashes each message as its fragments arrive. Public: Jetty finds listener methods through public lookups. */
    public static final class Digest implements Session.Listener.AutoDemanding {
        /** Jetty calls one listener method at a time per session. */
        private Session session;
        private MessageDigest digest = sha256();
        private long bytes;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketPartialBinary(ByteBuffer payload, boolean last, Callback callback) {
            bytes += payload.remaining();
            digest.update(payload);
            callback.succeed();
            if (last) {
                answer();
            }
        }

        @Override
        public void onWebSocketPartialText(String payload, boolean last) {
            // Jetty hands out whole code points, so the fragments re-encode to the bytes sent.
            byte[] utf8 = payload.getBytes(StandardCharsets.UTF_8);
            bytes += utf8.length;
            digest.update(utf8);
            if (last) {
                answer();
            }
        }

        private void answer() {
            session.sendText(summary(bytes, digest), Callback.NOOP);
            digest = sha256();
            bytes = 0;
        }
    }

    /** Sends one large binary message in fragments, each after the previous one was written. */
    public static final class Source implements Session.Listener.AutoDemanding {
        private final long total;

        Source(long total) {
            this.total = total;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            Thread.ofVirtual().name("jetty-stream-source").start(() -> send(session));
        }

        private void send(Session session) {
            MessageDigest digest = sha256();
            StreamPattern pattern = new StreamPattern();
            byte[] fragment = new byte[FRAGMENT];
            try {
                long left = total;
                do {
                    int n = (int) Math.min(FRAGMENT, left);
                    pattern.fill(fragment, 0, n);
                    digest.update(fragment, 0, n);
                    left -= n;
                    Callback.Completable written = new Callback.Completable();
                    session.sendPartialBinary(ByteBuffer.wrap(fragment, 0, n), left == 0, written);
                    written.get();  // the buffer is reused: wait until Jetty wrote it
                } while (left > 0);
                Callback.Completable written = new Callback.Completable();
                session.sendText(summary(total, digest), written);
                written.get();
            } catch (Exception e) {
                session.close(1011, "source failed: " + e, Callback.NOOP);
            }
        }
    }
}
