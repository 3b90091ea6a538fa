package dev.tether.ws.transport.nio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.Received;
import dev.tether.ws.State;
import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.ServerEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two thousand connections on the shared event loops (one per processor): each echoes a message and closes cleanly, and
 * no platform thread is created per connection. Correctness is asserted, never time.
 */
class ManyConnectionsTest {
    private static final int CONNECTIONS = 2_000;

    @Test
    void twoThousandConnectionsEchoAndCloseCleanlyWithoutAThreadEach() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (CodecServer server = CodecServer.started();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            // Warm the transport so its loop thread exists before counting.
            WebSocket warm = WebSocket.builder(server.uri("/").toString()).transport("nio").build();
            assertThat(warm.connect(Duration.ofSeconds(10))).isTrue();
            warm.close();
            int platformBefore = threads.getThreadCount();

            List<WebSocket> sockets = new ArrayList<>();
            List<Future<Boolean>> connects = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                WebSocket ws = WebSocket.builder(server.uri("/c" + i).toString()).transport("nio").build();
                sockets.add(ws);
                connects.add(clients.submit(() -> ws.connect(Duration.ofSeconds(60))));
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                assertThat(connects.get(i).get(90, TimeUnit.SECONDS)).as("connection %d: %s", i,
                        sockets.get(i).lastError()).isTrue();
            }
            int platformWhileOpen = threads.getThreadCount();
            assertThat(EventLoops.count()).as("one loop per processor").isEqualTo(Runtime.getRuntime().availableProcessors());

            List<Future<String>> echoes = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                WebSocket ws = sockets.get(i);
                String text = "hello from " + i;
                echoes.add(clients.submit(() -> {
                    ws.send(text);
                    Received r = ws.recv(Duration.ofSeconds(60));
                    return r.ok() ? r.data().text() : "error: " + r.error();
                }));
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                assertThat(echoes.get(i).get(90, TimeUnit.SECONDS)).isEqualTo("hello from " + i);
            }

            List<Future<?>> closes = new ArrayList<>();
            for (WebSocket ws : sockets) {
                closes.add(clients.submit(() -> ws.close(1000, "done")));
            }
            for (Future<?> f : closes) {
                f.get(90, TimeUnit.SECONDS);
            }
            assertThat(sockets).allMatch(ws -> ws.state() == State.CLOSED);
            int cleanCloses = 0;
            for (int i = 0; i < CONNECTIONS + 1; i++) {
                var c = server.nextConnection(Duration.ofSeconds(30));
                if (c.received().stream().anyMatch(e -> e instanceof ServerEvent.Close close && close.code() == 1000)
                        || c.await(ServerEvent.Close.class, Duration.ofSeconds(30)).code() == 1000) {
                    cleanCloses++;
                }
            }
            assertThat(cleanCloses).isEqualTo(CONNECTIONS + 1);
            System.out.printf("%d NIO connections: platform threads %d before, %d while all were open%n",
                    CONNECTIONS, platformBefore, platformWhileOpen);
            assertThat(platformWhileOpen - platformBefore).as("platform threads added for %d connections", CONNECTIONS)
                    .isLessThan(10);
        }
    }
}
