package dev.tether.ws.transport.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ws.Resolver;
import dev.tether.ws.WsProxy;
import dev.tether.ws.spi.ConnectAbort;
import dev.tether.ws.spi.ConnectTrace;
import dev.tether.ws.spi.Connection;
import dev.tether.ws.spi.ConnectionListener;
import dev.tether.ws.spi.Endpoint;
import dev.tether.ws.spi.SocketSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Large writes that the socket does not take at once are queued as they are, not copied, and
 * the writer waits until they are written: the writer may refill its buffer as soon as write
 * returns, and the peer still gets every byte as it was; a writer stopped while it waits (an
 * interrupt, a close) gets an error, and the connection ends with its buffer out of the queue.
 */
class LargeWritesTest {
    private static final int PIECE = 64 * 1024;
    private static final int PIECES = 256;  // 16 MiB: far more than the socket buffers take from a peer that waits, then reads slowly

    @ParameterizedTest(name = "direct {0}")
    @ValueSource(booleans = {false, true})
    void aBufferRefilledAfterEachWriteReachesThePeerAsItWasWrittenWhileThePeerIsSlow(boolean direct) throws Exception {
        byte[] expected = new byte[PIECE * PIECES];
        new Random(11).nextBytes(expected);
        emptyPool();  // so that a buffer given to it wrongly would stay there to be seen
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(server, expected.length));
            Connection c = open(server.getLocalPort());
            try {
                // One buffer, reused as a sender does: heap for plaintext frames, direct as TLS's
                // pooled record buffers are.
                ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(PIECE) : ByteBuffer.allocate(PIECE);
                long longestWriteNanos = 0;
                for (int i = 0; i < PIECES; i++) {
                    buffer.clear();
                    buffer.put(expected, i * PIECE, PIECE).flip();
                    long t0 = System.nanoTime();
                    c.write(buffer);
                    longestWriteNanos = Math.max(longestWriteNanos, System.nanoTime() - t0);
                    assertThat(buffer.hasRemaining()).as("write %d returned with bytes left", i).isFalse();
                    buffer.clear();
                    buffer.put(new byte[PIECE]);  // scribbled over: the queue must not hold it any more
                }
                assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
                assertThat(pooled(buffer)).as("the writer's buffer was given to the read buffers' pool").isFalse();
                assertThat(TimeUnit.NANOSECONDS.toMillis(longestWriteNanos))
                        .as("some write waited for the slow peer (the socket was full)").isGreaterThanOrEqualTo(100);
            } finally {
                c.close();
            }
        }
    }

    /** How a writer waiting with its buffer in the queue is stopped. */
    enum Stop {
        /** Its thread is interrupted: the connection ends, the frame being cut. */
        INTERRUPT,
        /** Another thread closes the connection. */
        CLOSE
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Stop.class)
    void aWriterWaitingWithItsBufferQueuedIsReleasedWithAnErrorAndTheConnectionEnds(Stop stop) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.accept();  // never reads
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Connection c = open(server.getLocalPort());
            CompletableFuture<Throwable> ended = new CompletableFuture<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(PIECE);
                try {
                    for (int i = 0; i < 1024; i++) {  // 64 MiB at most: one write waits long before
                        buffer.clear();
                        c.write(buffer);
                    }
                    ended.complete(null);
                } catch (Throwable t) {
                    ended.complete(t);
                }
            });
            try (Socket peer = accepted.get(10, TimeUnit.SECONDS)) {
                Thread.sleep(500);  // the socket buffers fill; the writer waits with its buffer queued
                assertThat(ended).as("the writer is still waiting").isNotDone();
                if (stop == Stop.INTERRUPT) {
                    writer.interrupt();
                } else {
                    c.close();
                }
                Throwable t = ended.get(10, TimeUnit.SECONDS);
                assertThat(t).isInstanceOf(stop == Stop.INTERRUPT ? java.io.InterruptedIOException.class : IOException.class);
                assertThatThrownBy(() -> c.write(ByteBuffer.allocate(1)))
                        .as("the connection ended with the cut frame").isInstanceOf(IOException.class);
            } finally {
                writer.join(5_000);
                c.close();
            }
        }
    }

    private static void emptyPool() {
        for (int i = 0; i < 64; i++) {
            ReadBuffers.POOL.take();  // left to the collector: the pool makes new ones as needed
        }
    }

    /** Whether {@code b} is among the buffers the pool holds now (each taken, then given back). */
    private static boolean pooled(ByteBuffer b) {
        java.util.List<ByteBuffer> taken = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) {
                taken.add(ReadBuffers.POOL.take());
            }
            return taken.stream().anyMatch(t -> t == b);
        } finally {
            taken.forEach(ReadBuffers.POOL::give);
        }
    }

    /** Accepts one connection, waits (the writer fills both socket buffers), then reads {@code n} bytes slowly. */
    private static byte[] readAll(ServerSocket server, int n) {
        try (Socket s = server.accept()) {
            Thread.sleep(300);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream(n);
            byte[] b = new byte[16 * 1024];
            while (out.size() < n) {
                int r = in.read(b, 0, Math.min(b.length, n - out.size()));
                if (r < 0) {
                    break;
                }
                out.write(b, 0, r);
                if (out.size() % (1 << 20) < r) {
                    Thread.sleep(20);  // a pause per MiB: the writer keeps finding the socket full
                }
            }
            return out.toByteArray();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection open(int port) throws IOException {
        Endpoint endpoint = new Endpoint("127.0.0.1", port, false, null, TimeUnit.SECONDS.toNanos(10),
                Duration.ofSeconds(10), Resolver.SYSTEM, new ConnectAbort(), WsProxy.NONE, new ConnectTrace(),
                SocketSettings.NONE);
        return new NioTransport().open(endpoint, new ConnectionListener() {
            @Override
            public void onData(ByteBuffer data) {
                data.position(data.limit());
            }

            @Override
            public void onClosed(IOException cause) {
            }
        });
    }
}
