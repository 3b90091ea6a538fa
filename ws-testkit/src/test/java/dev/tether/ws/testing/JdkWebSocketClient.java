package dev.tether.ws.testing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's own WebSocket client ({@code java.net.http}), as an independent client for testing
 * the test peers themselves. Whole messages (partial deliveries joined) and the close land in
 * a queue.
 */
final class JdkWebSocketClient implements AutoCloseable {

    sealed interface Event {
    }

    record Text(String text) implements Event {
    }

    record Binary(byte[] data) implements Event {
        @Override
        public boolean equals(Object o) {
            return o instanceof Binary b && Arrays.equals(b.data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Binary[" + data.length + " bytes]";
        }
    }

    record Pong(byte[] data) implements Event {
        @Override
        public boolean equals(Object o) {
            return o instanceof Pong p && Arrays.equals(p.data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }
    }

    record Closed(int code, String reason) implements Event {
    }

    record Failed(Throwable cause) implements Event {
    }

    private final HttpClient http;
    private final WebSocket socket;
    /** Filled by the HttpClient's threads, read by the test thread. */
    private final BlockingQueue<Event> events;

    private JdkWebSocketClient(HttpClient http, WebSocket socket, BlockingQueue<Event> events) {
        this.http = http;
        this.socket = socket;
        this.events = events;
    }

    static JdkWebSocketClient connect(URI uri) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        try {
            WebSocket ws = http.newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(uri, new Collector(events))
                    .get(10, TimeUnit.SECONDS);
            return new JdkWebSocketClient(http, ws, events);
        } catch (Exception e) {
            http.shutdownNow();
            throw e;
        }
    }

    WebSocket ws() {
        return socket;
    }

    Event next() throws InterruptedException {
        Event e = events.poll(10, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("the JDK client received nothing within 10 s");
        }
        return e;
    }

    @Override
    public void close() {
        socket.abort();
        http.shutdownNow();
    }

    /** Joins partial messages; asks for one more delivery after each (RFC-agnostic flow control). */
    private static final class Collector implements WebSocket.Listener {
        private final BlockingQueue<Event> events;
        // Owned by the client's delivery: calls for one WebSocket never overlap.
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        Collector(BlockingQueue<Event> events) {
            this.events = events;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add(new Text(text.toString()));
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                events.add(new Binary(binary.toByteArray()));
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            byte[] data = new byte[message.remaining()];
            message.get(data);
            events.add(new Pong(data));
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            events.add(new Closed(statusCode, reason));
            return null;  // the client then answers with its own close
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            events.add(new Failed(error));
        }
    }
}
