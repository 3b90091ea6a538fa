package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.CodecServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server that stops reading: the sender is held back (never buffering without bound), and
 * after the write timeout gets a clear error instead of waiting forever.
 */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
class SlowReaderTest {
    @Parameter
    String transport;

    @Test
    void senderGetsTheWriteTimeoutAndMemoryStaysBounded() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (CodecServer server = CodecServer.started()) {
            // The hook runs on the server connection's reading thread: while it waits, nothing is read.
            server.onConnect(c -> {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport)
                    .writeTimeout(Duration.ofMillis(500)).build();
            EventRecorder events = EventRecorder.on(ws);
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            byte[] chunk = new byte[64 * 1024];
            long sent = 0;
            int messages = 0;
            // Bounded loop: 64 MiB at most. Socket buffers and the transport's queue hold a few MiB.
            while (messages < 1024 && ws.send(chunk)) {
                sent += chunk.length;
                messages++;
            }
            System.out.printf("%s: %d KiB accepted before the write timeout%n", transport, sent / 1024);
            assertThat(messages).as("sends before the peer's backlog filled").isLessThan(1024);
            assertThat(sent).as("bytes accepted while the peer read nothing").isLessThan(32L << 20);
            assertThat(events.awaitEvent("error")).isEqualTo("error:IOException");
            assertThat(ws.lastError()).hasMessageContaining("write timed out");
            assertThat(events.awaitEvent("close")).startsWith("close:1006:");
        } finally {
            release.countDown();
        }
    }
}
