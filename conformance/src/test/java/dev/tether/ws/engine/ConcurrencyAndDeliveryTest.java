package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.Message;
import dev.tether.ws.Received;
import dev.tether.ws.WebSocket;
import dev.tether.ws.WebSocketClosedException;
import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.ServerConnection;
import dev.tether.ws.testing.ServerEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Many senders at once; handlers in order on their own thread; nothing lost at a drop. */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
class ConcurrencyAndDeliveryTest {
    @Parameter
    String transport;

    @Test
    void eightThreadsSendingTenThousandEachNeverInterleave() throws Exception {
        int threads = 8;
        int perThread = 10_000;
        try (CodecServer server = CodecServer.started()) {
            server.onConnect(c -> c.echo(false));
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport).build();
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            ServerConnection c = server.nextConnection();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                senders.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        // Odd messages as two fragments: a fragment pair must not be split either.
                        if (i % 2 == 0) {
                            ws.send(id + ":" + i + ":" + "x".repeat(i % 200));
                        } else {
                            ws.send((id + ":" + i + ":" + "y".repeat(i % 300)).getBytes());
                        }
                    }
                }));
            }
            go.countDown();
            for (Thread s : senders) {
                s.join(Duration.ofSeconds(60));
            }
            int[] next = new int[threads];
            for (int n = 0; n < threads * perThread; n++) {
                ServerEvent.Message m = c.await(ServerEvent.Message.class, Duration.ofSeconds(20));
                String[] parts = new String(m.data()).split(":", 3);
                int id = Integer.parseInt(parts[0]);
                int i = Integer.parseInt(parts[1]);
                assertThat(i).as("thread %d's messages in order", id).isEqualTo(next[id]);
                assertThat(parts[2]).hasSize(i % 2 == 0 ? i % 200 : i % 300);
                next[id]++;
            }
            assertThat(next).containsOnly(perThread);
            ws.close();
        }
    }

    @Test
    void messagesReceivedBeforeADropAllReachRecvBeforeTheClose() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            server.onConnect(c -> {
                for (int i = 0; i < 500; i++) {
                    c.sendText("m" + i);
                }
                c.closeTcp();
            });
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport).build();
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            for (int i = 0; i < 500; i++) {
                Received r = ws.recv(Duration.ofSeconds(5));
                assertThat(r.ok()).as("message %d: %s", i, r).isTrue();
                assertThat(r.data().text()).isEqualTo("m" + i);
            }
            Received end = ws.recv(Duration.ofSeconds(5));
            assertThat(end.ok()).isFalse();
            assertThat(end.error()).isInstanceOf(WebSocketClosedException.class);
        }
    }

    @Test
    void startsProcGetsEveryMessageCompleteBeforeTheServerClosed() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            server.onConnect(c -> {
                if (server.connectionsAccepted() == 1) {
                    for (int i = 0; i < 200; i++) {
                        c.sendText("m" + i);
                    }
                    c.sendClose(1001, "going away");
                }
            });
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport).build();
            List<String> got = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch all = new CountDownLatch(200);
            Thread task = ws.startAsync(null, m -> {
                got.add(m.text());
                all.countDown();
            }, Duration.ofMillis(100));
            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
            ws.exit();
            assertThat(task.join(Duration.ofSeconds(5))).isTrue();
            assertThat(got.subList(0, 200)).containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, 200).mapToObj(i -> "m" + i).toList());
        }
    }

    @Test
    void handlersRunOneAtATimeInWireOrderOffTheCallersThread() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            server.onConnect(c -> {
                for (int i = 0; i < 300; i++) {
                    c.sendText(Integer.toString(i));
                }
            });
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport).build();
            List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger overlaps = new java.util.concurrent.atomic.AtomicInteger();
            Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            CountDownLatch done = new CountDownLatch(300);
            ws.on(dev.tether.ws.Event.MESSAGE, (Message m) -> {
                if (inside.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                threads.add(Thread.currentThread());
                order.add(m.text());
                inside.decrementAndGet();
                done.countDown();
            });
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(overlaps.get()).isZero();
            assertThat(order).containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, 300).mapToObj(Integer::toString).toList());
            assertThat(threads).doesNotContain(Thread.currentThread()).allMatch(Thread::isVirtual);
            ws.close();
        }
    }

    @Test
    void aReplyThatArrivesBeforeTheFirstRecvIsKeptEvenWithAMessageHandler() throws Exception {
        // The seed's order: ws:on("message", f), ws:sendFrame(...), ws:recv().
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport).build();
            CountDownLatch handled = new CountDownLatch(1);
            ws.on(dev.tether.ws.Event.MESSAGE, m -> handled.countDown());
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            ws.send("reply before recv");
            assertThat(handled.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(ws.recv(Duration.ofSeconds(5)).data().text()).isEqualTo("reply before recv");
            ws.close();
        }
    }

    @Test
    void withOnlyAMessageHandlerOnlyTheLastUnclaimedMessageIsKept() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport).build();
            CountDownLatch all = new CountDownLatch(100);
            ws.on(dev.tether.ws.Event.MESSAGE, m -> all.countDown());
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            byte[] chunk = new byte[100_000];
            for (int i = 0; i < 100; i++) {
                chunk[0] = (byte) i;
                ws.send(chunk);  // 10 MB echoed, all handled, never asked for by recv
            }
            assertThat(all.await(20, TimeUnit.SECONDS)).isTrue();
            // Only the last is kept: recv finds it, and nothing older.
            Received first = ws.recv(Duration.ofSeconds(5));
            assertThat(first.data().bytes()[0]).isEqualTo((byte) 99);
            assertThat(ws.recv(Duration.ofMillis(200)).ok()).as("a second message kept").isFalse();
            ws.close();
        }
    }

    /**
     * A MESSAGE handler that falls behind holds the reader, and through TCP the server, once it is
     * {@code maxQueuedBytes} behind, instead of its backlog growing with whatever the server
     * sends; once it catches up every message arrives, in order.
     */
    @Test
    void aSlowMessageHandlerPushesBackOnTheServerAndLosesNothing() throws Exception {
        int count = 96;
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport)
                    .maxQueuedBytes(1 << 20).build();
            CountDownLatch release = new CountDownLatch(1);
            List<Integer> handled = new CopyOnWriteArrayList<>();
            ws.on(dev.tether.ws.Event.MESSAGE, m -> {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                handled.add(m.bytes()[0] & 0xFF);
            });
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            ServerConnection peer = server.nextConnection();
            AtomicInteger sent = new AtomicInteger();
            Thread sender = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < count; i++) {
                    byte[] mebibyte = new byte[1 << 20];
                    mebibyte[0] = (byte) i;
                    peer.sendFrame(true, 0x2, mebibyte);
                    sent.incrementAndGet();
                }
            });
            Thread.sleep(3000);
            // 96 MiB would be on the wire in well under a second; held back, the server gets no
            // further than the client's 2 MiB and what the two sockets' buffers hold.
            assertThat(sent.get()).as("MiB the server could send while the handler was stuck").isLessThan(count);
            release.countDown();
            sender.join(Duration.ofSeconds(30));
            assertThat(sent.get()).isEqualTo(count);
            for (int i = 0; i < 300 && handled.size() < count; i++) {
                Thread.sleep(100);
            }
            assertThat(handled).containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
            ws.close();
        }
    }

    /**
     * While a slow handler holds the reader, the server's pongs wait unread in the socket: the
     * keep-alive must not take that for a dead link and drop a healthy connection.
     */
    @Test
    void aReaderHeldBackByASlowHandlerIsNotTakenForADeadLink() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport)
                    .maxQueuedBytes(1 << 20).pingInterval(Duration.ofMillis(200)).pongTimeout(Duration.ofMillis(300))
                    .build();
            EventRecorder events = EventRecorder.on(ws);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch handledAll = new CountDownLatch(4);
            ws.on(dev.tether.ws.Event.MESSAGE, m -> {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                handledAll.countDown();
            });
            // start's proc reads recv's queue, so only the handler can hold the reader back.
            Thread runner = ws.startAsync(Duration.ofMillis(200), m -> { }, Duration.ofSeconds(30));
            ServerConnection peer = server.nextConnection(Duration.ofSeconds(5));
            for (int i = 0; i < 4; i++) {
                peer.sendFrame(true, 0x2, new byte[1 << 20]);  // the second one fills the handler's backlog
            }
            Thread.sleep(2000);  // ten pings, each with a 300 ms pong timeout, while the reader waits
            release.countDown();
            assertThat(handledAll.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ws.online()).isTrue();
            assertThat(server.connectionsAccepted()).as("no reconnect: the link never counted as dead").isEqualTo(1);
            assertThat(events.errors).as("errors").isEmpty();
            assertThat(events.events).noneMatch(e -> e.startsWith("close:"));
            ws.exit();
            runner.join(Duration.ofSeconds(10));
        }
    }

    @Test
    void aThrowingHandlerGoesToErrorAndTheConnectionCarriesOn() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport).build();
            EventRecorder events = EventRecorder.on(ws);
            Set<String> seen = new HashSet<>();
            ws.on(dev.tether.ws.Event.MESSAGE, m -> {
                seen.add(m.text());
                throw new IllegalStateException("handler bug");
            });
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            ws.send("one");
            assertThat(events.awaitEvent("error")).isEqualTo("error:IllegalStateException");
            ws.send("two");
            assertThat(events.awaitEvent("error")).isEqualTo("error:IllegalStateException");
            assertThat(ws.online()).isTrue();
            ws.close();
        }
    }

    /**
     * A connection whose {@code recv} queue is full stops reading, and only it: the others
     * (several, so that some share its NIO event loop) keep their round trips going meanwhile.
     * Once its consumer catches up it reads again and every message arrives, in order.
     */
    @Test
    void aFullRecvQueueHoldsOnlyItsOwnConnection() throws Exception {
        int count = 64;
        try (CodecServer server = CodecServer.started()) {
            WebSocket full = WebSocket.builder(server.uri("/full").toString()).transport(transport)
                    .maxQueuedBytes(1 << 20).build();
            assertThat(full.connect(Duration.ofSeconds(5))).isTrue();
            ServerConnection peer = server.nextConnection();
            List<WebSocket> others = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                WebSocket ws = WebSocket.builder(server.uri("/other").toString()).transport(transport).build();
                assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
                others.add(ws);
            }
            AtomicInteger sent = new AtomicInteger();
            Thread sender = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < count; i++) {
                    byte[] mebibyte = new byte[1 << 20];
                    mebibyte[0] = (byte) i;
                    peer.sendFrame(true, 0x2, mebibyte);
                    sent.incrementAndGet();
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            int roundTrips = 0;
            while (System.nanoTime() < deadline) {
                for (WebSocket ws : others) {
                    assertThat(ws.send("ping " + roundTrips)).isTrue();
                    Received echo = ws.recv(Duration.ofSeconds(2));
                    assertThat(echo.ok()).as("an echo on another connection while one is held").isTrue();
                    assertThat(echo.data().text()).isEqualTo("ping " + roundTrips);
                    roundTrips++;
                }
            }
            assertThat(sent.get()).as("MiB the server could send while nobody called recv").isLessThan(count);
            for (int i = 0; i < count; i++) {
                Received r = full.recv(Duration.ofSeconds(10));
                assertThat(r.ok()).as("message " + i).isTrue();
                assertThat(r.data().bytes()[0]).isEqualTo((byte) i);
            }
            sender.join(Duration.ofSeconds(10));
            assertThat(sent.get()).isEqualTo(count);
            full.close();
            others.forEach(WebSocket::close);
        }
    }
}
