package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ws.Event;
import dev.tether.ws.Message;
import dev.tether.ws.Opcode;
import dev.tether.ws.Received;
import dev.tether.ws.State;
import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.FaultProxy;
import dev.tether.ws.testing.FaultTarget;
import dev.tether.ws.testing.JettyEchoServer;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code inlineHandlers(true)}: the MESSAGE handler runs on the thread that read the message and
 * gets a message that arrived whole as a loan, valid during the call; order with the other
 * handlers holds; and nothing a handler may call waits for the network on that thread (a send
 * behind a sender stuck on a full socket is deferred, close does not wait, blocking calls throw).
 * Against Jetty, on both transports.
 */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
class InlineHandlersTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Parameter
    String transport;

    private JettyEchoServer jetty;

    @BeforeEach
    void startJetty() throws Exception {
        jetty = new JettyEchoServer();
    }

    @AfterEach
    void stopJetty() {
        jetty.close();
    }

    private WebSocket.Builder builder(int port) {
        return WebSocket.builder("ws://127.0.0.1:" + port + "/echo").transport(transport).inlineHandlers(true)
                .closeTimeout(Duration.ofSeconds(2));
    }

    private static byte[] numbered(int i, int size) {
        byte[] b = new byte[size];
        for (int k = 0; k < size; k++) {
            b[k] = (byte) (i * 31 + k);
        }
        return b;
    }

    @Test
    void messagesAreLentOnTheReadingThreadInOrderAndExpireAfterTheCall() throws Exception {
        WebSocket ws = builder(jetty.port()).build();
        int n = 2_000;
        List<byte[]> kept = new ArrayList<>();
        List<Message> lentAfterwards = new ArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(n);
        ws.on(Event.MESSAGE, m -> {
            kept.add(m.owned().bytes());
            lentAfterwards.add(m);
            threads.add(Thread.currentThread().getName());
            all.countDown();
        });
        assertThat(ws.connect(WAIT)).isTrue();
        for (int i = 0; i < n; i++) {
            assertThat(ws.send(numbered(i, 1 + i % 300))).isTrue();
        }
        assertThat(all.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < n; i++) {
            assertThat(kept.get(i)).as("message %d", i).isEqualTo(numbered(i, 1 + i % 300));
        }
        long lent = lentAfterwards.stream().filter(Message::isLent).count();
        assertThat(lent).as("messages that arrived whole were lent").isPositive();
        Message oneLent = lentAfterwards.stream().filter(Message::isLent).findFirst().orElseThrow();
        assertThatThrownBy(oneLent::buffer).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("valid only during its handler call");
        assertThatThrownBy(oneLent::bytes).isInstanceOf(IllegalStateException.class);
        assertThat(oneLent.size()).as("the size stays readable").isPositive();
        assertThat(threads).as("never the handler thread").noneMatch(t -> t.startsWith("tether-events"));
        ws.close();
    }

    @Test
    void textTakenDuringTheCallStaysAndLargeMessagesArriveWhole() throws Exception {
        WebSocket ws = builder(jetty.port()).build();
        BlockingQueue<Message> seen = new LinkedBlockingQueue<>();
        ws.on(Event.MESSAGE, m -> {
            if (m.isText()) {
                m.text();
            }
            seen.add(m);
        });
        assertThat(ws.connect(WAIT)).isTrue();
        String text = "héllo, 世界 🌍".repeat(10);
        ws.send(text);
        byte[] large = numbered(7, 3 << 20);
        ws.send(large);
        Message t = seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(t).isNotNull();
        assertThat(t.text()).as("text() kept from the call").isEqualTo(text);
        Message l = seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(l).isNotNull();
        assertThat(l.isLent()).as("3 MiB cannot be whole in one read buffer: copied").isFalse();
        assertThat(l.bytes()).isEqualTo(large);
        ws.close();
    }

    /** Up to 64 KiB, a message split across reads is joined in a pooled buffer and lent too. */
    @Test
    void messagesSplitAcrossReadsAreLentUpTo64KiBAndCopiedAbove() throws Exception {
        WebSocket ws = builder(jetty.port()).build();
        BlockingQueue<Object[]> seen = new LinkedBlockingQueue<>();
        ws.on(Event.MESSAGE, m -> seen.add(new Object[] {m.isLent(), m.bytes()}));
        assertThat(ws.connect(WAIT)).isTrue();
        int[] sizes = {40 << 10, 64 << 10, (64 << 10) + 1, 200 << 10, 40 << 10};
        for (int i = 0; i < sizes.length; i++) {
            ws.send(numbered(i, sizes[i]));
        }
        for (int i = 0; i < sizes.length; i++) {
            Object[] m = seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(m).as("message %d", i).isNotNull();
            assertThat((byte[]) m[1]).as("message %d", i).isEqualTo(numbered(i, sizes[i]));
            assertThat((Boolean) m[0]).as("message %d of %d bytes lent", i, sizes[i]).isEqualTo(sizes[i] <= 64 << 10);
        }
        ws.close();
    }

    @Test
    void messagesArrivingWhileTheOpenHandlerRunsWaitForItAndKeepTheirOrder() throws Exception {
        WebSocket ws = builder(jetty.port()).build();
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch four = new CountDownLatch(4);
        ws.on(Event.OPEN, () -> {
            for (int i = 1; i <= 3; i++) {
                ws.send("m" + i);
            }
            sleep(300);  // the echoes arrive meanwhile
            events.add("open");
        });
        ws.on(Event.MESSAGE, m -> {
            events.add(m.text() + (m.isLent() ? ":lent" : ":queued"));
            four.countDown();
        });
        assertThat(ws.connect(WAIT)).isTrue();
        Thread.sleep(100);  // the queued handlers have run and their thread ended (it lingers 2 ms)
        ws.send("m4");
        assertThat(four.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(events).containsExactly("open", "m1:queued", "m2:queued", "m3:queued", "m4:lent");
        ws.close();
    }

    @Test
    void callsThatWaitForTheNetworkThrowInsideAnInlineHandler() throws Exception {
        WebSocket ws = builder(jetty.port()).build();
        WebSocket other = WebSocket.builder(jetty.uri("/echo").toString()).transport(transport).build();
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        ws.on(Event.MESSAGE, m -> {
            List<Runnable> calls = List.of(
                    () -> ws.recv(),
                    () -> ws.recv(Duration.ofMillis(1)),
                    () -> ws.connect(Duration.ofSeconds(1)),
                    () -> other.connect(Duration.ofSeconds(1)),
                    () -> ws.start(),
                    () -> {
                        try {
                            ws.sendStream(Opcode.BINARY, new ByteArrayInputStream(new byte[3]));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
            for (Runnable call : calls) {
                try {
                    call.run();
                } catch (RuntimeException e) {
                    thrown.add(e);
                }
            }
            done.countDown();
        });
        assertThat(ws.connect(WAIT)).isTrue();
        ws.send("go");
        assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(thrown).hasSize(6).allSatisfy(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("may not be called from a handler running on the thread that reads"));
        assertThat(other.state()).isNotEqualTo(State.OPEN);
        assertThat(ws.state()).isEqualTo(State.OPEN);
        ws.close();
    }

    @Test
    void closeFromAnInlineHandlerReturnsAtOnceAndTheHandshakeCompletes() throws Exception {
        WebSocket ws = builder(jetty.port()).build();
        AtomicReference<Long> closeMillis = new AtomicReference<>();
        BlockingQueue<String> closes = new LinkedBlockingQueue<>();
        ws.on(Event.CLOSE, (code, reason) -> closes.add(code + ":" + reason));
        ws.on(Event.MESSAGE, m -> {
            long t0 = System.nanoTime();
            ws.close(1000, "bye");
            closeMillis.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        });
        assertThat(ws.connect(WAIT)).isTrue();
        ws.send("close me");
        assertThat(closes.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("1000:bye");
        assertThat(closeMillis.get()).as("close() inside the handler, ms").isLessThan(500);
        assertThat(ws.state()).isEqualTo(State.CLOSED);
        assertThat(jetty.awaitClose("/echo", WAIT).code()).isEqualTo(1000);
    }

    @Test
    void recvGetsCopiesOnceItHasBeenCalled() throws Exception {
        WebSocket ws = builder(jetty.port()).build();
        List<Boolean> lent = new CopyOnWriteArrayList<>();
        ws.on(Event.MESSAGE, m -> lent.add(m.isLent()));
        assertThat(ws.connect(WAIT)).isTrue();
        assertThat(ws.recv(Duration.ofMillis(1)).ok()).as("nothing yet").isFalse();
        int n = 200;
        for (int i = 0; i < n; i++) {
            ws.send(numbered(i, 100));
        }
        for (int i = 0; i < n; i++) {
            Received r = ws.recv(WAIT);
            assertThat(r.ok()).as("recv %d", i).isTrue();
            assertThat(r.data().isLent()).isFalse();
            assertThat(r.data().bytes()).as("message %d", i).isEqualTo(numbered(i, 100));
        }
        assertThat(lent).hasSize(n).contains(true);
        ws.close();
    }

    /**
     * The race inline handlers bring: another thread's large send holds the connection, stuck on a
     * socket the server does not drain, when a message arrives whose handler sends too. On NIO the
     * handler runs on the event loop, the only thread that would drain that socket: waiting for the
     * sender there would stall both until the write timeout. The handler's frame is deferred
     * instead, and goes out after the large message once the path clears; SENT fires for it only
     * then, when it is written, not when it is deferred.
     */
    @Test
    void aSendFromTheHandlerBehindAStuckSenderIsDeferredNotWaitedFor() throws Exception {
        try (FaultProxy proxy = FaultProxy.to(jetty.port())) {
            WebSocket ws = builder(proxy.port()).writeTimeout(Duration.ofSeconds(30)).build();
            BlockingQueue<Message> echoes = new LinkedBlockingQueue<>();
            CompletableFuture<Long> handlerSendMillis = new CompletableFuture<>();
            AtomicInteger sentEvents = new AtomicInteger();
            ws.on(Event.SENT, sentEvents::incrementAndGet);
            ws.on(Event.MESSAGE, m -> {
                if (m.isText() && m.text().equals("trigger")) {
                    long t0 = System.nanoTime();
                    boolean sent = ws.send("reply");
                    handlerSendMillis.complete(sent ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) : -1);
                }
                echoes.add(m.owned());
            });
            assertThat(ws.connect(WAIT)).isTrue();
            FaultTarget down = proxy.on(FaultProxy.Direction.DOWNSTREAM);
            down.stall();
            long before = proxy.forwarded(FaultProxy.Direction.UPSTREAM);
            ws.send("trigger");  // echoed, but held on its way back
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (proxy.forwarded(FaultProxy.Direction.UPSTREAM) == before && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(200);  // Jetty has echoed it into the stalled direction
            FaultTarget up = proxy.on(FaultProxy.Direction.UPSTREAM);
            up.stall();
            byte[] large = numbered(3, 24 << 20);
            CompletableFuture<Boolean> largeSent = CompletableFuture.supplyAsync(() -> ws.send(large),
                    r -> Thread.ofVirtual().start(r));
            Thread.sleep(500);
            assertThat(largeSent).as("the large send is stuck on the stalled socket").isNotDone();
            down.resume();  // the trigger's echo arrives: its handler sends
            Long millis = null;
            try {
                millis = handlerSendMillis.get(3, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // the handler is still blocked: let the path clear so the test ends, then fail below
            }
            Thread.sleep(300);  // time for a SENT handler call the deferral might have queued
            int sentWhileStuck = sentEvents.get();
            up.resume();
            assertThat(millis).as("send() inside the handler returned while the large send was stuck").isNotNull();
            assertThat(sentWhileStuck).as("SENT events while the large send and the reply waited: the trigger's only")
                    .isEqualTo(1);
            assertThat(millis).as("ms in send() inside the handler").isBetween(0L, 1000L);
            assertThat(largeSent.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            List<String> order = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Message m = echoes.poll(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
                assertThat(m).as("echo %d", i).isNotNull();
                order.add(m.isText() ? m.text() : "large:" + java.util.Arrays.equals(m.bytes(), large));
            }
            assertThat(order).containsExactly("trigger", "large:true", "reply");
            assertThat(sentEvents.get()).as("SENT events once all three were written").isEqualTo(3);
            ws.close();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
