package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ws.Event;
import dev.tether.ws.Message;
import dev.tether.ws.OnFull;
import dev.tether.ws.Opcode;
import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.ServerConnection;
import dev.tether.ws.testing.ServerEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The outbox: data sent while {@code start} is between connections waits, bounded, and goes out
 * first and in order once the next connection is OPEN; each overflow policy at its bound.
 */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
class OutboxTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Parameter
    String transport;

    /** Connected once through start, then the server stopped: the WebSocket is between connections. */
    private record Offline(CodecServer server, WebSocket ws, Thread task, BlockingQueue<Message> dropped)
            implements AutoCloseable {
        ServerConnection restart() throws Exception {
            server.start();
            return server.nextConnection(WAIT);
        }

        @Override
        public void close() throws Exception {
            ws.exit();
            assertThat(task.join(WAIT)).isTrue();
            server.close();
        }
    }

    private Offline offline(int maxMessages, long maxBytes, OnFull onFull) throws Exception {
        CodecServer server = CodecServer.started();
        WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport)
                .connectTimeout(Duration.ofSeconds(2))
                .outbox(maxMessages, maxBytes, onFull)
                .build();
        BlockingQueue<Message> dropped = new LinkedBlockingQueue<>();
        ws.on(Event.DROPPED, dropped::add);
        EventRecorder events = EventRecorder.on(ws);
        Thread task = ws.startAsync(null, m -> { }, Duration.ofMillis(50));
        server.nextConnection(WAIT);
        server.stop();
        assertThat(events.awaitEvent("close")).startsWith("close:1006");
        assertThat(ws.online()).isFalse();
        return new Offline(server, ws, task, dropped);
    }

    private static List<String> texts(ServerConnection c, int n) {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            got.add(c.await(ServerEvent.Message.class, WAIT).text());
        }
        return got;
    }

    private static List<String> numbered(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("m" + i);
        }
        return out;
    }

    @Test
    void fiveHundredMessagesSentWhileTheServerIsDownArriveInOrderOnceItIsBack() throws Exception {
        try (Offline o = offline(1000, 1 << 20, OnFull.REJECT)) {
            for (String m : numbered(0, 500)) {
                assertThat(o.ws.send(m)).as(m).isTrue();
            }
            ServerConnection c = o.restart();
            assertThat(texts(c, 500)).containsExactlyElementsOf(numbered(0, 500));
            // Once drained, sends go straight out again, behind what was queued.
            assertThat(o.ws.send("after")).isTrue();
            assertThat(c.await(ServerEvent.Message.class, WAIT).text()).isEqualTo("after");
            assertThat(o.dropped).isEmpty();
        }
    }

    @Test
    void rejectRefusesTheMessagePastEitherBound() throws Exception {
        try (Offline o = offline(3, 1 << 20, OnFull.REJECT)) {
            assertThat(o.ws.send("m0")).isTrue();
            assertThat(o.ws.send("m1")).isTrue();
            assertThat(o.ws.send("m2")).isTrue();
            assertThat(o.ws.send("m3")).as("a fourth message").isFalse();
            ServerConnection c = o.restart();
            assertThat(texts(c, 3)).containsExactly("m0", "m1", "m2");
            assertThat(o.dropped).isEmpty();
        }
        try (Offline o = offline(100, 10, OnFull.REJECT)) {
            assertThat(o.ws.send("aaaaa")).isTrue();
            assertThat(o.ws.send("bbbbb")).isTrue();
            assertThat(o.ws.send("c")).as("an eleventh byte").isFalse();
            assertThat(o.ws.send(new byte[11])).as("a message larger than the whole outbox").isFalse();
            ServerConnection c = o.restart();
            assertThat(texts(c, 2)).containsExactly("aaaaa", "bbbbb");
        }
    }

    @Test
    void dropOldestMakesRoomAndReportsWhatItDropped() throws Exception {
        try (Offline o = offline(3, 1 << 20, OnFull.DROP_OLDEST)) {
            for (String m : numbered(0, 5)) {
                assertThat(o.ws.send(m)).isTrue();
            }
            assertThat(o.dropped.poll(5, TimeUnit.SECONDS).text()).isEqualTo("m0");
            assertThat(o.dropped.poll(5, TimeUnit.SECONDS).text()).isEqualTo("m1");
            ServerConnection c = o.restart();
            assertThat(texts(c, 3)).containsExactly("m2", "m3", "m4");
            assertThat(o.dropped).isEmpty();
        }
    }

    @Test
    void waitUpToHoldsTheSenderUntilTheOutboxDrains() throws Exception {
        try (Offline o = offline(2, 1 << 20, OnFull.waitUpTo(Duration.ofSeconds(20)))) {
            assertThat(o.ws.send("m0")).isTrue();
            assertThat(o.ws.send("m1")).isTrue();
            CompletableFuture<Boolean> third = CompletableFuture.supplyAsync(() -> o.ws.send("m2"),
                    r -> Thread.ofVirtual().start(r));
            Thread.sleep(200);
            assertThat(third).as("waits while the outbox is full and the link down").isNotDone();
            ServerConnection c = o.restart();
            assertThat(third.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(texts(c, 3)).containsExactly("m0", "m1", "m2");
        }
    }

    @Test
    void waitUpToGivesUpAtItsTimeout() throws Exception {
        try (Offline o = offline(1, 1 << 20, OnFull.waitUpTo(Duration.ofMillis(200)))) {
            assertThat(o.ws.send("m0")).isTrue();
            long start = System.nanoTime();
            assertThat(o.ws.send("m1")).isFalse();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
            ServerConnection c = o.restart();
            assertThat(texts(c, 1)).containsExactly("m0");
        }
    }

    @Test
    void fragmentsQueuedWhileOfflineGoOutAsOneMessage() throws Exception {
        try (Offline o = offline(10, 1 << 20, OnFull.REJECT)) {
            assertThat(o.ws.sendFrame(false, Opcode.TEXT, "ab")).isTrue();
            assertThat(o.ws.sendFrame(false, Opcode.CONTINUATION, "cd")).isTrue();
            assertThat(o.ws.sendFrame(true, Opcode.CONTINUATION, "ef")).isTrue();
            assertThat(o.ws.send("next")).isTrue();
            assertThatThrownBy(() -> o.ws.sendFrame(true, Opcode.CONTINUATION, "orphan"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("continuation frame without a started message");
            ServerConnection c = o.restart();
            assertThat(texts(c, 2)).containsExactly("abcdef", "next");
        }
    }

    @Test
    void whatIsStillQueuedAtExitIsReportedDropped() throws Exception {
        Offline o = offline(10, 1 << 20, OnFull.REJECT);
        assertThat(o.ws.send("m0")).isTrue();
        assertThat(o.ws.send(new byte[] {1, 2, 3})).isTrue();
        o.close();
        Message first = o.dropped.poll(5, TimeUnit.SECONDS);
        Message second = o.dropped.poll(5, TimeUnit.SECONDS);
        assertThat(first.text()).isEqualTo("m0");
        assertThat(second.isText()).isFalse();
        assertThat(second.bytes()).containsExactly(1, 2, 3);
        assertThat(o.ws.send("after exit")).as("no start: nothing waits").isFalse();
    }

    @Test
    void anExitDuringTheDrainLeavesEveryMessageEitherSentOrReportedDropped() throws Exception {
        Offline o = offline(5000, 8 << 20, OnFull.REJECT);
        List<String> all = numbered(0, 2000);
        for (String m : all) {
            assertThat(o.ws.send(m)).isTrue();
        }
        ServerConnection c = o.restart();
        c.await(ServerEvent.Message.class, WAIT);  // the drain is under way
        o.close();  // exit() races the drain
        List<String> received = new ArrayList<>(List.of("m0"));
        for (ServerEvent e; (e = c.received().poll(5, TimeUnit.SECONDS)) != null
                && !(e instanceof ServerEvent.Close) && !(e instanceof ServerEvent.Disconnected); ) {
            if (e instanceof ServerEvent.Message m) {
                received.add(m.text());
            }
        }
        List<String> dropped = new ArrayList<>();
        for (Message m; (m = o.dropped.poll(1, TimeUnit.SECONDS)) != null; ) {
            dropped.add(m.text());
        }
        // Sent in order, then the rest reported in order: nothing lost silently, nothing twice.
        List<String> both = new ArrayList<>(received);
        both.addAll(dropped);
        assertThat(both).containsExactlyElementsOf(all);
    }

    @Test
    void withoutStartASendWhileOfflineFailsAsWithoutAnOutbox() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport)
                    .outbox(10, 1 << 20, OnFull.REJECT).build();
            EventRecorder events = EventRecorder.on(ws);
            assertThat(ws.connect(WAIT)).isTrue();
            ServerConnection c = server.nextConnection(WAIT);
            assertThat(ws.send("online")).isTrue();
            assertThat(c.await(ServerEvent.Message.class, WAIT).text()).isEqualTo("online");
            server.stop();
            assertThat(events.awaitEvent("close")).startsWith("close:1006");
            assertThat(ws.send("offline")).isFalse();
        }
    }
}
