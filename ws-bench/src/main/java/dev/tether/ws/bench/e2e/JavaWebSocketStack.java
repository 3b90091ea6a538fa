package dev.tether.ws.bench.e2e;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.extensions.permessage_deflate.PerMessageDeflateExtension;
import org.java_websocket.handshake.ServerHandshake;

/**
 * Java-WebSocket 1.6: {@code setSocketFactory(sslContext.getSocketFactory())} for wss (it checks
 * the host name itself); a {@code Draft_6455} with a {@link PerMessageDeflateExtension} for
 * permessage-deflate. Its offer always asks for no context takeover both ways (fixed in the
 * extension, whatever its setters say); the bench server grants {@code server_no_context_takeover}
 * (Netty's default would decline the whole offer), so the echoes to this stack are compressed
 * each on its own where the other stacks get context takeover. Its threshold stays at its
 * default, 1,024 bytes: the 1 KiB messages are compressed.
 */
final class JavaWebSocketStack extends Client {
    private WebSocketClient ws;

    @Override
    String name() {
        return "java-websocket";
    }

    @Override
    void connect(URI uri, Options options) throws Exception {
        Draft_6455 draft;
        if (options.deflate()) {
            draft = new Draft_6455(new PerMessageDeflateExtension());
        } else {
            draft = new Draft_6455();
        }
        ws = new WebSocketClient(uri, draft) {
            @Override
            public void onOpen(ServerHandshake h) {
            }

            @Override
            public void onMessage(String text) {
                onReply();
            }

            @Override
            public void onMessage(ByteBuffer bytes) {
                onBinary(bytes);
            }

            @Override
            public void onClose(int code, String reason, boolean remote) {
            }

            @Override
            public void onError(Exception e) {
                e.printStackTrace();
            }
        };
        ws.setTcpNoDelay(true);
        if (options.trust() != null) {
            ws.setSocketFactory(options.trust().context().getSocketFactory());
        }
        if (!ws.connectBlocking(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("java-websocket did not connect");
        }
        // The connection's draft is the negotiated copy; the client's own stays as given.
        requireDeflate(options, ws.getConnection().getDraft() instanceof Draft_6455 d
                && d.getExtension() instanceof PerMessageDeflateExtension, name());
    }

    @Override
    void send(byte[] message) {
        ws.send(message);
    }

    @Override
    void sendText(String message) {
        ws.send(message);
    }

    @Override
    public void close() throws Exception {
        ws.closeBlocking();
    }
}
