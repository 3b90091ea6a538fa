package dev.tether.ws.bench.e2e;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Jetty 12.1's WebSocket client: for wss an {@code HttpClient} whose
 * {@code SslContextFactory.Client} holds the SSLContext; for permessage-deflate the extension
 * named in the {@code ClientUpgradeRequest}.
 */
public final class JettyStack extends Client implements Session.Listener.AutoDemanding {
    private final WebSocketClient shared;
    private WebSocketClient client;
    private Session session;

    public JettyStack() {
        this(null);
    }

    JettyStack(WebSocketClient shared) {
        this.shared = shared;
    }

    /** A started client, over TLS trusting {@code trust} when it is not null. */
    static WebSocketClient newClient(Trust trust) throws Exception {
        WebSocketClient client;
        if (trust != null) {
            SslContextFactory.Client ssl = new SslContextFactory.Client();
            ssl.setSslContext(trust.context());
            HttpClient http = new HttpClient();
            http.setSslContextFactory(ssl);
            client = new WebSocketClient(http);
        } else {
            client = new WebSocketClient();
        }
        client.setMaxBinaryMessageSize(Clients.MAX);
        client.setMaxTextMessageSize(Clients.MAX);
        // Jetty alone closes a connection idle for 30 s, and a lane's connection sits idle while
        // the other stacks run their rows: with its default, every repeat after the first failed
        // with "echo not received" (no other stack has an idle timeout by default).
        client.setIdleTimeout(java.time.Duration.ZERO);
        client.start();
        return client;
    }

    @Override
    String name() {
        return "jetty";
    }

    @Override
    void connect(URI uri, Options options) throws Exception {
        client = shared != null ? shared : newClient(options.trust());
        ClientUpgradeRequest request = new ClientUpgradeRequest(uri);
        if (options.deflate()) {
            request.addExtensions("permessage-deflate");
        }
        session = client.connect(this, request).get(10, TimeUnit.SECONDS);
        requireDeflate(options, session.getUpgradeResponse().getExtensions().stream()
                .anyMatch(e -> e.getName().equals("permessage-deflate")), name());
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        onBinary(payload);
        callback.succeed();
    }

    @Override
    public void onWebSocketText(String message) {
        onReply();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // Without this Jetty logs every error as unhandled, even the closed channel of a session we closed.
        if (!(cause instanceof ClosedChannelException)) {
            System.out.println("jetty: " + cause);
        }
    }

    @Override
    void send(byte[] message) {
        session.sendBinary(ByteBuffer.wrap(message), Callback.NOOP);
    }

    @Override
    void sendText(String message) {
        session.sendText(message, Callback.NOOP);
    }

    @Override
    public void close() throws Exception {
        session.close();
        if (shared == null) {
            client.stop();
        }
    }
}
