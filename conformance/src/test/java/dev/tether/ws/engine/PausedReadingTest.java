package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.Event;
import dev.tether.ws.Received;
import dev.tether.ws.State;
import dev.tether.ws.WebSocket;
import dev.tether.ws.WebSocketClosedException;
import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.ServerConnection;
import dev.tether.ws.testing.ServerEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A close while reading is paused for a consumer that is behind: the close handshake must still
 * complete (the server's close sits behind the unread data), and nothing received is lost.
 */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
class PausedReadingTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int MESSAGES = 64;
    private static final int SIZE = 16 * 1024;

    @Parameter
    String transport;

    private static void awaitPaused(WebSocket ws, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long last = -1;
        // Paused: the queue is past its bound and stops growing.
        while (System.nanoTime() < deadline) {
            long now = ws.queuedBytes();
            if (now >= atLeast && now == last) {
                return;
            }
            last = now;
            Thread.sleep(50);
        }
        throw new AssertionError("reading did not pause: " + ws.queuedBytes() + " bytes queued");
    }

    @Test
    void aCloseWhileReadingIsPausedCompletesTheHandshakeAndRecvStillGetsEveryMessage() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport)
                    .maxQueuedBytes(64 * 1024).closeTimeout(Duration.ofSeconds(5)).build();
            // No MESSAGE handler: recv() is the only consumer, and its queue alone pauses reading.
            CompletableFuture<String> closeEvent = new CompletableFuture<>();
            ws.on(Event.CLOSE, (code, reason) -> closeEvent.complete(code + ":" + reason));
            assertThat(ws.connect(WAIT)).isTrue();
            ServerConnection c = server.nextConnection(WAIT);
            Thread.ofVirtual().start(() -> {
                for (int i = 0; i < MESSAGES; i++) {
                    c.sendBinary(new byte[SIZE]);
                }
            });
            awaitPaused(ws, 64 * 1024);
            assertThat(ws.queuedBytes()).as("paused well before everything arrived").isLessThan((long) MESSAGES * SIZE);

            long start = System.nanoTime();
            ws.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no wait for the close timeout")
                    .isLessThan(Duration.ofSeconds(4));
            assertThat(ws.state()).isEqualTo(State.CLOSED);
            assertThat(closeEvent.get(10, TimeUnit.SECONDS)).isEqualTo("1000:");
            assertThat(c.await(ServerEvent.Close.class, WAIT).code()).isEqualTo(1000);
            for (int i = 0; i < MESSAGES; i++) {
                Received r = ws.recv(WAIT);
                assertThat(r.ok()).as("message %d: %s", i, r.error()).isTrue();
                assertThat(r.data().size()).isEqualTo(SIZE);
            }
            assertThat(ws.recv(WAIT).error()).isInstanceOf(WebSocketClosedException.class);
        }
    }

    @Test
    void aCloseWhileAStreamHandlerIsBehindEndsItsStreamWithAnError() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport)
                    .closeTimeout(Duration.ofMillis(500)).build();
            CountDownLatch reading = new CountDownLatch(1);
            CountDownLatch closed = new CountDownLatch(1);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            ws.on(Event.STREAM, in -> {
                in.readNBytes(10);
                reading.countDown();
                try {
                    closed.await(WAIT.toSeconds(), TimeUnit.SECONDS);  // fall behind while the close happens
                    in.readAllBytes();
                    outcome.complete(null);
                } catch (IOException e) {
                    outcome.complete(e);
                } catch (InterruptedException e) {
                    outcome.complete(e);
                }
            });
            assertThat(ws.connect(WAIT)).isTrue();
            ServerConnection c = server.nextConnection(WAIT);
            Thread.ofVirtual().start(() -> {
                c.sendFrame(false, 0x2, new byte[SIZE]);
                for (int i = 0; i < 200; i++) {  // 3 MiB of one unfinished message: more than the stream holds
                    c.sendFrame(false, 0x0, new byte[SIZE]);
                }
            });
            assertThat(reading.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            ws.close();
            closed.countDown();
            assertThat(ws.state()).isEqualTo(State.CLOSED);
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class)
                    .hasMessageContaining("the connection ended before the message did");
        }
    }
}
