package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.tether.ws.Event;
import dev.tether.ws.Received;
import dev.tether.ws.State;
import dev.tether.ws.TlsOptions;
import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.SelfSignedTls;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Calls that race the connection's own steps: close() during DNS, TCP, TLS and the upgrade;
 * connect() from a handler; exit() right after startAsync(). Each test makes the race happen
 * (a resolver that blocks, a listener that never accepts, a server that never answers) rather
 * than hoping for it, and checks the end: CLOSED, never OPEN again, nothing left open.
 */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
class LifecycleRaceTest {
    @Parameter
    String transport;

    @TempDir
    Path dir;

    private WebSocket.Builder builder(String url) {
        return WebSocket.builder(url).transport(transport);
    }

    /** Runs connect(timeout) on a virtual thread; the future holds its result. */
    private static CompletableFuture<Boolean> connectAsync(WebSocket ws, Duration timeout) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> result.complete(ws.connect(timeout)));
        return result;
    }

    /** After a connect was called off: CLOSED for good, and recv() does not wait for ever. */
    private static void assertEndedForGood(WebSocket ws, CompletableFuture<Boolean> connect) throws Exception {
        assertThat(connect.get(5, TimeUnit.SECONDS)).as("connect() result").isFalse();
        assertThat(ws.state()).isEqualTo(State.CLOSED);
        Received r = ws.recv(Duration.ofSeconds(2));
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).isNotInstanceOf(java.util.concurrent.TimeoutException.class);
        Thread.sleep(200);  // nothing may bring it back to life afterwards
        assertThat(ws.state()).isEqualTo(State.CLOSED);
        assertThat(ws.send("late")).isFalse();
    }

    @Test
    void aNameWhoseFirstAddressIsRefusedConnectsThroughTheSecond() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            // 127.0.0.2 is loopback too, but the server listens on 127.0.0.1 only: refused.
            WebSocket ws = builder("ws://multi.test:" + server.port() + "/")
                    .resolver(host -> List.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.1")))
                    .build();
            assertThat(ws.connect(Duration.ofSeconds(5))).as("connect, last error %s", ws.lastError()).isTrue();
            assertThat(ws.send("through the second address")).isTrue();
            assertThat(ws.recv(Duration.ofSeconds(5)).data().text()).isEqualTo("through the second address");
            ws.close();
            assertThat(server.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void anAddressThatNeverAnswersDoesNotHoldUpTheNextOne() throws Exception {
        // RFC 8305 section 5: the next attempt starts 250 ms after the first, without waiting
        // for it to fail. 127.0.0.2 on the server's port is a listener with a full backlog, which
        // drops SYNs: a connect to it hangs until the deadline.
        try (CodecServer server = CodecServer.started();
             SynDropper unanswered = new SynDropper(InetAddress.getByName("127.0.0.2"), server.port())) {
            WebSocket ws = builder("ws://multi.test:" + server.port() + "/")
                    .resolver(host -> List.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.1")))
                    .build();
            long start = System.nanoTime();
            assertThat(ws.connect(Duration.ofSeconds(10))).as("connect, last error %s", ws.lastError()).isTrue();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMillis).as("connect() ms, the deadline being 10 s").isLessThan(3_000);
            ws.close();
        }
    }

    @Test
    void whenEveryAddressFailsTheErrorNamesEachOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        WebSocket ws = builder("ws://multi.test:" + port + "/")
                .resolver(host -> List.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3")))
                .build();
        assertThat(ws.connect(Duration.ofSeconds(5))).isFalse();
        assertThat(ws.lastError()).hasMessageContaining("multi.test:" + port)
                .hasMessageContaining("127.0.0.2").hasMessageContaining("127.0.0.3");
    }

    @Test
    void closeDuringNameResolutionCallsTheConnectOff() throws Exception {
        CountDownLatch resolving = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WebSocket ws = builder("ws://slow-dns.test:80/").resolver(host -> {
            resolving.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(InetAddress.getLoopbackAddress());
        }).build();
        try {
            CompletableFuture<Boolean> connect = connectAsync(ws, Duration.ofSeconds(20));
            assertThat(resolving.await(5, TimeUnit.SECONDS)).isTrue();
            ws.close();
            assertEndedForGood(ws, connect);
        } finally {
            release.countDown();
        }
    }

    @Test
    void closeDuringTheTcpConnectCallsItOff() throws Exception {
        try (SynDropper unanswered = new SynDropper(InetAddress.getLoopbackAddress(), 0)) {
            WebSocket ws = builder("ws://127.0.0.1:" + unanswered.port() + "/").build();
            CompletableFuture<Boolean> connect = connectAsync(ws, Duration.ofSeconds(20));
            Thread.sleep(300);  // inside the TCP connect by now
            long start = System.nanoTime();
            ws.close();
            assertEndedForGood(ws, connect);
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(5);
        }
    }

    /**
     * A listener that never accepts, its backlog full: the kernel drops further SYNs, so a connect
     * to it hangs as to a host that does not answer. Skips the test where the kernel answers
     * otherwise.
     */
    private static final class SynDropper implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket();
        private final List<Socket> fillers = new ArrayList<>();

        SynDropper(InetAddress address, int port) throws Exception {
            try {
                listener.bind(new InetSocketAddress(address, port), 1);
                for (int i = 0; i < 8 && !connectHangs(); i++) {
                    Socket s = new Socket();
                    s.connect(listener.getLocalSocketAddress(), 1000);
                    fillers.add(s);
                }
                assumeThat(connectHangs()).as("this kernel drops SYNs to a full backlog").isTrue();
            } catch (Exception | Error e) {
                close();
                throw e;
            }
        }

        int port() {
            return listener.getLocalPort();
        }

        private boolean connectHangs() throws Exception {
            try (Socket probe = new Socket()) {
                probe.connect(listener.getLocalSocketAddress(), 200);
                return false;
            } catch (SocketTimeoutException e) {
                return true;
            }
        }

        @Override
        public void close() throws Exception {
            for (Socket s : fillers) {
                s.close();
            }
            listener.close();
        }
    }

    @Test
    void closeDuringTheTlsHandshakeCallsItOffAndClosesTheSocket() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = acceptOne(silent);
            WebSocket ws = WebSocket.builder("wss://127.0.0.1:" + silent.getLocalPort() + "/").transport(transport)
                    .tls(TlsOptions.insecureTrustAll()).build();
            CompletableFuture<Boolean> connect = connectAsync(ws, Duration.ofSeconds(20));
            try (Socket peer = accepted.get(5, TimeUnit.SECONDS)) {
                Thread.sleep(200);  // the ClientHello is out; the client waits for the server's answer
                ws.close();
                assertEndedForGood(ws, connect);
                assertClosedByClient(peer);
            }
        }
    }

    @Test
    void closeDuringTheUpgradeCallsItOffAndClosesTheSocket() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            server.neverAnswerHandshake();
            WebSocket ws = builder(server.uri("/").toString()).build();
            CompletableFuture<Boolean> connect = connectAsync(ws, Duration.ofSeconds(20));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.connectionsAccepted() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(200);  // the upgrade request is out
            ws.close();
            assertEndedForGood(ws, connect);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!server.openConnections().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server.openConnections()).as("server-side connections still open").isEmpty();
        }
    }

    @Test
    void aTlsServerThatTricklesItsHandshakeIsBoundedByTheConnectTimeout() throws Exception {
        SelfSignedTls cert = SelfSignedTls.create(dir, "localhost");
        try (CodecServer server = new CodecServer().tls(cert.serverContext()).start();
             TrickleProxy trickle = new TrickleProxy(server.port(), 50)) {
            WebSocket ws = WebSocket.builder("wss://127.0.0.1:" + trickle.port() + "/").transport(transport)
                    .tls(TlsOptions.insecureTrustAll()).build();
            long start = System.nanoTime();
            assertThat(ws.connect(Duration.ofMillis(1500))).isFalse();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMillis).as("connect() took").isLessThan(5_000);
            assertThat(ws.lastError()).isInstanceOf(SocketTimeoutException.class);
            assertThat(ws.state()).isEqualTo(State.CLOSED);
        }
    }

    @Test
    void connectFromACloseHandlerDoesNotWaitForItsOwnOpenHandler() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = builder(server.uri("/").toString()).build();
            CompletableFuture<Long> reconnectMillis = new CompletableFuture<>();
            CountDownLatch reopened = new CountDownLatch(1);
            ws.on(Event.OPEN, reopened::countDown);
            ws.on(Event.CLOSE, (code, reason) -> {
                if (reconnectMillis.isDone()) {
                    return;
                }
                long start = System.nanoTime();
                boolean ok = ws.connect(10_000);
                reconnectMillis.complete(ok ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) : -1L);
            });
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            server.nextConnection().sendClose(1001, "going away");
            long took = reconnectMillis.get(15, TimeUnit.SECONDS);
            assertThat(took).as("connect() from the CLOSE handler, ms (-1: failed)").isBetween(0L, 1_000L);
            assertThat(reopened.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(ws.online()).isTrue();
            assertThat(server.connectionsAccepted()).isEqualTo(2);
            ws.close();
        }
    }

    @Test
    void exitRightAfterStartAsyncEndsTheTask() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = builder(server.uri("/").toString()).build();
            Thread task = ws.startAsync(null, m -> { });
            ws.exit();
            assertThat(task.join(Duration.ofSeconds(10))).as("start ended").isTrue();
            assertThat(ws.online()).isFalse();
        }
    }

    @Test
    void exitWhileStartIsConnectingEndsTheTask() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            server.neverAnswerHandshake();
            WebSocket ws = builder(server.uri("/").toString()).connectTimeout(Duration.ofSeconds(30)).build();
            Thread task = ws.startAsync(null, m -> { });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.connectionsAccepted() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            ws.exit();
            assertThat(task.join(Duration.ofSeconds(5))).as("start ended").isTrue();
            assertThat(ws.state()).isEqualTo(State.CLOSED);
        }
    }

    @Test
    void aClosedConnectionIsNotKeptReachableByItsTimers() throws Exception {
        // Long timers, so that any left in the timer's queue would hold the connection for a
        // minute: the next ping, the pong check of the last ping, the close timeout.
        try (CodecServer server = CodecServer.started()) {
            java.lang.ref.WeakReference<WebSocket> ref = closedAfterSomePings(server);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ref.get() != null && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(50);
            }
            assertThat(ref.get()).as("the closed WebSocket, still reachable").isNull();
        }
    }

    private java.lang.ref.WeakReference<WebSocket> closedAfterSomePings(CodecServer server) throws Exception {
        WebSocket ws = builder(server.uri("/").toString()).pingInterval(Duration.ofMillis(100))
                .pongTimeout(Duration.ofSeconds(60)).closeTimeout(Duration.ofSeconds(60)).build();
        assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
        dev.tether.ws.testing.ServerConnection c = server.nextConnection();
        c.await(dev.tether.ws.testing.ServerEvent.Ping.class, Duration.ofSeconds(5));
        c.await(dev.tether.ws.testing.ServerEvent.Ping.class, Duration.ofSeconds(5));
        ws.close();
        assertThat(ws.state()).isEqualTo(State.CLOSED);
        return new java.lang.ref.WeakReference<>(ws);
    }

    @Test
    void aZeroReconnectTimeIsRefused() {
        WebSocket ws = builder("ws://127.0.0.1:9/").build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ws.startAsync(null, m -> { }, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reconnTime");
    }

    private static CompletableFuture<Socket> acceptOne(ServerSocket listener) {
        CompletableFuture<Socket> accepted = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                accepted.complete(listener.accept());
            } catch (Exception e) {
                accepted.completeExceptionally(e);
            }
        });
        return accepted;
    }

    /** The peer's read ends (end of stream or reset) within 5 s: the client let go of the socket. */
    private static void assertClosedByClient(Socket peer) throws Exception {
        peer.setSoTimeout(5_000);
        InputStream in = peer.getInputStream();
        byte[] b = new byte[4096];
        try {
            while (in.read(b) >= 0) {
                // the ClientHello, then nothing more
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the client's socket is still open 5 s after close()");
        } catch (java.io.IOException reset) {
            // a reset is a close too
        }
    }

    /**
     * Forwards one connection to a local port, the server's bytes one at a time with a pause
     * before each: a TLS server that trickles its handshake.
     */
    private static final class TrickleProxy implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final AtomicLong forwarded = new AtomicLong();

        TrickleProxy(int targetPort, long pauseMillis) throws java.io.IOException {
            Thread.ofVirtual().start(() -> {
                try {
                    Socket client = listener.accept();
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    sockets.add(client);
                    sockets.add(server);
                    Thread.ofVirtual().start(() -> copy(client, server, 0));
                    copy(server, client, pauseMillis);
                } catch (Exception e) {
                    // closed
                }
            });
        }

        int port() {
            return listener.getLocalPort();
        }

        private void copy(Socket from, Socket to, long pauseMillis) {
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int b;
                while ((b = in.read()) >= 0) {
                    if (pauseMillis > 0) {
                        Thread.sleep(pauseMillis);
                    }
                    out.write(b);
                    out.flush();
                    forwarded.incrementAndGet();
                }
            } catch (Exception e) {
                // closed
            }
        }

        @Override
        public void close() throws java.io.IOException {
            listener.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
