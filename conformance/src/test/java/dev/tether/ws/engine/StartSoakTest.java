package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.Event;
import dev.tether.ws.Received;
import dev.tether.ws.State;
import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.CodecServer;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A short soak of {@code start}: 200 connections kept up while the server is stopped and started
 * 20 times, with close, connect and exit called from other threads and from handlers. Afterwards
 * every task has ended, every WebSocket can be collected (no thread, timer or socket still holds
 * one), no platform thread or file descriptor is left over, and every message that fired MESSAGE
 * reached {@code proc} or is still waiting in {@code recv}.
 */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
class StartSoakTest {
    private static final int CONNECTIONS = 200;
    private static final int RESTARTS = 20;

    @Parameter
    String transport;

    @Test
    void twoHundredConnectionsSurviveTwentyServerRestartsAndLeaveNothingBehind() throws Exception {
        warmUp();
        long fdsBefore = openFileDescriptors();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        AtomicLong fired = new AtomicLong();
        AtomicLong handed = new AtomicLong();
        AtomicBoolean chaos = new AtomicBoolean(true);
        Random random = new Random(42);
        List<WeakReference<WebSocket>> collectable = new ArrayList<>();
        try (CodecServer server = CodecServer.started()) {
            server.onConnect(c -> c.sendText("one").sendText("two").sendText("three"));
            List<WebSocket> sockets = new ArrayList<>();
            List<Thread> tasks = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                WebSocket ws = WebSocket.builder(server.uri("/soak").toString()).transport(transport)
                        .connectTimeout(Duration.ofSeconds(2)).closeTimeout(Duration.ofMillis(500)).build();
                ws.on(Event.MESSAGE, m -> fired.incrementAndGet());
                if (i % 10 == 0) {
                    // Some reconnect from their own CLOSE handler as well, racing start.
                    ws.on(Event.CLOSE, (code, reason) -> {
                        if (chaos.get()) {
                            ws.connect(500);
                        }
                    });
                }
                sockets.add(ws);
                collectable.add(new WeakReference<>(ws));
                tasks.add(ws.startAsync(Duration.ofMillis(500), m -> handed.incrementAndGet(), Duration.ofMillis(50)));
            }
            Thread meddler = Thread.ofVirtual().start(() -> {
                Random r = new Random(7);
                while (chaos.get()) {
                    WebSocket ws = sockets.get(r.nextInt(sockets.size()));
                    switch (r.nextInt(3)) {
                        case 0 -> ws.close();
                        case 1 -> ws.connect(300);
                        default -> ws.send("hello");
                    }
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            for (int i = 0; i < RESTARTS; i++) {
                Thread.sleep(150 + random.nextInt(150));
                server.stop();
                Thread.sleep(50 + random.nextInt(100));
                server.start();
            }
            chaos.set(false);
            meddler.join();
            // Everyone comes back once the server stays up.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (sockets.stream().anyMatch(ws -> !ws.online()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(sockets.stream().filter(WebSocket::online).count())
                    .as(() -> "online after the restarts; the others:\n" + offline(sockets, tasks))
                    .isEqualTo(CONNECTIONS);
            sockets.forEach(ws -> ws.exit());
            for (Thread t : tasks) {
                assertThat(t.join(Duration.ofSeconds(10))).as("start ended after exit").isTrue();
            }
            long leftover = 0;
            for (WebSocket ws : sockets) {
                assertThat(ws.state()).isEqualTo(State.CLOSED);
                for (Received r; (r = ws.recv(Duration.ZERO)).ok(); ) {
                    leftover++;
                }
            }
            Thread.sleep(200);  // MESSAGE handlers still queued finish
            assertThat(handed.get() + leftover).as("messages to proc or still in recv").isEqualTo(fired.get());
            assertThat(fired.get()).isGreaterThan(3L * CONNECTIONS * 5);
            sockets.clear();
            tasks.clear();
        }
        assertAllCollected(collectable);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // Sockets close, and the blocking transport's platform readers end, just after the
        // connections report their end: give them a moment.
        while ((openFileDescriptors() > fdsBefore + 5
                || ManagementFactory.getThreadMXBean().getThreadCount() > threadsBefore + 2)
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(openFileDescriptors()).as("file descriptors, before: " + fdsBefore).isLessThanOrEqualTo(fdsBefore + 5);
        assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).as("platform threads")
                .isLessThanOrEqualTo(threadsBefore + 2);
    }

    /** For a failure: each connection still offline, and where its start task is. */
    private static String offline(List<WebSocket> sockets, List<Thread> tasks) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sockets.size(); i++) {
            WebSocket ws = sockets.get(i);
            if (!ws.online()) {
                b.append(ws).append(", last error ").append(ws.lastError()).append('\n');
                for (StackTraceElement e : tasks.get(i).getStackTrace()) {
                    b.append("    at ").append(e).append('\n');
                }
            }
        }
        return b.toString();
    }

    /** Starts the shared timer, event-loop and watchdog threads before anything is counted. */
    private void warmUp() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport).build();
            Thread t = ws.startAsync(Duration.ofMillis(100), m -> { });
            Thread.sleep(300);
            ws.exit();
            t.join(Duration.ofSeconds(5));
        }
    }

    private static void assertAllCollected(List<WeakReference<WebSocket>> refs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        long alive;
        do {
            System.gc();
            Thread.sleep(100);
            alive = refs.stream().filter(r -> r.get() != null).count();
        } while (alive > 0 && System.nanoTime() < deadline);
        assertThat(alive).as("WebSockets still reachable after exit").isZero();
    }

    private static long openFileDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? 0 : fds.length;
    }
}
