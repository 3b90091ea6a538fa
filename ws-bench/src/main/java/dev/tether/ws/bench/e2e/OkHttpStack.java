package dev.tether.ws.bench.e2e;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * OkHttp 5: {@code sslSocketFactory(factory, trustManager)} for wss. It offers
 * permessage-deflate on every connection by itself and compresses messages from 1,024 bytes
 * (its {@code minWebSocketMessageToCompress} default), so the 1 KiB deflate row is compressed.
 */
final class OkHttpStack extends Client {
    /** OkHttp's own limit on bytes queued for sending ({@code RealWebSocket.MAX_QUEUE_SIZE}). */
    private static final long QUEUE_LIMIT = 16L << 20;
    private final OkHttpClient shared;
    private OkHttpClient http;
    private WebSocket ws;

    OkHttpStack() {
        this(null);
    }

    OkHttpStack(OkHttpClient shared) {
        this.shared = shared;
    }

    static void shutdown(OkHttpClient http) {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Override
    String name() {
        return "okhttp";
    }

    @Override
    void connect(URI uri, Options options) throws Exception {
        if (shared != null) {
            http = shared;
        } else {
            OkHttpClient.Builder b = new OkHttpClient.Builder();
            if (options.trust() != null) {
                b.sslSocketFactory(options.trust().context().getSocketFactory(), options.trust().manager());
            }
            http = b.build();
        }
        CompletableFuture<Response> open = new CompletableFuture<>();
        String url = uri.toString().replaceFirst("^ws", "http");
        ws = http.newWebSocket(new Request.Builder().url(url).build(), new WebSocketListener() {
            @Override
            public void onOpen(WebSocket w, Response r) {
                open.complete(r);
            }

            @Override
            public void onMessage(WebSocket w, ByteString bytes) {
                onBinary(bytes.asByteBuffer());
            }

            @Override
            public void onMessage(WebSocket w, String text) {
                onReply();
            }

            @Override
            public void onFailure(WebSocket w, Throwable t, Response r) {
                open.completeExceptionally(t);
            }
        });
        Response r = open.get(10, TimeUnit.SECONDS);
        String extensions = r.header("Sec-WebSocket-Extensions");
        requireDeflate(options, extensions != null && extensions.contains("permessage-deflate"), name());
    }

    @Override
    void send(byte[] message) {
        awaitRoom(message.length);
        if (!ws.send(ByteString.of(message))) {
            throw new IllegalStateException("okhttp refused the message");
        }
    }

    @Override
    void sendText(String message) {
        awaitRoom(message.length() * 3L);
        if (!ws.send(message)) {
            throw new IllegalStateException("okhttp refused the message");
        }
    }

    /**
     * OkHttp refuses a message that would take its send queue past 16 MiB, and closes the
     * connection (1001) when it does; its documentation leaves flow control to the caller
     * through {@code queueSize()}. So does this, as an application would: it waits for room
     * (only the 1 MiB rows with 16 or more in flight ever wait).
     */
    private void awaitRoom(long bytes) {
        while (ws.queueSize() + bytes > QUEUE_LIMIT) {
            LockSupport.parkNanos(20_000);
        }
    }

    @Override
    public void close() {
        ws.close(1000, null);
        if (shared == null) {
            shutdown(http);
        }
    }
}
