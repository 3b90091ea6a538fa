package dev.tether.ws.transport.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ws.TlsOptions;
import dev.tether.ws.spi.Connection;
import dev.tether.ws.spi.ConnectionListener;
import dev.tether.ws.spi.Endpoint;
import dev.tether.ws.testing.SplittingProxy;
import dev.tether.ws.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The NIO transport's SSLEngine pipeline, byte for byte, against the JDK's own SSLServerSocket:
 * records split at every point by a proxy (BUFFER_UNDERFLOW), reads larger than a record
 * (BUFFER_OVERFLOW), TLS 1.3 and 1.2, close_notify in both directions, 16 MiB each way at once,
 * and handshake failures within the connect deadline.
 *
 * <p>The pom runs these with {@code com.sun.net.ssl.requireCloseNotify=true}: the peer's read
 * then returns -1 only for a close_notify, and fails for a bare TCP close.
 */
class TlsPipelineTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private static SSLContext serverContext;

    private final NioTransport transport = new NioTransport();
    private SSLServerSocket server;

    @BeforeAll
    static void pki() throws Exception {
        serverContext = TestPki.create(dir).serverContext(TestPki.ServerCert.LOCALHOST);
    }

    @AfterEach
    void closeServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private int listen(String... protocols) throws IOException {
        server = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        if (protocols.length > 0) {
            server.setEnabledProtocols(protocols);
        }
        return server.getLocalPort();
    }

    /** The server's side of one connection, on a virtual thread. */
    private CompletableFuture<SSLSocket> accept() {
        CompletableFuture<SSLSocket> accepted = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                SSLSocket s = (SSLSocket) server.accept();
                s.startHandshake();
                accepted.complete(s);
            } catch (IOException e) {
                accepted.completeExceptionally(e);
            }
        });
        return accepted;
    }

    private Connection open(int port, TlsOptions tls, Sink sink) throws IOException {
        Connection c = transport.open(new Endpoint("127.0.0.1", port, true, tls, TIMEOUT, WRITE_TIMEOUT), sink);
        c.startReading();
        return c;
    }

    /** A client connection over TLS and the server's side of it (the JDK's SSLServerSocket). */
    private record Pair(Connection client, SSLSocket peer, Sink sink) {
    }

    private Pair connect(String... protocols) throws Exception {
        int port = listen(protocols);
        CompletableFuture<SSLSocket> accepted = accept();
        Sink sink = new Sink();
        Connection c = open(port, TlsOptions.insecureTrustAll(), sink);
        return new Pair(c, accepted.get(10, TimeUnit.SECONDS), sink);
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void echoThroughRecordsSplitAtEveryPointThenCloseNotify(String protocol) throws Exception {
        int port = listen(protocol);
        CompletableFuture<SSLSocket> accepted = accept();
        CompletableFuture<Boolean> orderlyEnd = new CompletableFuture<>();
        try (SplittingProxy proxy = new SplittingProxy(port, 700)) {
            Sink sink = new Sink();
            Connection c = open(proxy.port(), TlsOptions.insecureTrustAll(), sink);
            assertThat(c.describe()).startsWith("tls " + protocol + " ");
            SSLSocket peer = accepted.get(10, TimeUnit.SECONDS);
            Thread.ofVirtual().start(() -> echo(peer, orderlyEnd));

            byte[] sent = random(300_000, 1);
            int off = 0;
            for (int size : new int[] {1, 2, 100, 16_383, 16_384, 16_385, 70_000}) {
                c.write(ByteBuffer.wrap(sent, off, size));
                off += size;
            }
            c.write(ByteBuffer.wrap(sent, off, sent.length - off));
            assertThat(sink.awaitBytes(sent.length)).isEqualTo(sent);

            c.close();
            assertThat(orderlyEnd.get(10, TimeUnit.SECONDS)).as("the peer read close_notify, not a bare TCP close").isTrue();
            sink.awaitClosed();  // the local close, or the server's close_notify answering ours: both end it
        }
    }

    /** Echoes until the client's end; completes with true for close_notify (a read of -1). */
    private static void echo(SSLSocket peer, CompletableFuture<Boolean> orderlyEnd) {
        byte[] buffer = new byte[32 * 1024];
        try (peer; InputStream in = peer.getInputStream(); OutputStream out = peer.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
            orderlyEnd.complete(true);
        } catch (IOException e) {
            orderlyEnd.complete(false);
        }
    }

    @Test
    void closeNotifyFromTheServerEndsTheStreamInOrder() throws Exception {
        Pair pair = connect();
        Connection c = pair.client();
        SSLSocket peer = pair.peer();
        peer.getOutputStream().write("last words".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        peer.close();  // close_notify, then FIN
        assertThat(new String(pair.sink().awaitBytes(10), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("last words");
        assertThat(pair.sink().awaitClosed()).as("an orderly end of stream").isNull();
        c.close();
    }

    /**
     * TLS 1.3 KeyUpdate from the server, update_requested (RFC 8446 section 4.6.3; the JDK's
     * SSLSocket sends one on startHandshake once connected): the client must answer with its own,
     * which is engine work the event loop hands to a virtual thread. Data on both sides of the
     * update arrives whole and in order, and the client's writes after it still reach the server.
     */
    @Test
    void keyUpdatesFromTheServerAreAnsweredAndDataFlowsOn() throws Exception {
        Pair pair = connect("TLSv1.3");
        Connection c = pair.client();
        SSLSocket peer = pair.peer();
        byte[] down = random(200_000, 4);
        OutputStream out = peer.getOutputStream();
        for (int i = 0; i < 4; i++) {
            out.write(down, i * 50_000, 50_000);
            peer.startHandshake();  // a KeyUpdate between every two parts
        }
        assertThat(pair.sink().awaitBytes(down.length)).isEqualTo(down);
        byte[] up = random(100_000, 5);
        c.write(ByteBuffer.wrap(up));
        assertThat(peer.getInputStream().readNBytes(up.length)).as("the server reads our writes after the updates")
                .isEqualTo(up);
        c.close();
        peer.close();
    }

    /**
     * While the loop is busy, small writes wait as plaintext and the loop seals them all in one
     * record once its step is done: the peer reads every byte, in write order, and the client
     * sealed one batch where it would have sealed fifty.
     */
    @Test
    void smallWritesWhileTheLoopIsBusyShareOneRecordInWriteOrder() throws Exception {
        Pair pair = connect("TLSv1.3");
        Connection c = pair.client();
        SSLSocket peer = pair.peer();
        TlsPipeline tls = ((NioConnection) c).tls();
        CountDownLatch release = holdLoop(c);

        long before = tls.recordsSealed();
        byte[] sent = random(50 * 100, 6);
        for (int i = 0; i < 50; i++) {
            c.write(ByteBuffer.wrap(sent, i * 100, 100));
        }
        assertThat(tls.recordsSealed()).as("sealed while the loop was busy").isEqualTo(before);
        release.countDown();
        assertThat(peer.getInputStream().readNBytes(sent.length)).isEqualTo(sent);
        assertThat(tls.recordsSealed()).as("records sealed for fifty small writes").isEqualTo(before + 1);
        c.close();
        peer.close();
    }

    /**
     * close() while small writes wait for the loop: they go out before close_notify, in the same
     * offer, without waiting for the loop.
     */
    @Test
    void smallWritesStillWaitingGoOutBeforeCloseNotify() throws Exception {
        Pair pair = connect("TLSv1.3");
        Connection c = pair.client();
        SSLSocket peer = pair.peer();
        CountDownLatch release = holdLoop(c);
        byte[] sent = random(20 * 64, 7);
        for (int i = 0; i < 20; i++) {
            c.write(ByteBuffer.wrap(sent, i * 64, 64));
        }
        c.close();
        release.countDown();
        InputStream in = peer.getInputStream();
        assertThat(in.readNBytes(sent.length)).isEqualTo(sent);
        assertThat(in.read()).as("close_notify after the data (the pom requires it for -1)").isEqualTo(-1);
        pair.sink().awaitClosed();
        peer.close();
    }

    /**
     * The peer resets the connection while small writes wait for the loop: once the loop is free,
     * the connection ends with an error, reported once; the next write fails at once, saying the
     * connection is closed, instead of being kept for a loop that will never seal it.
     */
    @Test
    void aResetWhileSmallWritesWaitEndsTheConnectionOnceAndLaterWritesFail() throws Exception {
        Pair pair = connect("TLSv1.3");
        Connection c = pair.client();
        SSLSocket peer = pair.peer();
        TlsPipeline tls = ((NioConnection) c).tls();
        CountDownLatch release = holdLoop(c);
        long before = tls.recordsSealed();
        for (int i = 0; i < 10; i++) {
            c.write(ByteBuffer.wrap(random(100, 10 + i)));
        }
        assertThat(tls.recordsSealed()).as("kept for the loop").isEqualTo(before);
        peer.setSoLinger(true, 0);
        peer.close();  // RST: no close_notify, no FIN
        release.countDown();

        assertThat(pair.sink().awaitClosed()).as("an error, not an orderly end").isInstanceOf(IOException.class);
        CountDownLatch releaseAgain = holdLoop(c);  // the shared loop busy again: an ended connection keeps nothing
        assertThatThrownBy(() -> c.write(ByteBuffer.wrap(new byte[100])))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is closed");
        releaseAgain.countDown();
        c.close();
        Thread.sleep(50);  // a second report would come from the loop, which has nothing left to do
        assertThat(pair.sink().closings()).as("onClosed calls").isEqualTo(1);
    }

    /**
     * Writes of every size, small ones waiting for the loop and larger ones sealing what waits
     * first, while the loop is busy with the echo of what went before: the stream arrives whole
     * and in order both ways.
     */
    @Test
    void mixedWriteSizesWhileEchoesArriveKeepTheStreamInOrder() throws Exception {
        CompletableFuture<Boolean> orderlyEnd = new CompletableFuture<>();
        Pair pair = connect("TLSv1.3");
        Connection c = pair.client();
        SSLSocket peer = pair.peer();
        Thread.ofVirtual().start(() -> echo(peer, orderlyEnd));
        byte[] sent = random(3 << 20, 8);
        Random sizes = new Random(9);
        for (int off = 0; off < sent.length; ) {
            int size = Math.min(sent.length - off, sizes.nextInt(10) < 8 ? 1 + sizes.nextInt(1024) : 1 + sizes.nextInt(20_000));
            c.write(ByteBuffer.wrap(sent, off, size));
            off += size;
        }
        assertThat(pair.sink().awaitBytes(sent.length)).isEqualTo(sent);
        c.close();
        assertThat(orderlyEnd.get(10, TimeUnit.SECONDS)).as("close_notify after the data").isTrue();
    }

    /** Keeps {@code c}'s event loop busy, with a task that waits on it, until the latch returned is released (at most 10 s). */
    private static CountDownLatch holdLoop(Connection c) throws InterruptedException {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ((NioConnection) c).runOnLoop(() -> {
            busy.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    @Test
    void sixteenMebibytesEachWayAtOnce() throws Exception {
        Pair pair = connect();
        Connection c = pair.client();
        SSLSocket peer = pair.peer();
        byte[] up = random(16 << 20, 2);
        byte[] down = random(16 << 20, 3);
        CompletableFuture<byte[]> peerRead = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                peerRead.complete(peer.getInputStream().readNBytes(up.length));
            } catch (IOException e) {
                peerRead.completeExceptionally(e);
            }
        });
        Thread.ofVirtual().start(() -> {
            try {
                peer.getOutputStream().write(down);
            } catch (IOException e) {
                // the assertion on what arrived reports it
            }
        });
        for (int off = 0; off < up.length; off += 1 << 20) {
            c.write(ByteBuffer.wrap(up, off, 1 << 20));
        }
        assertThat(peerRead.get(30, TimeUnit.SECONDS)).isEqualTo(up);
        assertThat(pair.sink().awaitBytes(down.length)).isEqualTo(down);
        c.close();
        peer.close();
    }

    @Test
    void handshakeTimesOutWithinTheConnectBudget() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread holder = Thread.ofVirtual().start(() -> {
                try (Socket s = silent.accept()) {
                    s.getInputStream().readAllBytes();  // never answers the ClientHello
                } catch (IOException ignored) {
                    // the test is over
                }
            });
            Endpoint e = new Endpoint("127.0.0.1", silent.getLocalPort(), true, TlsOptions.insecureTrustAll(),
                    TimeUnit.MILLISECONDS.toNanos(500), WRITE_TIMEOUT);
            assertThatThrownBy(() -> transport.open(e, new Sink()))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("TLS handshake with 127.0.0.1:" + silent.getLocalPort() + " timed out after 500 ms");
            holder.join(10_000);
        }
    }

    @Test
    void untrustedServerFailsSayingWhichCheck() throws Exception {
        int port = listen();
        accept();
        Endpoint e = new Endpoint("127.0.0.1", port, true, TlsOptions.defaults(), TIMEOUT, WRITE_TIMEOUT);
        assertThatThrownBy(() -> transport.open(e, new Sink()))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageStartingWith("TLS handshake with 127.0.0.1:" + port + " failed: unknown CA: ")
                .hasMessageContaining("issued by " + TestPki.CA_NAME);
    }

    @Test
    void certificateFilesNeedTheTlsModule() throws Exception {
        Path ca = java.nio.file.Files.writeString(dir.resolve("unread.pem"), "not read");
        Endpoint e = new Endpoint("127.0.0.1", 9, true, TlsOptions.defaults().caCert(ca), TIMEOUT, WRITE_TIMEOUT);
        assertThatThrownBy(() -> transport.open(e, new Sink()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("add dev.tether:ws-tls (module dev.tether.ws.tls)");
    }

    /** Collects what arrives, as the engine would be handed it. */
    private static final class Sink implements ConnectionListener {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final BlockingQueue<Boolean> arrivals = new LinkedBlockingQueue<>();
        private final CountDownLatch closed = new CountDownLatch(1);
        private final AtomicInteger closings = new AtomicInteger();
        private volatile IOException cause;

        @Override
        public void onData(ByteBuffer data) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            synchronized (bytes) {
                bytes.write(chunk, 0, chunk.length);
            }
            arrivals.add(true);
        }

        @Override
        public void onClosed(IOException cause) {
            this.cause = cause;
            closings.incrementAndGet();
            closed.countDown();
            arrivals.add(false);
        }

        byte[] awaitBytes(int n) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                synchronized (bytes) {
                    if (bytes.size() >= n) {
                        return Arrays.copyOf(bytes.toByteArray(), n);
                    }
                }
                long left = end - System.nanoTime();
                assertThat(left).as("%d bytes arrived in time", n).isPositive();
                arrivals.poll(left, TimeUnit.NANOSECONDS);
            }
        }

        int closings() {
            return closings.get();
        }

        IOException awaitClosed() throws InterruptedException {
            assertThat(closed.await(10, TimeUnit.SECONDS)).as("onClosed").isTrue();
            return cause;
        }
    }
}
