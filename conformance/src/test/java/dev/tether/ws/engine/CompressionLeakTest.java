package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.Footprint;
import dev.tether.ws.testing.JettyEchoServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand connect/close cycles with permessage-deflate on: each connection's zlib streams
 * (about 300 KiB of native memory, outside the Java heap) are ended when it closes, so the
 * process's resident memory and the heap end where they started. Streams still held by anything
 * (a session kept alive, a pool that only grows) would add about 3 GB over the run. Memory is
 * asserted, not time.
 */
class CompressionLeakTest {
    private static final int CYCLES = 10_000;

    @Test
    void tenThousandCompressedConnectionsLeaveNoNativeOrHeapMemoryBehind() throws Exception {
        try (JettyEchoServer jetty = new JettyEchoServer()) {
            String url = jetty.uri("/echo").toString();
            String message = "compress me ".repeat(20);
            cycles(url, message, 500);  // warm-up: classes, JIT, pools, Jetty's own buffers
            long heapBefore = Footprint.usedHeapAfterGc();
            long rssBefore = Footprint.residentBytes();
            cycles(url, message, CYCLES);
            // After a full GC, so that garbage the heap grew by does not count; what remains is
            // what something still holds: a session, a buffer, or zlib streams kept alive.
            long heapAfter = Footprint.usedHeapAfterGc();
            long rssAfter = Footprint.residentBytes();
            System.out.printf("%d compressed connect/close cycles: resident %+d KiB, heap %+d KiB%n",
                    CYCLES, (rssAfter - rssBefore) / 1024, (heapAfter - heapBefore) / 1024);
            assertThat(rssAfter - rssBefore).as("resident memory growth").isLessThan(96L << 20);
            assertThat(heapAfter - heapBefore).as("heap growth").isLessThan(16L << 20);
        }
    }

    private static void cycles(String url, String message, int n) {
        for (int i = 0; i < n; i++) {
            WebSocket ws = WebSocket.builder(url).transport("nio").compression(true).build();
            assertThat(ws.connect(Duration.ofSeconds(10))).as("cycle %d: %s", i, ws.lastError()).isTrue();
            assertThat(ws.extensions()).isNotEmpty();
            ws.send(message);
            assertThat(ws.recv(Duration.ofSeconds(10)).data().text()).isEqualTo(message);
            ws.close();
        }
    }


}
