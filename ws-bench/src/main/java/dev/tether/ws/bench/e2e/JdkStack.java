package dev.tether.ws.bench.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's java.net.http.WebSocket: one send at a time (its rule), each awaited;
 * {@code HttpClient.Builder.sslContext} for wss. It has no permessage-deflate.
 */
final class JdkStack extends Client implements WebSocket.Listener {
    private final HttpClient shared;
    private HttpClient http;
    private WebSocket ws;
    /** Fan-in: the send time being read from a message that came in parts; on the listener's thread. */
    private long stamp;
    private int stampBytes;
    private boolean midMessage;

    JdkStack() {
        this(null);
    }

    JdkStack(HttpClient shared) {
        this.shared = shared;
    }

    @Override
    String name() {
        return "jdk";
    }

    @Override
    boolean canDeflate() {
        return false;
    }

    @Override
    void connect(URI uri, Options options) {
        if (options.deflate()) {
            throw new UnsupportedOperationException("java.net.http has no permessage-deflate");
        }
        if (shared != null) {
            http = shared;
        } else {
            HttpClient.Builder b = HttpClient.newBuilder();
            if (options.trust() != null) {
                b.sslContext(options.trust().context());
            }
            http = b.build();
        }
        ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, this).join();
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
        if (delays == null) {
            if (last) {
                onReply();
            }
        } else {
            // A message may come in parts; its send time is its first 8 bytes, wherever they fall.
            if (!midMessage) {
                stamp = 0;
                stampBytes = 0;
            }
            while (stampBytes < Long.BYTES && data.hasRemaining()) {
                stamp = stamp << 8 | (data.get() & 0xff);
                if (++stampBytes == Long.BYTES) {
                    delays.record(stamp);
                }
            }
            midMessage = !last;
        }
        w.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
        if (last) {
            onReply();
        }
        w.request(1);
        return null;
    }

    @Override
    void send(byte[] message) {
        ws.sendBinary(ByteBuffer.wrap(message), true).join();
    }

    @Override
    void sendText(String message) {
        ws.sendText(message, true).join();
    }

    @Override
    public void close() {
        ws.sendClose(1000, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        if (shared == null) {
            http.close();
        }
    }
}
