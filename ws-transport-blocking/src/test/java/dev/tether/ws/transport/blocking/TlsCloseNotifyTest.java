package dev.tether.ws.transport.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.TlsOptions;
import dev.tether.ws.spi.Connection;
import dev.tether.ws.spi.ConnectionListener;
import dev.tether.ws.spi.Endpoint;
import dev.tether.ws.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS's close_notify both ways on the blocking transport, against the JDK's SSLServerSocket,
 * which the pom runs with {@code com.sun.net.ssl.requireCloseNotify=true}: the peer's read
 * returns -1 only for a close_notify and fails for a bare TCP close.
 */
class TlsCloseNotifyTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    static Path dir;
    private static SSLContext serverContext;

    private SSLServerSocket server;
    private final CompletableFuture<SSLSocket> accepted = new CompletableFuture<>();

    @BeforeAll
    static void pki() throws Exception {
        serverContext = TestPki.create(dir).serverContext(TestPki.ServerCert.LOCALHOST);
    }

    @BeforeEach
    void listen() throws IOException {
        server = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try {
                SSLSocket s = (SSLSocket) server.accept();
                s.startHandshake();
                accepted.complete(s);
            } catch (IOException e) {
                accepted.completeExceptionally(e);
            }
        });
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private Connection open(Sink sink) throws IOException {
        Connection c = new BlockingTransport().open(new Endpoint("127.0.0.1", server.getLocalPort(), true,
                TlsOptions.insecureTrustAll(), TIMEOUT, Duration.ofSeconds(10)), sink);
        c.startReading();
        return c;
    }

    @Test
    void closeSendsCloseNotify() throws Exception {
        Connection c = open(new Sink());
        SSLSocket peer = accepted.get(10, TimeUnit.SECONDS);
        c.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
        try (InputStream in = peer.getInputStream()) {
            assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("hello");
            c.close();
            assertThat(in.read()).as("close_notify, not a bare TCP close").isEqualTo(-1);
        } finally {
            peer.close();
        }
    }

    @Test
    void serverCloseNotifyIsAnOrderlyEndOfStream() throws Exception {
        Sink sink = new Sink();
        Connection c = open(sink);
        SSLSocket peer = accepted.get(10, TimeUnit.SECONDS);
        peer.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
        peer.close();
        assertThat(sink.closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sink.cause).isNull();
        synchronized (sink.bytes) {
            assertThat(sink.bytes.toString(StandardCharsets.US_ASCII)).isEqualTo("bye");
        }
        c.close();
    }

    private static final class Sink implements ConnectionListener {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CountDownLatch closed = new CountDownLatch(1);
        volatile IOException cause;

        @Override
        public void onData(ByteBuffer data) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            synchronized (bytes) {
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onClosed(IOException cause) {
            this.cause = cause;
            closed.countDown();
        }
    }
}
