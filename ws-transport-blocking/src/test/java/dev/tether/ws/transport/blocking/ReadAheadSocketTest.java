package dev.tether.ws.transport.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The socket the blocking transport layers TLS over, against a real loopback peer. */
class ReadAheadSocketTest {
    private ServerSocket listener;
    private Socket tcp;
    private Socket peer;
    private ReadAheadSocket socket;

    @BeforeEach
    void connect() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        tcp = new Socket();
        tcp.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 5_000);
        peer = listener.accept();
        socket = new ReadAheadSocket(tcp);
        tcp.setSoTimeout(10_000);  // no test waits for ever
    }

    @AfterEach
    void close() throws IOException {
        socket.release();
        peer.close();
        tcp.close();
        listener.close();
    }

    @Test
    void readsGiveExactlyTheBytesSentWhateverTheReadSizesAndWriteChunks() throws Exception {
        Random random = new Random(7);
        byte[] sent = new byte[600_000];
        random.nextBytes(sent);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream out = peer.getOutputStream()) {
                Random chunks = new Random(11);
                for (int i = 0; i < sent.length; ) {
                    int n = Math.min(sent.length - i, 1 + chunks.nextInt(chunks.nextBoolean() ? 40 : 70_000));
                    out.write(sent, i, n);
                    i += n;
                    if (chunks.nextInt(8) == 0) {
                        Thread.sleep(1);  // let some reads find the socket empty
                    }
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        InputStream in = socket.getInputStream();
        byte[] got = new byte[sent.length];
        int at = 0;
        while (at < got.length) {
            // As SSLSocket reads: a 5-byte header, then a body; now and then a single byte.
            int ask = switch (random.nextInt(3)) {
                case 0 -> Math.min(5, got.length - at);
                case 1 -> Math.min(1 + random.nextInt(17_000), got.length - at);
                default -> 1;
            };
            if (ask == 1 && random.nextBoolean()) {
                int b = in.read();
                assertThat(b).isNotNegative();
                got[at++] = (byte) b;
                continue;
            }
            int n = in.read(got, at, ask);
            assertThat(n).as("bytes remain").isPositive();
            at += n;
        }
        writer.get(10, TimeUnit.SECONDS);
        assertThat(Arrays.equals(got, sent)).isTrue();
        assertThat(in.read()).as("the peer's end of stream").isEqualTo(-1);
        assertThat(socket.holdsBuffer()).as("nothing held once all is read").isFalse();
    }

    @Test
    void aBufferIsLentOnlyWhileItHoldsUnreadBytes() throws Exception {
        OutputStream out = peer.getOutputStream();
        out.write(new byte[100]);
        InputStream in = socket.getInputStream();
        byte[] b = new byte[100];
        assertThat(in.read(b, 0, 5)).isEqualTo(5);
        assertThat(socket.holdsBuffer()).as("the first read goes to the socket").isFalse();
        assertThat(in.read(b, 5, 10)).isEqualTo(10);
        assertThat(socket.holdsBuffer()).as("the next takes what is waiting").isTrue();
        assertThat(in.available()).isEqualTo(85);
        assertThat(in.read(b, 15, 85)).isEqualTo(85);
        assertThat(socket.holdsBuffer()).as("emptied, given back").isFalse();

        out.write(new byte[50]);
        assertThat(in.read(b, 0, 5)).isEqualTo(5);
        assertThat(in.read(b, 0, 5)).isEqualTo(5);
        assertThat(socket.holdsBuffer()).isTrue();
        socket.release();
        assertThat(socket.holdsBuffer()).as("released with bytes unread: the connection is over").isFalse();
    }

    @Test
    void releaseDuringABlockedReadLeavesTheReadToFinish() throws Exception {
        InputStream in = socket.getInputStream();
        CountDownLatch reading = new CountDownLatch(1);
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                reading.countDown();
                return in.read(new byte[5], 0, 5);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        reading.await(5, TimeUnit.SECONDS);
        Thread.sleep(50);  // into the socket's read, holding the lock and no buffer
        socket.release();  // does not wait for it
        peer.getOutputStream().write(new byte[] {1, 2, 3});
        assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(3);
    }

    @Test
    void theEndOfStreamComesAfterTheBytesReadAhead() throws Exception {
        peer.getOutputStream().write(new byte[] {1, 2, 3, 4, 5, 6, 7});
        peer.shutdownOutput();
        InputStream in = socket.getInputStream();
        byte[] b = new byte[16];
        assertThat(in.read(b, 0, 5)).isEqualTo(5);
        assertThat(in.read(b, 0, 16)).isEqualTo(2);
        assertThat(in.read(b, 0, 16)).as("end of stream, straight from the socket").isEqualTo(-1);
        assertThat(socket.holdsBuffer()).isFalse();
    }

    @Test
    void everythingElseIsTheTcpSockets() throws Exception {
        assertThat(socket.isConnected()).isTrue();
        assertThat(socket.getRemoteSocketAddress()).isEqualTo(tcp.getRemoteSocketAddress());
        assertThat(socket.getLocalPort()).isEqualTo(tcp.getLocalPort());
        socket.setSoTimeout(1234);
        assertThat(tcp.getSoTimeout()).isEqualTo(1234);
        socket.setTcpNoDelay(true);
        assertThat(tcp.getTcpNoDelay()).isTrue();
        assertThat(socket.getOutputStream()).isSameAs(tcp.getOutputStream());
        socket.shutdownOutput();
        assertThat(tcp.isOutputShutdown()).isTrue();
        assertThat(peer.getInputStream().read()).as("the peer sees our FIN").isEqualTo(-1);
        socket.close();
        assertThat(tcp.isClosed()).isTrue();
        assertThat(socket.isClosed()).isTrue();
    }
}
