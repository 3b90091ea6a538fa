package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.ServerConnection;
import dev.tether.ws.testing.ServerEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a peer that stops reading can do to a connection: flood it with pings while a large send
 * is stuck, or leave a small write sitting in a queue. Each bounded, and the same on both
 * transports.
 */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
class LinkHazardsTest {
    @Parameter
    String transport;

    @Test
    void aPingFloodWhileALargeSendIsStuckIsAnsweredOnceWithTheLatestPayload() throws Exception {
        int pings = 10_000;
        CountDownLatch sendStuck = new CountDownLatch(1);
        CountDownLatch flooded = new CountDownLatch(1);
        try (CodecServer server = CodecServer.started()) {
            // The hook runs before the server reads anything: while it waits, the client's 16 MiB
            // send fills both socket buffers and holds the write lock.
            server.onConnect(c -> {
                c.echo(false);
                try {
                    sendStuck.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < pings; i++) {
                        c.sendPing(("p" + i).getBytes(StandardCharsets.US_ASCII));
                    }
                    c.sendText("all pings sent");
                    flooded.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport)
                    .pingInterval(Duration.ZERO).writeTimeout(Duration.ofSeconds(60)).build();
            EventRecorder events = EventRecorder.on(ws);
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            CompletableFuture<Boolean> bigSend = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> bigSend.complete(ws.send(new byte[16 << 20])));
            Thread.sleep(500);
            assertThat(bigSend).as("the 16 MiB send is stuck on a server that does not read").isNotDone();
            sendStuck.countDown();
            // Once the text after the pings has arrived, the client has read every ping, all
            // while the send held the write lock.
            assertThat(events.awaitEvent("message:text:all pings sent", Duration.ofSeconds(20))).isNotNull();
            assertThat(bigSend).isNotDone();
            flooded.countDown();
            assertThat(bigSend.get(30, TimeUnit.SECONDS)).isTrue();
            ServerConnection c = server.nextConnection();
            assertThat(c.await(ServerEvent.Message.class, Duration.ofSeconds(30)).data()).hasSize(16 << 20);
            List<String> pongs = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < deadline) {
                ServerEvent e = c.received().poll(200, TimeUnit.MILLISECONDS);
                if (e instanceof ServerEvent.Pong p) {
                    pongs.add(new String(p.data(), StandardCharsets.US_ASCII));
                }
            }
            // RFC 6455 section 5.5.3: answering only the most recent ping is allowed; one pending
            // pong at a time, not a thread (and a pong) per ping.
            assertThat(pongs).isNotEmpty().hasSizeLessThanOrEqualTo(2);
            assertThat(pongs.get(pongs.size() - 1)).isEqualTo("p" + (pings - 1));
            assertThat(events.errors).isEmpty();
            ws.close();
        }
    }

    @Test
    void aWriteThatNeverReachesTheSocketFailsTheConnectionWithinTheWriteTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (CodecServer server = CodecServer.started()) {
            server.onConnect(c -> {
                try {
                    release.await(30, TimeUnit.SECONDS);  // never reads while the test runs
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport)
                    .pingInterval(Duration.ZERO).writeTimeout(Duration.ofMillis(500)).build();
            EventRecorder events = EventRecorder.on(ws);
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            // Small writes until one cannot reach the socket (both socket buffers are full).
            long start = System.nanoTime();
            int sent = 0;
            while (sent < 100_000 && ws.send(new byte[1024])) {
                sent++;
            }
            String close = events.awaitEvent("close", Duration.ofSeconds(10));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(close).startsWith("close:1006").contains("write timed out");
            assertThat(tookMillis).as("from the first write to the close, ms").isLessThan(8_000);
            assertThat(ws.lastError()).hasMessageContaining("write timed out");
            assertThat(ws.send("after")).isFalse();
            release.countDown();
        }
    }
}
