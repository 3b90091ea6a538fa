package dev.tether.ws.cli.serve;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * A WebSocket echo server made of the codec's {@code SERVER} role: what {@code wsc serve} runs,
 * and what {@code wsc demo} talks to. Each connection gets a virtual thread
 * ({@link EchoConnection}); each message comes back as one frame of the same type; pings are
 * answered; closes are answered with the same code.
 *
 * <pre>{@code
 * try (EchoServer server = new EchoServer("127.0.0.1", 0).start()) {
 *     ... connect to server.uri() ...
 * }
 * }</pre>
 *
 * <p>{@link #stop()} says goodbye to every client with 1001 (going away), and {@link #start()}
 * listens again on the same port: the demo's server restart.
 */
public final class EchoServer implements AutoCloseable {
    /** The largest message echoed by default; past it the connection closes with 1009. */
    public static final long DEFAULT_MAX_MESSAGE = 16L << 20;
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    /** How long {@link #stop()} lets clients answer the going-away close before cutting them off. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final String host;
    private final Set<EchoConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ids = new AtomicInteger();

    // Settings: set before start, read by connection threads.
    private volatile SSLContext tls;
    private volatile long maxMessage = DEFAULT_MAX_MESSAGE;
    private volatile int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private volatile List<String> subprotocols = List.of();
    private volatile Consumer<String> log = line -> { };

    // Guarded by this.
    private int port;
    private ServerSocket listener;
    private Thread acceptor;

    /** A server for {@code host}:{@code port} (0: a free port, kept across restarts), not started. */
    public EchoServer(String host, int port) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
    }

    /** Serve wss with this context's key and certificate (from the next start). */
    public EchoServer tls(SSLContext context) {
        this.tls = context;
        return this;
    }

    /** The largest message to echo; a bigger one closes the connection with 1009. */
    public EchoServer maxMessage(long bytes) {
        this.maxMessage = bytes;
        return this;
    }

    /** Connections beyond this many are answered 503. */
    public EchoServer maxConnections(int n) {
        this.maxConnections = n;
        return this;
    }

    /**
     * Subprotocols to agree to, in order of preference. Empty (the default): agree to whatever
     * the client offers first, so that any client's subprotocol can be tried against it.
     */
    public EchoServer subprotocols(List<String> supported) {
        this.subprotocols = List.copyOf(supported);
        return this;
    }

    /** Where to report connections opening and closing: one line each. */
    public EchoServer log(Consumer<String> sink) {
        this.log = Objects.requireNonNull(sink, "sink");
        return this;
    }

    /** Listens: on the configured port, or after {@link #stop()} on the same port as before. */
    public synchronized EchoServer start() throws IOException {
        if (listener != null) {
            throw new IllegalStateException("already listening on port " + port);
        }
        SSLContext context = tls;
        ServerSocket socket = context == null ? new ServerSocket()
                : context.getServerSocketFactory().createServerSocket();
        try {
            // A restart must rebind although the last connections linger in TIME_WAIT.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 128);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        listener = socket;
        port = socket.getLocalPort();
        acceptor = Thread.ofVirtual().name("wsc-serve-accept").start(() -> acceptLoop(socket));
        return this;
    }

    /** Stops listening; sends every client a close with 1001 and waits a little for them to answer. */
    public void stop() {
        Thread acceptorToJoin;
        synchronized (this) {
            if (listener == null) {
                return;
            }
            closeQuietly(listener);
            listener = null;
            acceptorToJoin = acceptor;
            acceptor = null;
        }
        try {
            acceptorToJoin.join(STOP_GRACE);
            for (EchoConnection c : open) {
                c.goAway();
            }
            long end = System.nanoTime() + STOP_GRACE.toNanos();
            for (EchoConnection c : open) {
                c.awaitEnd(Math.max(0, end - System.nanoTime()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (EchoConnection c : open) {
            c.abort();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized int port() {
        return port;
    }

    /** {@code ws://host:port/}, or {@code wss://} with TLS. */
    public URI uri() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create((tls == null ? "ws" : "wss") + "://" + h + ":" + port() + "/");
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    log.accept("accept failed: " + e.getMessage());
                }
                return;
            }
            EchoConnection c = new EchoConnection(this, client, ids.incrementAndGet());
            boolean admitted = open.size() < maxConnections;
            if (admitted) {
                open.add(c);
            }
            Thread.ofVirtual().name("wsc-serve-" + c.id()).start(admitted ? c::run : c::refuseBusy);
        }
    }

    // ---- for EchoConnection -------------------------------------------------------------------

    long maxMessageSize() {
        return maxMessage;
    }

    List<String> supportedSubprotocols() {
        return subprotocols;
    }

    void log(String line) {
        log.accept(line);
    }

    void ended(EchoConnection c) {
        open.remove(c);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing: nothing left to do about it
        }
    }

    @Override
    public synchronized String toString() {
        return "EchoServer[" + (listener == null ? "stopped" : uri()) + "]";
    }
}
