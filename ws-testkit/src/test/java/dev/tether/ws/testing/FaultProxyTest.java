package dev.tether.ws.testing;

import static dev.tether.ws.testing.FaultProxy.Direction.DOWNSTREAM;
import static dev.tether.ws.testing.FaultProxy.Direction.UPSTREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tether.ws.testing.FaultProxy.BlackholeMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each fault of {@link FaultProxy}, seen from plain sockets on both sides. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FaultProxyTest {
    private static final int READ_TIMEOUT_MILLIS = 5_000;

    private PlainEchoServer server;
    private FaultProxy proxy;
    private final List<Socket> clients = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = new PlainEchoServer();
        proxy = FaultProxy.to(server.port());
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
        try {
            proxy.close();  // throws if a proxy thread outlives it
            assertThat(proxy.liveThreads()).isZero();
        } finally {
            server.close();
        }
    }

    // ---------------------------------------------------------------- clean forwarding

    @Test
    void forwardsBothWaysAndCounts() throws Exception {
        Socket client = connect();
        byte[] data = pattern(1000);
        client.getOutputStream().write(data);
        assertThat(readExactly(client, 1000)).isEqualTo(data);

        assertThat(proxy.accepted()).isEqualTo(1);
        assertThat(proxy.open()).isEqualTo(1);
        eventually(() -> proxy.forwarded(UPSTREAM) == 1000 && proxy.forwarded(DOWNSTREAM) == 1000, "1000 bytes each way");
        client.close();
        eventually(() -> proxy.open() == 0, "the link closes after the client does");
    }

    // ---------------------------------------------------------------- conditions

    @Test
    void delayHoldsEachChunk() throws Exception {
        Socket client = connect();
        proxy.on(UPSTREAM).delay(Duration.ofMillis(300)).get(5, TimeUnit.SECONDS);
        long start = System.nanoTime();
        client.getOutputStream().write(bytes("ping"));
        assertThat(readExactly(client, 4)).isEqualTo(bytes("ping"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void stallHoldsBytesThenDeliversThemInOrderOnResume() throws Exception {
        Socket client = connect();
        echo(client, "hello");
        PlainEchoServer.Session session = server.nextSession();

        proxy.on(UPSTREAM).stall();
        client.getOutputStream().write(bytes("abc"));
        assertNothingArrives(client, 300);
        client.getOutputStream().write(bytes("def"));
        assertThat(session.received()).isEqualTo(bytes("hello"));

        proxy.on(UPSTREAM).resume();
        assertThat(readExactly(client, 6)).isEqualTo(bytes("abcdef"));
        assertThat(session.received()).isEqualTo(bytes("helloabcdef"));
    }

    @Test
    void afterBytesFiresAtTheExactByteOfTheNextConnection() throws Exception {
        CompletableFuture<Void> fired = proxy.on(DOWNSTREAM).afterBytes(100).stall();
        Socket client = connect();
        byte[] data = pattern(150);
        client.getOutputStream().write(data);

        fired.get(5, TimeUnit.SECONDS);
        assertThat(readExactly(client, 100)).isEqualTo(Arrays.copyOf(data, 100));
        assertNothingArrives(client, 300);
        proxy.on(DOWNSTREAM).resume();
        assertThat(readExactly(client, 50)).isEqualTo(Arrays.copyOfRange(data, 100, 150));
    }

    @Test
    void splitSendsOneBytePerSegment() throws Exception {
        proxy.on(UPSTREAM).splitIntoSingleBytes();
        proxy.on(UPSTREAM).delay(Duration.ofMillis(10));  // so the server's reads cannot merge segments
        Socket client = connect();
        byte[] data = pattern(40);
        client.getOutputStream().write(data);  // one write, one segment into the proxy

        assertThat(readExactly(client, 40)).isEqualTo(data);
        PlainEchoServer.Session session = server.nextSession();
        assertThat(session.received()).isEqualTo(data);
        assertThat(session.reads.get()).as("server reads of 40 single-byte segments").isGreaterThanOrEqualTo(20);
    }

    // ---------------------------------------------------------------- one-shot faults

    @Test
    void truncateUpstreamDeliversExactlyNBytesThenEndOfStream() throws Exception {
        CompletableFuture<Void> fired = proxy.on(UPSTREAM).truncate(40);
        Socket client = connect();
        byte[] data = pattern(100);
        client.getOutputStream().write(data);

        PlainEchoServer.Session session = server.nextSession();
        assertThat(session.endOfStream.get(5, TimeUnit.SECONDS)).isEqualTo(40);
        assertThat(session.received()).isEqualTo(Arrays.copyOf(data, 40));
        fired.get(5, TimeUnit.SECONDS);
        // Downstream still flows: the echo of the 40 bytes, the server's trailer, then its FIN.
        assertThat(client.getInputStream().readAllBytes()).isEqualTo(concat(Arrays.copyOf(data, 40), PlainEchoServer.TRAILER));
    }

    @Test
    void truncateDownstreamOnAnOpenConnectionCountsFromNow() throws Exception {
        Socket client = connect();
        echo(client, "hi");
        proxy.on(DOWNSTREAM).truncate(40);
        byte[] data = pattern(100);
        client.getOutputStream().write(data);

        assertThat(client.getInputStream().readAllBytes()).isEqualTo(Arrays.copyOf(data, 40));
    }

    @Test
    void corruptFlipsExactlyOneByteAtTheOffset() throws Exception {
        CompletableFuture<Void> fired = proxy.on(DOWNSTREAM).afterBytes(10).corruptOneByte();
        Socket client = connect();
        byte[] data = pattern(100);
        client.getOutputStream().write(data);

        byte[] expected = data.clone();
        expected[10] ^= (byte) 0xFF;
        assertThat(readExactly(client, 100)).isEqualTo(expected);
        fired.get(5, TimeUnit.SECONDS);
        PlainEchoServer.Session session = server.nextSession();
        assertThat(session.received()).as("upstream untouched").isEqualTo(data);

        // On an open connection the offset counts from the command, here with one bit.
        proxy.on(UPSTREAM).afterBytes(3).corruptOneByte(0x01);
        client.getOutputStream().write(bytes("abcdef"));
        assertThat(readExactly(client, 6)).isEqualTo(bytes("abceef"));  // 'd' ^ 1 = 'e', echoed as received
        assertThat(Arrays.copyOfRange(session.received(), 100, 106)).isEqualTo(bytes("abceef"));
    }

    @Test
    void halfCloseUpstreamLetsTheServerAnswerAfterItsEndOfStream() throws Exception {
        Socket client = connect();
        echo(client, "ping");
        PlainEchoServer.Session session = server.nextSession();

        proxy.on(UPSTREAM).halfClose().get(5, TimeUnit.SECONDS);
        assertThat(session.endOfStream.get(5, TimeUnit.SECONDS)).isEqualTo(4);
        assertThat(client.getInputStream().readAllBytes()).isEqualTo(PlainEchoServer.TRAILER);
    }

    @Test
    void halfCloseDownstreamGivesTheClientEndOfStreamWhileItCanStillSend() throws Exception {
        Socket client = connect();
        echo(client, "ping");
        PlainEchoServer.Session session = server.nextSession();

        proxy.on(DOWNSTREAM).halfClose().get(5, TimeUnit.SECONDS);
        assertThat(client.getInputStream().read()).isEqualTo(-1);
        client.getOutputStream().write(bytes("after"));
        eventually(() -> Arrays.equals(session.received(), bytes("pingafter")), "the server gets the bytes sent after the FIN");
    }

    @Test
    void resetGivesBothPeersConnectionReset() throws Exception {
        Socket client = connect();
        echo(client, "ping");
        PlainEchoServer.Session session = server.nextSession();

        proxy.now().reset().get(5, TimeUnit.SECONDS);
        assertReset(client);
        assertThat(session.failure.get(5, TimeUnit.SECONDS)).hasMessageContaining("Connection reset");
        eventually(() -> proxy.open() == 0, "the reset link counts as closed");
    }

    @Test
    void onlyOneOpenBreaksExactlyOneOfTheOpenConnections() throws Exception {
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Socket c = connect();
            echo(c, "hello " + i);
            open.add(c);
        }
        proxy.now().onlyOneOpen().reset().get(5, TimeUnit.SECONDS);
        eventually(() -> proxy.open() == 3, "one link of four reset");
        int survivors = 0;
        for (int i = 0; i < open.size(); i++) {
            try {
                echo(open.get(i), "still there " + i);
                survivors++;
            } catch (IOException | AssertionError e) {
                // the one that was reset
            }
        }
        assertThat(survivors).isEqualTo(3);
    }

    @Test
    void resetInTheOpeningBytesOfOnlyTheNextConnection() throws Exception {
        CompletableFuture<Void> fired = proxy.on(UPSTREAM).onlyNext().afterBytes(5).reset();
        Socket first = connect();
        first.getOutputStream().write(pattern(10));
        fired.get(5, TimeUnit.SECONDS);
        assertReset(first);
        PlainEchoServer.Session cut = server.nextSession();
        eventually(() -> Arrays.equals(cut.received(), Arrays.copyOf(pattern(10), 5)), "the server got the 5 bytes before the reset");

        Socket second = connect();
        echo(second, "fine again");
        assertThat(proxy.accepted()).isEqualTo(2);
    }

    @Test
    void blackholeForwardsNothingAndNeverCloses() throws Exception {
        Socket client = connect();
        echo(client, "ping");
        PlainEchoServer.Session session = server.nextSession();

        proxy.blackhole().get(5, TimeUnit.SECONDS);
        client.getOutputStream().write(bytes("lost"));
        client.shutdownOutput();
        assertNothingArrives(client, 500);  // no byte, no FIN, no RST
        assertThat(session.received()).isEqualTo(bytes("ping"));
        assertThat(session.endOfStream).isNotDone();
        assertThat(proxy.open()).isEqualTo(1);

        // Not reading: TCP pushes back, so a big write cannot finish.
        Socket second = connect();
        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
            try {
                second.getOutputStream().write(new byte[32 << 20]);
            } catch (IOException e) {
                // the proxy's close in stop() ends it
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
        Thread.sleep(500);
        assertThat(write).isNotDone();
    }

    @Test
    void discardingBlackholeDrainsTheSenderAndStillNeverCloses() throws Exception {
        Socket client = connect();
        echo(client, "ping");
        PlainEchoServer.Session session = server.nextSession();

        proxy.now().blackhole(BlackholeMode.DISCARD).get(5, TimeUnit.SECONDS);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> client.getOutputStream().write(new byte[32 << 20]));
        client.close();
        Thread.sleep(500);
        assertThat(session.received()).isEqualTo(bytes("ping"));
        assertThat(session.endOfStream).isNotDone();
        assertThat(session.failure).isNotDone();
        assertThat(proxy.open()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- heal and close

    @Test
    void healLetsNewConnectionsThrough() throws Exception {
        proxy.now().reset();  // no connection yet: it waits for them
        assertNewConnectionIsReset();
        assertNewConnectionIsReset();
        assertThat(proxy.accepted()).isEqualTo(2);

        CompletableFuture<Void> pending = proxy.on(UPSTREAM).afterBytes(1 << 20).drop();
        proxy.heal();
        assertThat(pending).isCancelled();
        echo(connect(), "healed");
    }

    @Test
    void healReleasesStallsOnOpenConnections() throws Exception {
        Socket client = connect();
        proxy.now().stall();
        client.getOutputStream().write(bytes("held"));
        assertNothingArrives(client, 200);
        proxy.heal();
        assertThat(readExactly(client, 4)).isEqualTo(bytes("held"));
    }

    @Test
    void closeEndsEveryThreadEvenWhileStalledOrBlackholed() throws Exception {
        Socket stalled = connect();
        echo(stalled, "a");
        proxy.now().onlyOpen().stall();
        stalled.getOutputStream().write(bytes("held"));
        proxy.on(DOWNSTREAM).onlyNext().blackhole();
        Socket blackholed = connect();
        blackholed.getOutputStream().write(bytes("lost"));
        eventually(() -> proxy.open() == 2, "two open links");

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> proxy.close());
        assertThat(proxy.liveThreads()).isZero();
        assertGone(stalled);
        assertGone(blackholed);
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), proxy.port()).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void commandsThatCannotLandSayso() {
        assertThat(proxy.now().onlyOpen().reset()).isCompletedExceptionally();
        assertThatThrownBy(() -> proxy.now().afterBytes(10)).isInstanceOf(IllegalStateException.class);
    }

    // ---------------------------------------------------------------- helpers

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        clients.add(socket);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()), 2_000);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static void echo(Socket client, String text) throws IOException {
        client.getOutputStream().write(bytes(text));
        assertThat(readExactly(client, text.length())).isEqualTo(bytes(text));
    }

    private static byte[] readExactly(Socket socket, int n) throws IOException {
        byte[] got = socket.getInputStream().readNBytes(n);
        assertThat(got).as("end of stream after %d of %d bytes", got.length, n).hasSize(n);
        return got;
    }

    /** No byte, no end of stream and no reset for {@code millis}. */
    private static void assertNothingArrives(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        } finally {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        }
    }

    /** Reads until the RST shows (bytes that came before it may be read first). */
    private static void assertReset(Socket socket) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        assertThatThrownBy(() -> {
            byte[] buffer = new byte[4096];
            for (int n; (n = socket.getInputStream().read(buffer)) >= 0; ) {
                sink.write(buffer, 0, n);
            }
        }).as("a reset, not end of stream").isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
    }

    /**
     * A connection reset as the proxy accepts it. The RST can come back before the client's
     * connect has seen the handshake end, so connect itself may be what fails.
     */
    private void assertNewConnectionIsReset() {
        assertThatThrownBy(() -> {
            Socket socket = connect();
            byte[] buffer = new byte[4096];
            while (socket.getInputStream().read(buffer) >= 0) {
                // bytes before the RST are possible; end of stream is not what we want
            }
        }).as("a reset, not end of stream").isInstanceOf(SocketException.class).hasMessageContaining("reset");
    }

    /**
     * End of stream or a reset, not a timeout. Closing a socket with unread input sends RST
     * instead of FIN, and whether the proxy had read the client's last bytes is a race.
     */
    private static void assertGone(Socket socket) {
        try {
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        } catch (IOException e) {
            assertThat(e).isNotInstanceOf(SocketTimeoutException.class).hasMessageContaining("Connection reset");
        }
    }

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
