package dev.tether.ws.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;

/**
 * A TCP proxy on 127.0.0.1 that forwards each direction in small random pieces (1 to
 * {@code maxPiece} bytes, each flushed on its own with Nagle off), so that the far side reads
 * TLS records and WebSocket frames split at every possible point. One connection at a time.
 */
public final class SplittingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final int maxPiece;

    public SplittingProxy(int targetPort, int maxPiece) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.maxPiece = maxPiece;
        Thread.ofVirtual().name("splitting-proxy").start(this::acceptLoop);
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(target, 5000);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> pump(client, server, 1));
                Thread.ofVirtual().start(() -> pump(server, client, 2));
            } catch (IOException e) {
                return;  // closed
            }
        }
    }

    private void pump(Socket from, Socket to, long seed) {
        Random random = new Random(seed);
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                for (int off = 0; off < n; ) {
                    int piece = Math.min(n - off, 1 + random.nextInt(maxPiece));
                    out.write(buffer, off, piece);
                    out.flush();
                    off += piece;
                }
            }
            to.shutdownOutput();  // pass the end of stream on
        } catch (IOException e) {
            closeQuietly(to);
            closeQuietly(from);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
