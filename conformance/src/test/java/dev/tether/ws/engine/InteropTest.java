package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.Message;
import dev.tether.ws.Opcode;
import dev.tether.ws.Received;
import dev.tether.ws.State;
import dev.tether.ws.WebSocket;
import dev.tether.ws.WebSocketClosedException;
import dev.tether.ws.testing.EchoServer;
import dev.tether.ws.testing.JettyEchoServer;
import dev.tether.ws.testing.NettyEchoServer;
import dev.tether.ws.testing.UndertowEchoServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tether against three independent servers from other projects, Jetty 12, Netty 4.2 and
 * Undertow, on every transport: echoes of text and binary across every payload-length
 * encoding up to 16 MiB, fragmented messages, ping and pong, and the close handshake started
 * by either side. Where this and the codec's own server disagree, one side misreads RFC 6455.
 */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InteropTest {
    /** Either side of each length encoding (7-bit, 16-bit, 64-bit), then large. */
    private static final int[] SIZES = {0, 125, 126, 65535, 65536, 1 << 20, 16 << 20};
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Parameter
    String transport;

    private final Map<String, EchoServer> servers = new LinkedHashMap<>();
    /** Gives every connection its own resource, so a server's record of its close is told apart. */
    private final AtomicInteger connections = new AtomicInteger();

    @BeforeAll
    void startServers() throws Exception {
        for (EchoServer s : new EchoServer[] {new JettyEchoServer(), new NettyEchoServer(), new UndertowEchoServer()}) {
            servers.put(s.name(), s);
        }
    }

    /** A server that saw a protocol violation or an I/O error from Tether says so here. */
    @AfterAll
    void stopServersThatSawNoErrors() {
        Map<String, List<Throwable>> errors = new LinkedHashMap<>();
        servers.forEach((name, server) -> {
            if (!server.errors().isEmpty()) {
                errors.put(name, List.copyOf(server.errors()));
            }
        });
        servers.values().forEach(EchoServer::close);
        assertThat(errors).as("errors the servers reported on %s", transport).isEmpty();
    }

    static Stream<Arguments> serversAndSizes() {
        return Stream.of("jetty", "netty", "undertow")
                .flatMap(server -> Arrays.stream(SIZES).mapToObj(size -> Arguments.of(server, size)));
    }

    /** A resource on {@code path} that no other connection of this class uses. */
    private String resource(String path, String server) {
        String id = "id=" + transport + "-" + server + "-" + connections.incrementAndGet();
        return path + (path.contains("?") ? "&" : "?") + id;
    }

    private WebSocket client(String server, String resource) {
        return WebSocket.builder(servers.get(server).uri(resource).toString()).transport(transport).build();
    }

    private static void connect(WebSocket ws) {
        assertThat(ws.connect(Duration.ofSeconds(10))).as("connect %s: %s", ws.url(), ws.lastError()).isTrue();
    }

    private WebSocket connected(String server) {
        WebSocket ws = client(server, resource("/echo", server));
        connect(ws);
        return ws;
    }

    private static Message received(WebSocket ws) {
        Received r = ws.recv(WAIT);
        assertThat(r.ok()).as("recv on %s: %s", ws.url(), r).isTrue();
        return r.data();
    }

    /** Text of exactly {@code bytes} UTF-8 bytes, mixing 1- to 4-byte sequences. */
    static String utf8Text(int bytes) {
        String unit = "κόσμε-€-😀-ascii ";
        int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder b = new StringBuilder(bytes);
        int n = 0;
        while (n + unitBytes <= bytes) {
            b.append(unit);
            n += unitBytes;
        }
        return b.append("a".repeat(bytes - n)).toString();
    }

    @ParameterizedTest(name = "{0}, {1} bytes")
    @MethodSource("serversAndSizes")
    void textEchoesAsText(String server, int size) {
        String text = utf8Text(size);
        try (WebSocket ws = connected(server)) {
            assertThat(ws.send(text)).isTrue();
            Message m = received(ws);
            assertThat(m.isText()).as("%s echoed a text message as text", server).isTrue();
            assertThat(m.size()).isEqualTo(size);
            assertThat(m.text()).isEqualTo(text);
        }
    }

    @ParameterizedTest(name = "{0}, {1} bytes")
    @MethodSource("serversAndSizes")
    void binaryEchoesAsBinary(String server, int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        try (WebSocket ws = connected(server)) {
            assertThat(ws.send(data)).isTrue();
            Message m = received(ws);
            assertThat(m.isText()).as("%s echoed a binary message as binary", server).isFalse();
            assertThat(m.bytes()).isEqualTo(data);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "netty", "undertow"})
    void textSentAsManyFragmentsWithPingsBetweenComesBackWhole(String server) {
        try (WebSocket ws = connected(server)) {
            StringBuilder expected = new StringBuilder("part-0 ");
            assertThat(ws.sendFrame(false, Opcode.TEXT, "part-0 ")).isTrue();
            for (int i = 1; i < 50; i++) {
                String part = "part-" + i + " ";
                assertThat(ws.sendFrame(false, Opcode.CONTINUATION, part)).isTrue();
                expected.append(part);
                if (i % 10 == 0) {
                    assertThat(ws.ping("between fragments " + i)).isTrue();  // allowed mid-message (section 5.4)
                }
            }
            assertThat(ws.sendFrame(true, Opcode.CONTINUATION, "end")).isTrue();
            expected.append("end");
            Message m = received(ws);
            assertThat(m.isText()).isTrue();
            assertThat(m.text()).isEqualTo(expected.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "netty", "undertow"})
    void binarySentAsFragmentsOfEverySizeComesBackWhole(String server) {
        // Empty fragments included: legal, and a classic place for an off-by-one.
        int[] fragments = {0, 1, 125, 126, 0, 65536, 1 << 20, 0};
        Random random = new Random(11);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (WebSocket ws = connected(server)) {
            for (int i = 0; i < fragments.length; i++) {
                byte[] part = new byte[fragments[i]];
                random.nextBytes(part);
                expected.writeBytes(part);
                boolean last = i == fragments.length - 1;
                assertThat(ws.sendFrame(last, i == 0 ? Opcode.BINARY : Opcode.CONTINUATION, part)).isTrue();
            }
            Message m = received(ws);
            assertThat(m.isText()).isFalse();
            assertThat(m.bytes()).isEqualTo(expected.toByteArray());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "netty", "undertow"})
    void manyMessagesSentWithoutWaitingComeBackInOrder(String server) {
        try (WebSocket ws = connected(server)) {
            for (int i = 0; i < 200; i++) {
                assertThat(i % 2 == 0 ? ws.send("message " + i) : ws.send(new byte[] {(byte) i})).isTrue();
            }
            for (int i = 0; i < 200; i++) {
                Message m = received(ws);
                if (i % 2 == 0) {
                    assertThat(m.text()).isEqualTo("message " + i);
                } else {
                    assertThat(m.bytes()).containsExactly((byte) i);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "netty", "undertow"})
    void pingIsAnsweredWithAPongCarryingItsPayload(String server) throws Exception {
        WebSocket ws = client(server, resource("/echo", server));
        EventRecorder events = EventRecorder.on(ws);
        connect(ws);
        try (ws) {
            assertThat(ws.ping("probe " + server)).isTrue();
            assertThat(events.awaitEvent("pong")).isEqualTo("pong:probe " + server);
            assertThat(ws.ping()).isTrue();
            assertThat(events.awaitEvent("pong")).isEqualTo("pong:");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "netty", "undertow"})
    void clientCloseCodeAndReasonReachTheServerAndItsAnswerEndsTheConnection(String server) throws Exception {
        String resource = resource("/echo", server);
        WebSocket ws = client(server, resource);
        EventRecorder events = EventRecorder.on(ws);
        connect(ws);
        ws.close(4002, "client says bye ✓");
        assertThat(ws.state()).isEqualTo(State.CLOSED);
        assertThat(servers.get(server).awaitClose(resource, WAIT))
                .isEqualTo(new EchoServer.CloseSeen(resource, 4002, "client says bye ✓"));
        // Each server answers with the code it received (RFC 6455 section 5.5.1).
        assertThat(events.awaitEvent("close")).startsWith("close:4002:");
    }

    /**
     * The close answer goes out even when the server's close arrives while our own send still
     * holds the write lock. Jetty's server ends its side of TCP right after its close, and records
     * 1006 if the client's socket closes first: the reader must not read on to that end before
     * the answer is out. Two hundred times, so that the race is met (it was in about 1 of 70 on
     * NIO before the reader waited briefly for the lock, and in about 1 of 4,000 after, when a
     * sender kept the lock past that wait, until reading paused for an answer still owed).
     */
    @Test
    void theCloseAnswerIsPromptWhenTheServersCloseRacesOurSend() throws Exception {
        EchoServer jetty = servers.get("jetty");
        for (int i = 0; i < 200; i++) {
            String resource = resource("/close?code=4001&reason=done", "jetty");
            WebSocket ws = client("jetty", resource);
            connect(ws);
            assertThat(ws.send("hello")).isTrue();
            assertThat(jetty.awaitClose(resource, WAIT).code()).as("round %d", i).isEqualTo(4001);
            ws.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "netty", "undertow"})
    void serverCloseAfterAMessageReachesTheClientAndIsAnswered(String server) throws Exception {
        String resource = resource("/close?code=4001&reason=done", server);
        WebSocket ws = client(server, resource);
        EventRecorder events = EventRecorder.on(ws);
        connect(ws);
        assertThat(ws.send("hello")).isTrue();
        assertThat(events.awaitEvent("close")).isEqualTo("close:4001:done");
        Received r = ws.recv(WAIT);
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).isInstanceOfSatisfying(WebSocketClosedException.class, e -> {
            assertThat(e.code()).isEqualTo(4001);
            assertThat(e.reason()).isEqualTo("done");
        });
        // Tether's answering close carries the server's code back (section 5.5.1).
        assertThat(servers.get(server).awaitClose(resource, WAIT).code()).isEqualTo(4001);
        assertThat(ws.state()).isEqualTo(State.CLOSED);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "netty", "undertow"})
    void serverCloseRightAfterOpenReachesTheClient(String server) throws Exception {
        String resource = resource("/close?code=4003&reason=go%20away&after=open", server);
        WebSocket ws = client(server, resource);
        EventRecorder events = EventRecorder.on(ws);
        connect(ws);
        assertThat(events.awaitEvent("close")).isEqualTo("close:4003:go away");
        assertThat(servers.get(server).awaitClose(resource, WAIT).code()).isEqualTo(4003);
        assertThat(ws.state()).isEqualTo(State.CLOSED);
    }
}
