package dev.tether.ws.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP echo server of plain java.net sockets on 127.0.0.1, the far end for {@link FaultProxyTest}
 * (no WebSocket, so a proxy bug cannot hide behind a client's or server's). Each connection copies
 * what it reads back; at end of stream it sends {@link #TRAILER} and closes, so a test can tell
 * that the server saw the FIN while the other direction still flows. It records what it got.
 */
final class PlainEchoServer implements AutoCloseable {
    static final byte[] TRAILER = "<eof>".getBytes(StandardCharsets.US_ASCII);

    /** One accepted connection, as the server saw it. */
    static final class Session {
        // Guarded by this; written by the session's thread, read by the test's.
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        /** How many reads returned data: how finely the bytes arrived. */
        final AtomicInteger reads = new AtomicInteger();
        /** Completes with the byte count when the server reads end of stream. */
        final CompletableFuture<Integer> endOfStream = new CompletableFuture<>();
        /** Completes with the error if reading or echoing failed (an RST, say). */
        final CompletableFuture<IOException> failure = new CompletableFuture<>();

        synchronized byte[] received() {
            return received.toByteArray();
        }

        private synchronized int record(byte[] b, int n) {
            received.write(b, 0, n);
            reads.incrementAndGet();
            return received.size();
        }
    }

    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final BlockingQueue<Session> sessions = new LinkedBlockingQueue<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    PlainEchoServer() throws IOException {
        Thread.ofVirtual().name("plain-echo-accept").start(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The next connection accepted, waiting up to 5 s for it. */
    Session nextSession() throws InterruptedException {
        Session session = sessions.poll(5, TimeUnit.SECONDS);
        if (session == null) {
            throw new AssertionError("the echo server accepted no connection within 5 s");
        }
        return session;
    }

    private void acceptLoop() {
        while (true) {
            try {
                Socket socket = listener.accept();
                sockets.add(socket);
                Session session = new Session();
                sessions.add(session);
                Thread.ofVirtual().name("plain-echo").start(() -> serve(socket, session));
            } catch (IOException e) {
                return;  // closed
            }
        }
    }

    private static void serve(Socket socket, Session session) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[8192];
            int total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total = session.record(buffer, n);
                out.write(buffer, 0, n);
                out.flush();
            }
            session.endOfStream.complete(total);
            out.write(TRAILER);
        } catch (IOException e) {
            session.failure.complete(e);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
