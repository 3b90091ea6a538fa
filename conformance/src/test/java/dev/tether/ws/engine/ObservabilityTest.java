package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.Opcode;
import dev.tether.ws.TrafficListener;
import dev.tether.ws.WebSocket;
import dev.tether.ws.codec.CloseCodes;
import dev.tether.ws.codec.Opcodes;
import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.ServerConnection;
import dev.tether.ws.testing.ServerEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** JFR events (connect, close, reconnect, protocol error) and the TrafficListener's counters. */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
class ObservabilityTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Parameter
    String transport;

    private WebSocket.Builder builder(CodecServer server) {
        return WebSocket.builder(server.uri("/").toString()).transport(transport).connectTimeout(Duration.ofSeconds(2));
    }

    @Test
    void aRecordingHoldsConnectCloseReconnectAndProtocolErrorEventsThatJfrPrintReads(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tether.jfr");
        try (Recording recording = new Recording(); CodecServer server = CodecServer.started()) {
            for (String name : List.of("Connect", "Close", "Reconnect", "ProtocolError")) {
                recording.enable("dev.tether.ws." + name);
            }
            recording.start();

            // Closed by us.
            WebSocket ws = builder(server).build();
            assertThat(ws.connect(WAIT)).isTrue();
            ws.close(CloseCodes.NORMAL, "done");
            // Closed by the server.
            EventRecorder events = EventRecorder.on(ws);
            assertThat(ws.connect(WAIT)).isTrue();
            server.nextConnection(WAIT);
            server.nextConnection(WAIT).sendClose(CloseCodes.GOING_AWAY, "restart");
            assertThat(events.awaitEvent("close")).startsWith("close:1001");
            // A protocol error: a reserved opcode (RFC 6455 section 5.2).
            assertThat(ws.connect(WAIT)).isTrue();
            server.nextConnection(WAIT).sendFrame(true, 0x3, new byte[0]);
            assertThat(events.awaitEvent("close")).startsWith("close:1002");
            // A refused connect, then start reconnecting to a server that is gone.
            int port = server.port();
            server.stop();
            assertThat(ws.connect(WAIT)).isFalse();
            Thread task = ws.startAsync(null, m -> { }, Duration.ofMillis(50));
            Thread.sleep(300);
            ws.exit();
            assertThat(task.join(WAIT)).isTrue();

            recording.stop();
            recording.dump(file);

            // Thread-local buffers are written out in no particular order: sort by time.
            Map<String, List<RecordedEvent>> byName = RecordingFile.readAllEvents(file).stream()
                    .sorted(java.util.Comparator.comparing(RecordedEvent::getStartTime))
                    .collect(Collectors.groupingBy(e -> e.getEventType().getName()));
            List<RecordedEvent> connects = byName.get("dev.tether.ws.Connect");
            assertThat(connects).hasSizeGreaterThanOrEqualTo(4);
            RecordedEvent first = connects.get(0);
            assertThat(first.getBoolean("succeeded")).isTrue();
            assertThat(first.getString("transport")).isEqualTo(transport);
            assertThat(first.getString("url")).isEqualTo(server.uri("/").toString());
            assertThat(first.getLong("tcp")).isPositive();
            assertThat(first.getLong("upgrade")).isPositive();
            // The steps are timed with System.nanoTime, the event with JFR's ticks: allow 1 ms between the clocks.
            assertThat(first.getDuration().toNanos() + 1_000_000)
                    .isGreaterThanOrEqualTo(first.getLong("dns") + first.getLong("tcp") + first.getLong("upgrade"));
            assertThat(connects.stream().filter(e -> !e.getBoolean("succeeded")))
                    // Refused, or called off by exit() while it ran.
                    .allSatisfy(e -> assertThat(e.getString("failure")).containsAnyOf(Integer.toString(port), "called off"))
                    .isNotEmpty();

            List<RecordedEvent> closes = byName.get("dev.tether.ws.Close");
            assertThat(closes).extracting(e -> e.getInt("code") + " " + e.getString("initiator"))
                    .containsExactly("1000 client", "1001 server", "1002 client");
            assertThat(closes).extracting(e -> e.getString("reason")).startsWith("done", "restart");
            assertThat(byName.get("dev.tether.ws.ProtocolError")).singleElement()
                    .satisfies(e -> assertThat(e.getInt("code")).isEqualTo(1002));
            assertThat(byName.get("dev.tether.ws.Reconnect")).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.getDuration("delay")).isPositive());
        }

        // And as an operator reads it: the JDK's jfr tool.
        Path jfr = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jfr");
        Process p = new ProcessBuilder(jfr.toString(), "print", "--events", "dev.tether.ws.Close", file.toString())
                .redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(printed).contains("dev.tether.ws.Close", "initiator = \"server\"", "reason = \"restart\"", "code = 1001");
    }

    @Test
    void theTrafficListenerCountsMessagesBytesAndPingRoundTrips() throws Exception {
        AtomicLong in = new AtomicLong();
        AtomicLong out = new AtomicLong();
        AtomicLong inBytes = new AtomicLong();
        AtomicLong outBytes = new AtomicLong();
        AtomicLong wireIn = new AtomicLong();
        AtomicLong wireOut = new AtomicLong();
        BlockingQueue<Long> rtts = new LinkedBlockingQueue<>();
        TrafficListener listener = new TrafficListener() {
            @Override
            public void messageReceived(int opcode, long payloadBytes) {
                in.incrementAndGet();
                inBytes.addAndGet(payloadBytes);
            }

            @Override
            public void messageSent(int opcode, long payloadBytes) {
                out.incrementAndGet();
                outBytes.addAndGet(payloadBytes);
            }

            @Override
            public void bytesRead(long bytes) {
                wireIn.addAndGet(bytes);
            }

            @Override
            public void bytesWritten(long bytes) {
                wireOut.addAndGet(bytes);
            }

            @Override
            public void pingRoundTrip(long nanos) {
                rtts.add(nanos);
            }
        };
        try (CodecServer server = CodecServer.started()) {
            server.onConnect(c -> c.echo(true));
            WebSocket ws = builder(server).trafficListener(listener).build();
            assertThat(ws.connect(WAIT)).isTrue();
            ws.send("hello");                                   // 5 bytes
            ws.sendFrame(false, Opcode.BINARY, new byte[100]);  // one message of 300 bytes in two frames
            ws.sendFrame(true, Opcode.CONTINUATION, new byte[200]);
            assertThat(ws.recv(WAIT).data().text()).isEqualTo("hello");
            assertThat(ws.recv(WAIT).data().size()).isEqualTo(300);
            assertThat(ws.ping("rtt")).isTrue();
            assertThat(rtts.poll(10, TimeUnit.SECONDS)).isPositive();
            ws.close();
        }
        assertThat(out).hasValue(2);
        assertThat(outBytes).hasValue(305);
        assertThat(in).hasValue(2);
        assertThat(inBytes).hasValue(305);
        // Frames with headers on top (masked client frames: 6 or more bytes each), plus the upgrade.
        assertThat(wireOut.get()).isGreaterThan(305 + 3 * 6);
        assertThat(wireIn.get()).isGreaterThan(305 + 2 * 2);
    }

    @Test
    void queuedBytesShowsWhatRecvHasNotTaken() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = builder(server).build();
            assertThat(ws.connect(WAIT)).isTrue();
            ServerConnection c = server.nextConnection(WAIT);
            c.sendBinary(new byte[1000]).sendBinary(new byte[24]);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (ws.queuedBytes() < 1024 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(ws.queuedBytes()).isEqualTo(1024);
            ws.recv(WAIT);
            assertThat(ws.queuedBytes()).isEqualTo(24);
            ws.close();
            assertThat(c.await(ServerEvent.Close.class, WAIT).code()).isEqualTo(1000);
        }
    }
}
