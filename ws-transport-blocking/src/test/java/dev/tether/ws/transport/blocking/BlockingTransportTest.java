package dev.tether.ws.transport.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ws.TlsOptions;
import dev.tether.ws.codec.FrameWriter;
import dev.tether.ws.codec.Opcodes;
import dev.tether.ws.codec.Role;
import dev.tether.ws.codec.handshake.ClientHandshake;
import dev.tether.ws.spi.Connection;
import dev.tether.ws.spi.Endpoint;
import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.SelfSignedTls;
import dev.tether.ws.testing.ServerConnection;
import dev.tether.ws.testing.ServerEvent;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blocking transport against real sockets: the codec's server, and bare TCP listeners. */
class BlockingTransportTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    private final BlockingTransport transport = new BlockingTransport();
    private CodecServer server;

    @BeforeEach
    void start() throws IOException {
        server = CodecServer.started();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private static Endpoint plain(int port) {
        return new Endpoint("127.0.0.1", port, false, null, TIMEOUT, WRITE_TIMEOUT);
    }

    /** Writes the opening handshake and waits for the 101. */
    private static void handshake(Connection c, RecordingListener listener, String host, int port, boolean secure)
            throws Exception {
        c.startReading();
        c.write(ClientHandshake.builder(host, port, secure).build().requestBytes());
        RecordingListener.Received head = listener.next();
        assertThat(head).isInstanceOfSatisfying(RecordingListener.Head.class,
                h -> assertThat(h.head().statusCode()).isEqualTo(101));
    }

    private static ByteBuffer frame(int opcode, byte[] payload, boolean direct) {
        FrameWriter writer = new FrameWriter(Role.CLIENT);
        ByteBuffer out = direct ? ByteBuffer.allocateDirect(payload.length + 14) : ByteBuffer.allocate(payload.length + 14);
        writer.writeFrame(out, true, 0, opcode, ByteBuffer.wrap(payload));
        return out.flip();
    }

    @Test
    void nameAndPriority() {
        assertThat(transport.name()).isEqualTo("blocking");
        assertThat(transport.priority()).isEqualTo(10);
    }

    @Test
    void carriesAWebSocketConversationFromHeapAndDirectBuffers() throws Exception {
        RecordingListener listener = new RecordingListener();
        Connection c = transport.open(plain(server.port()), listener);
        assertThat(c.describe()).startsWith("tcp 127.0.0.1:").endsWith("->127.0.0.1:" + server.port());
        handshake(c, listener, "127.0.0.1", server.port(), false);

        c.write(frame(Opcodes.TEXT, "from heap".getBytes(StandardCharsets.UTF_8), false));
        c.write(frame(Opcodes.TEXT, "from direct".getBytes(StandardCharsets.UTF_8), true));
        byte[] big = new byte[16 << 20];
        new Random(1).nextBytes(big);
        c.write(frame(Opcodes.BINARY, big, true));

        assertThat(text(listener.next())).isEqualTo("from heap");
        assertThat(text(listener.next())).isEqualTo("from direct");
        assertThat(listener.next()).isInstanceOfSatisfying(RecordingListener.Message.class,
                m -> assertThat(m.data()).isEqualTo(big));
        ServerConnection conn = server.nextConnection();
        assertThat(conn.next()).isEqualTo(ServerEvent.Message.text("from heap"));
        c.close();
        assertThat(listener.awaitClosed()).isInstanceOf(SocketException.class);
    }

    private static String text(RecordingListener.Received r) {
        assertThat(r).isInstanceOf(RecordingListener.Message.class);
        return new String(((RecordingListener.Message) r).data(), StandardCharsets.UTF_8);
    }

    @Test
    void refusedConnectNamesHostAndPort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();  // free again once closed: nothing listens there
        }
        assertThatThrownBy(() -> transport.open(plain(port), new RecordingListener()))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("127.0.0.1:" + port);
    }

    @Test
    void unknownHostNamesTheHost() {
        Endpoint e = new Endpoint("no-such-host.invalid", 80, false, null, TimeUnit.SECONDS.toNanos(5), WRITE_TIMEOUT);
        // RFC 6761 reserves .invalid: the lookup fails, or (with a slow resolver) times out.
        assertThatThrownBy(() -> transport.open(e, new RecordingListener()))
                .isInstanceOfAny(UnknownHostException.class, SocketTimeoutException.class)
                .hasMessageContaining("no-such-host.invalid");
    }

    @Test
    void peerEndOfStreamIsReportedAsNullOnce() throws Exception {
        server.onConnect(ServerConnection::closeTcp);
        RecordingListener listener = new RecordingListener();
        Connection c = transport.open(plain(server.port()), listener);
        handshake(c, listener, "127.0.0.1", server.port(), false);
        assertThat(listener.awaitClosed()).isNull();
        c.close();
        assertThat(listener.closedCalls).hasValue(1);
        assertThatThrownBy(() -> c.write(ByteBuffer.wrap(new byte[1]))).isInstanceOf(IOException.class);
    }

    @Test
    void localCloseIsReportedOnceAsSocketException() throws Exception {
        RecordingListener listener = new RecordingListener();
        Connection c = transport.open(plain(server.port()), listener);
        handshake(c, listener, "127.0.0.1", server.port(), false);
        c.close();
        c.close();
        assertThat(listener.awaitClosed()).isInstanceOf(SocketException.class).hasMessageContaining("closed locally");
        assertThat(listener.closedCalls).hasValue(1);
    }

    @Test
    void closeBeforeReadingStillReportsOnce() throws Exception {
        RecordingListener listener = new RecordingListener();
        Connection c = transport.open(plain(server.port()), listener);
        c.close();
        c.startReading();
        assertThat(listener.awaitClosed()).isInstanceOf(SocketException.class);
        assertThat(listener.closedCalls).hasValue(1);
    }

    @Test
    void writeTimesOutWhenThePeerStopsReading() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread holder = Thread.ofVirtual().start(() -> {
                try (Socket s = silent.accept()) {
                    release.await();  // never read from s: the client's writes back up
                    s.shutdownOutput();
                } catch (IOException | InterruptedException ignored) {
                    // the test is over
                }
            });
            RecordingListener listener = new RecordingListener();
            Endpoint e = new Endpoint("127.0.0.1", silent.getLocalPort(), false, null, TIMEOUT, Duration.ofMillis(300));
            Connection c = transport.open(e, listener);
            c.startReading();
            byte[] chunk = new byte[1 << 20];
            IOException failure = null;
            for (int i = 0; i < 1024 && failure == null; i++) {  // far more than any socket buffers
                try {
                    c.write(ByteBuffer.wrap(chunk));
                } catch (IOException ex) {
                    failure = ex;
                }
            }
            assertThat(failure).isNotNull().hasMessage("write timed out after 300 ms: the peer is not reading");
            assertThat(listener.awaitClosed()).hasMessageContaining("write timed out");
            release.countDown();
            holder.join();
        }
    }

    /** The timeout bounds each write, not the connection's writing: a busy sender is never cut off. */
    @Test
    void writesThatEachFinishInTimeGoOnPastTheWriteTimeoutAndCloseLeavesNoTimer() throws Exception {
        RecordingListener listener = new RecordingListener();
        Endpoint e = new Endpoint("127.0.0.1", server.port(), false, null, TIMEOUT, Duration.ofMillis(250));
        BlockingConnection c = (BlockingConnection) transport.open(e, listener);
        handshake(c, listener, "127.0.0.1", server.port(), false);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
        int sent = 0;
        while (System.nanoTime() - until < 0) {
            c.write(frame(Opcodes.TEXT, ("n" + sent).getBytes(StandardCharsets.UTF_8), false));
            sent++;
            if (sent % 100 == 0) {
                Thread.sleep(20);  // idle gaps too, so the timer goes off and is set again
            }
        }
        for (int i = 0; i < sent; i++) {
            assertThat(text(listener.next())).isEqualTo("n" + i);  // the codec server echoes
        }
        c.close();
        assertThat(listener.awaitClosed()).hasMessageContaining("closed locally");
        assertThat(c.watchdog().timerPending()).isFalse();
    }

    @Test
    void readsOnPlatformThreadsFirstThenOnVirtualOnesByDefault() throws Exception {
        assertThat(transport.readers().kind()).isEqualTo(ReaderThreads.Kind.AUTO);
        Thread platform = readerOf(new BlockingTransport(new ReaderThreads(ReaderThreads.Kind.AUTO, new Semaphore(1))));
        assertThat(platform.isVirtual()).isFalse();
        assertThat(platform.isDaemon()).as("a reader never keeps the JVM alive").isTrue();
        assertThat(platform.getName()).startsWith("tether-read-127.0.0.1:");
        assertThat(readerOf(new BlockingTransport(new ReaderThreads(ReaderThreads.Kind.AUTO, new Semaphore(0))))
                .isVirtual()).as("no platform slot left").isTrue();
        assertThat(readerOf(new BlockingTransport(new ReaderThreads(ReaderThreads.Kind.VIRTUAL, null))).isVirtual()).isTrue();
        Thread forced = readerOf(new BlockingTransport(new ReaderThreads(ReaderThreads.Kind.PLATFORM, null)));
        assertThat(forced.isVirtual()).isFalse();
        assertThat(forced.isDaemon()).isTrue();
    }

    @Test
    void autoGivesPlatformReadersToAtMostItsLimitOfLiveConnectionsAndTakesEverySlotBack() throws Exception {
        Semaphore slots = new Semaphore(2);
        BlockingTransport t = new BlockingTransport(new ReaderThreads(ReaderThreads.Kind.AUTO, slots));
        Open first = open(t);
        Open second = open(t);
        Open third = open(t);
        assertThat(List.of(first.reader().isVirtual(), second.reader().isVirtual(), third.reader().isVirtual()))
                .containsExactly(false, false, true);
        assertThat(slots.availablePermits()).isZero();

        first.close();  // a local close: the reader ends and gives its slot back
        assertThat(slots.availablePermits()).isEqualTo(1);
        Open fourth = open(t);
        assertThat(fourth.reader().isVirtual()).as("the freed slot is used again").isFalse();

        // The peer ends the others (TCP, which is all a transport sees): their readers report the
        // end and give their slots back too.
        server.openConnections().forEach(ServerConnection::closeTcp);
        second.listener().awaitClosed();
        third.listener().awaitClosed();
        fourth.listener().awaitClosed();
        for (Open o : List.of(second, third, fourth)) {
            o.reader().join(Duration.ofSeconds(10));
            assertThat(o.reader().isAlive()).isFalse();
        }
        assertThat(slots.availablePermits()).as("every slot back once every reader ended").isEqualTo(2);
    }

    @Test
    void connectionsOpenedAndClosedAtOnceNeverTakeMoreSlotsThanThereAreAndGiveThemAllBack() throws Exception {
        int limit = 4;
        int connections = 24;
        Semaphore slots = new Semaphore(limit);
        BlockingTransport t = new BlockingTransport(new ReaderThreads(ReaderThreads.Kind.AUTO, slots));
        List<Open> open = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        try (var openers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> opened = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                opened.add(openers.submit(() -> {
                    go.await();
                    open.add(open(t));
                    return null;
                }));
            }
            go.countDown();
            for (var f : opened) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        // All are alive at once, so exactly the limit read on platform threads.
        assertThat(open).hasSize(connections);
        assertThat(open.stream().filter(o -> !o.reader().isVirtual()).count()).isEqualTo(limit);
        assertThat(slots.availablePermits()).isZero();

        try (var closers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> closed = new ArrayList<>();
            for (Open o : open) {
                closed.add(closers.submit(() -> {
                    o.close();
                    return null;
                }));
            }
            for (var f : closed) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        assertThat(slots.availablePermits()).as("every slot back once every reader ended").isEqualTo(limit);
    }

    @Test
    void readerPropertiesAreReadLeniently() {
        assertThat(ReaderThreads.kind(null)).isEqualTo(ReaderThreads.Kind.AUTO);
        assertThat(ReaderThreads.kind(" Virtual ")).isEqualTo(ReaderThreads.Kind.VIRTUAL);
        assertThat(ReaderThreads.kind("PLATFORM")).isEqualTo(ReaderThreads.Kind.PLATFORM);
        assertThat(ReaderThreads.kind("green")).as("an unknown value, logged").isEqualTo(ReaderThreads.Kind.AUTO);
        assertThat(ReaderThreads.limit(null)).isEqualTo(ReaderThreads.DEFAULT_LIMIT);
        assertThat(ReaderThreads.limit("0")).as("auto with no platform reader at all").isZero();
        assertThat(ReaderThreads.limit("100")).isEqualTo(100);
        assertThat(ReaderThreads.limit("-1")).isEqualTo(ReaderThreads.DEFAULT_LIMIT);
        assertThat(ReaderThreads.limit("many")).isEqualTo(ReaderThreads.DEFAULT_LIMIT);
    }

    /** A connection past its handshake, with its listener and the thread that reads it. */
    private record Open(Connection connection, RecordingListener listener, Thread reader) {
        /** Closes it; returns once its reader has reported the end and ended. */
        void close() throws Exception {
            connection.close();
            listener.awaitClosed();
            reader.join(Duration.ofSeconds(10));
            assertThat(reader.isAlive()).isFalse();
        }
    }

    private Open open(BlockingTransport t) throws Exception {
        RecordingListener listener = new RecordingListener();
        Connection c = t.open(plain(server.port()), listener);
        handshake(c, listener, "127.0.0.1", server.port(), false);
        return new Open(c, listener, listener.reader);
    }

    /** The thread a connection of {@code t}'s delivers its data on. */
    private Thread readerOf(BlockingTransport t) throws Exception {
        Open o = open(t);
        o.close();
        return o.reader();
    }

    @Test
    void tlsHandshakeTimesOutWithinTheConnectBudget() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread holder = Thread.ofVirtual().start(() -> {
                try (Socket s = silent.accept()) {
                    s.getInputStream().readAllBytes();  // never answers the ClientHello
                } catch (IOException ignored) {
                    // the test is over
                }
            });
            Endpoint e = new Endpoint("127.0.0.1", silent.getLocalPort(), true, TlsOptions.insecureTrustAll(),
                    TimeUnit.MILLISECONDS.toNanos(500), WRITE_TIMEOUT);
            assertThatThrownBy(() -> transport.open(e, new RecordingListener()))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("TLS handshake with 127.0.0.1:" + silent.getLocalPort() + " timed out after 500 ms");
            holder.join();
        }
    }

    @Test
    void certificateFilesNeedTheTlsModule(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "not read");
        Endpoint e = new Endpoint("127.0.0.1", server.port(), true, TlsOptions.defaults().caCert(ca), TIMEOUT, WRITE_TIMEOUT);
        assertThatThrownBy(() -> transport.open(e, new RecordingListener()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ws-tls");
    }

    @Test
    void wssWithTrustAllAndWithTheJdkDefaults(@TempDir Path dir) throws Exception {
        server.stop();
        server.tls(SelfSignedTls.create(dir, "localhost").serverContext()).start();
        int port = server.port();

        RecordingListener listener = new RecordingListener();
        Connection c = transport.open(new Endpoint("localhost", port, true, TlsOptions.insecureTrustAll(), TIMEOUT,
                WRITE_TIMEOUT), listener);
        assertThat(c.describe()).startsWith("tls ").endsWith(":" + port + " (localhost)");
        handshake(c, listener, "localhost", port, true);
        c.write(frame(Opcodes.TEXT, "secret".getBytes(StandardCharsets.UTF_8), false));
        assertThat(text(listener.next())).isEqualTo("secret");
        c.close();
        assertThat(listener.awaitClosed()).isInstanceOf(SocketException.class);

        // The JDK's trust store does not know a self-signed certificate, insist or not.
        for (TlsOptions strict : new TlsOptions[] {TlsOptions.defaults(), TlsOptions.defaults().insist(true)}) {
            assertThatThrownBy(() -> transport.open(new Endpoint("localhost", port, true, strict, TIMEOUT,
                    WRITE_TIMEOUT), new RecordingListener()))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void theEndpointsSocketOptionsAndLocalAddressAreOnTheSocket() throws Exception {
        int localPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            localPort = free.getLocalPort();
        }
        java.util.Map<java.net.SocketOption<?>, Object> options = new java.util.LinkedHashMap<>();
        options.put(java.net.StandardSocketOptions.SO_KEEPALIVE, true);
        options.put(java.net.StandardSocketOptions.SO_RCVBUF, 32 * 1024);
        options.put(java.net.StandardSocketOptions.TCP_NODELAY, false);  // the user's choice wins over the transport's
        dev.tether.ws.spi.SocketSettings settings = new dev.tether.ws.spi.SocketSettings(
                new java.net.InetSocketAddress("127.0.0.1", localPort), options);
        Endpoint endpoint = new Endpoint("127.0.0.1", server.port(), false, null, TIMEOUT, WRITE_TIMEOUT,
                dev.tether.ws.Resolver.SYSTEM, new dev.tether.ws.spi.ConnectAbort(), dev.tether.ws.WsProxy.NONE,
                new dev.tether.ws.spi.ConnectTrace(), settings);
        BlockingConnection c = (BlockingConnection) transport.open(endpoint, new RecordingListener());
        try {
            java.net.Socket tcp = c.tcp();
            assertThat(tcp.getKeepAlive()).isTrue();
            assertThat(tcp.getTcpNoDelay()).isFalse();
            // Linux doubles what it is given (for its bookkeeping); other systems take it as is.
            assertThat(tcp.getReceiveBufferSize()).isBetween(32 * 1024, 64 * 1024);
            assertThat(tcp.getLocalPort()).isEqualTo(localPort);
        } finally {
            c.close();
        }
    }
}
