package dev.tether.ws.engine;

import static dev.tether.ws.testing.FaultProxy.Direction.DOWNSTREAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.Message;
import dev.tether.ws.State;
import dev.tether.ws.TlsOptions;
import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.FaultProxy;
import dev.tether.ws.testing.FaultTarget;
import dev.tether.ws.testing.SelfSignedTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The network breaking on purpose: a {@link FaultProxy} between Tether and the codec's server
 * injects each fault in the middle of the opening handshake, of a large message and of the close
 * handshake, over ws and wss, on both transports. Whatever happens, the connection ends in a
 * defined state within its timeouts, with the close code the fault calls for (1006 for a dead or
 * cut link, 1007 where corruption shows in text), and {@code start} comes back once the fault
 * clears.
 */
@ParameterizedClass
@CsvSource({"blocking,ws", "blocking,wss", "nio,ws", "nio,wss"})
class FaultInjectionTest {
    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(1500);
    private static final Duration CLOSE_TIMEOUT = Duration.ofMillis(500);
    private static final Duration PING = Duration.ofMillis(200);
    private static final Duration PONG_TIMEOUT = Duration.ofMillis(400);
    /** The longest any faulted case may take to reach CLOSED: every timeout above, with room. */
    private static final Duration SETTLE = Duration.ofSeconds(6);

    @Parameter(0)
    String transport;

    @Parameter(1)
    String scheme;

    @TempDir
    static Path dir;

    private static SelfSignedTls cert;
    private CodecServer server;
    private FaultProxy proxy;
    /** Every WebSocket a case made: none may stay reachable once it is over (threads, timers). */
    private final java.util.List<java.lang.ref.WeakReference<WebSocket>> made = new java.util.ArrayList<>();

    /** The faults, and whether a connection survives them (only slower or split traffic does). */
    enum Fault {
        DELAY(true, t -> t.delay(Duration.ofMillis(20))),
        SPLIT(true, FaultTarget::splitIntoSingleBytes),
        STALL(false, FaultTarget::stall),
        TRUNCATE(false, t -> t.truncate(3)),
        CORRUPT(false, t -> t.corruptOneByte(0x80)),
        HALF_CLOSE(false, FaultTarget::halfClose),
        RESET(false, FaultTarget::reset),
        BLACKHOLE(false, FaultTarget::blackhole);

        final boolean survivable;
        final Function<FaultTarget, CompletableFuture<Void>> apply;

        Fault(boolean survivable, Function<FaultTarget, CompletableFuture<Void>> apply) {
            this.survivable = survivable;
            this.apply = apply;
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = new CodecServer();
        if (scheme.equals("wss")) {
            synchronized (FaultInjectionTest.class) {
                if (cert == null) {
                    cert = SelfSignedTls.create(dir, "localhost");
                }
            }
            server.tls(cert.serverContext());
        }
        server.start();
        proxy = FaultProxy.to(server.port());
    }

    @AfterEach
    void stop() throws InterruptedException {
        proxy.close();
        server.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (made.stream().anyMatch(r -> r.get() != null) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(made.stream().filter(r -> r.get() != null).count())
                .as("WebSockets still reachable after the case").isZero();
    }

    private WebSocket.Builder builder() {
        return WebSocket.builder(scheme + "://127.0.0.1:" + proxy.port() + "/").transport(transport)
                .tls(TlsOptions.insecureTrustAll()).connectTimeout(CONNECT_TIMEOUT).closeTimeout(CLOSE_TIMEOUT)
                .pingInterval(PING).pongTimeout(PONG_TIMEOUT).writeTimeout(Duration.ofSeconds(2));
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void inTheOpeningHandshake(Fault fault) throws Exception {
        // ws: inside the 101's status code ("HTTP/1.1 " is 9 bytes; a corrupt reason phrase would
        // pass unnoticed, as RFC 7230 lets it); wss: inside the server's first TLS flight.
        fault.apply.apply(proxy.on(DOWNSTREAM).afterBytes(scheme.equals("ws") ? 9 : 100));
        WebSocket ws = track(builder().build());
        long start = System.nanoTime();
        boolean connected = ws.connect(CONNECT_TIMEOUT);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (fault.survivable) {
            assertThat(connected).as("connect through %s, error %s", fault, ws.lastError()).isTrue();
            ws.close();
        } else {
            assertThat(connected).as("connect through %s", fault).isFalse();
            assertThat(ws.lastError()).isNotNull();
            assertThat(took).as("connect() ms").isLessThan(CONNECT_TIMEOUT.toMillis() + 2_000);
        }
        assertEnded(ws);
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void inALargeMessage(Fault fault) throws Exception {
        WebSocket ws = track(builder().build());
        EventRecorder events = EventRecorder.on(ws);
        assertThat(ws.connect(CONNECT_TIMEOUT)).isTrue();
        // The echo of 1 MiB of ASCII text; the fault lands a quarter of the way into it.
        fault.apply.apply(proxy.on(DOWNSTREAM).afterBytes(256 * 1024));
        String text = "x".repeat(1 << 20);
        assertThat(ws.send(text)).isTrue();
        if (fault.survivable) {
            Message echo = events.messages.poll(20, TimeUnit.SECONDS);
            assertThat(echo).as("echo through %s", fault).isNotNull();
            assertThat(echo.text()).isEqualTo(text);
            ws.close();
            assertEnded(ws);
            return;
        }
        String close = events.awaitEvent("close:", SETTLE);
        int code = Integer.parseInt(close.split(":")[1]);
        if (fault == Fault.CORRUPT && scheme.equals("ws")) {
            assertThat(code).as(close).isEqualTo(1007);  // 0x80 in ASCII text is not UTF-8 (RFC 6455 8.1)
        } else {
            assertThat(code).as(close).isEqualTo(1006);  // a cut, dead or (under TLS) tampered link
        }
        assertThat(events.messages).as("no message through %s", fault).isEmpty();
        assertEnded(ws);
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void inTheCloseHandshake(Fault fault) throws Exception {
        WebSocket ws = track(builder().pingInterval(Duration.ZERO).build());
        EventRecorder events = EventRecorder.on(ws);
        assertThat(ws.connect(CONNECT_TIMEOUT)).isTrue();
        // Inside the server's close frame (ws: after its first two bytes; wss: inside its record).
        fault.apply.apply(proxy.on(DOWNSTREAM).afterBytes(2));
        long start = System.nanoTime();
        ws.close(1000, "bye");
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(took).as("close() ms").isLessThan(CLOSE_TIMEOUT.toMillis() + 2_000);
        String close = events.awaitEvent("close:", SETTLE);
        if (fault.survivable) {
            assertThat(close).startsWith("close:1000");
        } else {
            assertThat(close).as("through %s", fault).matches("close:(1000|1002|1006):.*");
        }
        assertEnded(ws);
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"STALL", "RESET", "BLACKHOLE", "TRUNCATE"})
    void startReconnectsOnceTheFaultClears(Fault fault) throws Exception {
        server.onConnect(c -> c.sendText("hello"));
        WebSocket ws = track(builder().build());
        EventRecorder events = EventRecorder.on(ws);
        BlockingQueue<Message> proc = new LinkedBlockingQueue<>();
        Thread task = ws.startAsync(PING, proc::add, Duration.ofMillis(100));
        try {
            assertThat(proc.poll(10, TimeUnit.SECONDS)).isNotNull();
            fault.apply.apply(proxy.on(DOWNSTREAM));  // this connection, and every new one until healed
            assertThat(events.awaitEvent("close:1006", SETTLE)).isNotNull();
            Thread.sleep(500);  // a few attempts against the broken network
            proxy.heal();
            Message again = proc.poll(15, TimeUnit.SECONDS);
            assertThat(again).as("a message on a new connection after heal()").isNotNull();
            assertThat(again.text()).isEqualTo("hello");
            assertThat(ws.online()).isTrue();
        } finally {
            ws.exit();
            assertThat(task.join(Duration.ofSeconds(10))).isTrue();
        }
        assertEnded(ws);
    }

    private WebSocket track(WebSocket ws) {
        made.add(new java.lang.ref.WeakReference<>(ws));
        return ws;
    }

    /** CLOSED, and stays so: nothing of the faulted connection comes back to life. */
    private static void assertEnded(WebSocket ws) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (ws.state() != State.CLOSED && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ws.state()).isEqualTo(State.CLOSED);
        assertThat(ws.online()).isFalse();
        assertThat(ws.send("late")).isFalse();
    }
}
