package dev.tether.ws.testing;

import dev.tether.ws.codec.handshake.HttpRequestHead;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * A WebSocket server made of the codec's {@code SERVER} role, for tests: the library's own
 * strictest peer. It listens on 127.0.0.1, gives each connection a virtual thread, and by
 * default behaves as a correct echo server (see {@link ServerConnection}). Tests script it:
 *
 * <pre>{@code
 * try (CodecServer server = CodecServer.started()) {
 *     server.onConnect(c -> c.answerPings(false).sendText("hello"));
 *     ... connect a client to server.uri("/chat") ...
 *     ServerConnection c = server.nextConnection();
 *     assertThat(c.await(ServerEvent.Close.class).code()).isEqualTo(1000);
 * }
 * }</pre>
 *
 * <p>{@link #stop()} and {@link #start()} again reuse the same port, for reconnect tests. The
 * handshake can be withheld ({@link #neverAnswerHandshake()}) or replaced by any response
 * ({@link #answerHandshakeWith(String)}), and {@link #tls(SSLContext)} makes it a wss server.
 */
public final class CodecServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CodecServer.class.getName());

    /** How the opening handshake is answered. */
    sealed interface HandshakeMode {
        /** RFC 6455 section 4.2.2: validate and answer 101 (or 400/426 to a bad request). */
        record WebSocket() implements HandshakeMode {
        }

        /** Accept TCP, read the request, answer nothing. */
        record Silent() implements HandshakeMode {
        }

        /** Answer with these bytes (ISO-8859-1), then optionally end TCP. */
        record Raw(Function<HttpRequestHead, String> response, boolean thenClose) implements HandshakeMode {
        }
    }

    private final Set<ServerConnection> open = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<ServerConnection> accepted = new LinkedBlockingQueue<>();
    private final AtomicInteger acceptedCount = new AtomicInteger();

    // Guarded by this.
    private int port;
    private ServerSocket listener;
    private Thread acceptor;

    // Configuration: written by test threads, read by connection threads.
    private volatile Consumer<ServerConnection> onConnect = c -> { };
    private volatile HandshakeMode handshakeMode = new HandshakeMode.WebSocket();
    private volatile List<String> subprotocols = List.of();
    private volatile SSLContext tls;

    /** A server for an ephemeral port, not yet started. */
    public CodecServer() {
        this(0);
    }

    /** A server for {@code port} (0: any free port, fixed at the first start), not yet started. */
    public CodecServer(int port) {
        this.port = port;
    }

    /** A started server on a free port. */
    public static CodecServer started() throws IOException {
        return new CodecServer().start();
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Starts listening: on the configured port, or after a {@link #stop()} on the same port as
     * before. Connections not yet taken with {@link #nextConnection()} are forgotten.
     */
    public synchronized CodecServer start() throws IOException {
        if (listener != null) {
            throw new IllegalStateException("already running on port " + port);
        }
        SSLContext context = tls;
        ServerSocket socket = context == null ? new ServerSocket()
                : context.getServerSocketFactory().createServerSocket();
        try {
            // Rebinding right after stop() must work although old connections linger in
            // TIME_WAIT on this port.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        } catch (IOException e) {
            socket.close();
            throw new IOException("codec server: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        listener = socket;
        port = socket.getLocalPort();
        accepted.clear();
        acceptor = Thread.ofVirtual().name("codec-server-accept-" + port).start(() -> acceptLoop(socket));
        return this;
    }

    /** Stops listening and closes every connection (abruptly: no close frames). Idempotent. */
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
            // First let the acceptor finish registering a connection it may have just accepted.
            acceptorToJoin.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ServerConnection c : open) {
            c.closeTcp();
        }
    }

    public synchronized boolean isRunning() {
        return listener != null;
    }

    @Override
    public void close() {
        stop();
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.log(Level.WARNING, "codec server: accept failed", e);
                }
                return;
            }
            int id = acceptedCount.incrementAndGet();
            try {
                ServerConnection connection = new ServerConnection(this, client, id);
                open.add(connection);
                Thread.ofVirtual().name("codec-server-conn-" + id).start(connection::run);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "codec server: cannot set up connection " + id, e);
                closeQuietly(client);
            }
        }
    }

    // ---------------------------------------------------------------- addresses

    /** The port; fixed once the server has started. */
    public synchronized int port() {
        if (port == 0) {
            throw new IllegalStateException("not started yet");
        }
        return port;
    }

    /** {@code ws://127.0.0.1:port/} (or {@code wss://} with {@link #tls(SSLContext)}). */
    public URI uri() {
        return uri("/");
    }

    /** The URI of {@code pathAndQuery} on this server, e.g. {@code uri("/chat?room=1")}. */
    public URI uri(String pathAndQuery) {
        return URI.create((tls == null ? "ws" : "wss") + "://127.0.0.1:" + port() + pathAndQuery);
    }

    // ---------------------------------------------------------------- behaviour

    /**
     * Runs {@code hook} for each connection right after its 101 response, on the connection's
     * thread and before any frame is read: the place to flip a connection's switches, send
     * something first, or block (nothing is read meanwhile, so the client's writes back up).
     */
    public CodecServer onConnect(Consumer<ServerConnection> hook) {
        this.onConnect = Objects.requireNonNull(hook);
        return this;
    }

    /** Subprotocols the server supports, in its order of preference (none by default). */
    public CodecServer subprotocols(String... supported) {
        this.subprotocols = List.of(supported);
        return this;
    }

    /** Accept TCP connections and read the request, but never answer it. */
    public CodecServer neverAnswerHandshake() {
        handshakeMode = new HandshakeMode.Silent();
        return this;
    }

    /**
     * Answer every handshake with exactly {@code rawResponse} (status line, headers, empty line,
     * perhaps more), then keep the connection open until the client closes it.
     */
    public CodecServer answerHandshakeWith(String rawResponse) {
        return answerHandshakeWith(request -> rawResponse, false);
    }

    /**
     * Answer every handshake with what {@code response} makes of the request (e.g. a 101 whose
     * accept value is computed from the key but whose Upgrade header is wrong); end the
     * server's side of TCP after it if {@code thenClose}.
     */
    public CodecServer answerHandshakeWith(Function<HttpRequestHead, String> response, boolean thenClose) {
        handshakeMode = new HandshakeMode.Raw(Objects.requireNonNull(response), thenClose);
        return this;
    }

    /** Refuse every handshake with {@code status} and an empty body, then end TCP. */
    public CodecServer answerHandshakeWithStatus(int status, String reasonPhrase) {
        String response = "HTTP/1.1 " + status + " " + reasonPhrase + "\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n";
        return answerHandshakeWith(request -> response, true);
    }

    /** Answer 101 with a {@code Sec-WebSocket-Accept} of {@code accept} (a wrong one, normally). */
    public CodecServer answerHandshakeWithAccept(String accept) {
        return answerHandshakeWith("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n");
    }

    /** Back to the RFC 6455 handshake (the default). */
    public CodecServer answerHandshakeNormally() {
        handshakeMode = new HandshakeMode.WebSocket();
        return this;
    }

    /** Serve wss with {@code context}'s key; takes effect at the next {@link #start()}. */
    public CodecServer tls(SSLContext context) {
        this.tls = context;
        return this;
    }

    // ---------------------------------------------------------------- connections

    /**
     * The next connection, within 10 s. Every accepted connection appears here once: when its
     * handshake has been answered (before the {@link #onConnect} hook runs), when it was
     * refused or the client left before finishing its request, or, under
     * {@link #neverAnswerHandshake()}, as soon as it is accepted.
     */
    public ServerConnection nextConnection() {
        return nextConnection(Duration.ofSeconds(10));
    }

    public ServerConnection nextConnection(Duration wait) {
        try {
            ServerConnection c = accepted.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
            if (c == null) {
                throw new AssertionError("codec server: no connection within " + wait
                        + " (" + acceptedCount.get() + " accepted so far)");
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** How many TCP connections were accepted since construction, across restarts. */
    public int connectionsAccepted() {
        return acceptedCount.get();
    }

    /** The connections whose socket is still open. */
    public List<ServerConnection> openConnections() {
        return List.copyOf(open);
    }

    // ---------------------------------------------------------------- for ServerConnection

    HandshakeMode handshakeMode() {
        return handshakeMode;
    }

    List<String> subprotocols() {
        return subprotocols;
    }

    Consumer<ServerConnection> onConnect() {
        return onConnect;
    }

    void published(ServerConnection c) {
        accepted.add(c);
    }

    void forget(ServerConnection c) {
        open.remove(c);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "codec server: close failed: " + e);
        }
    }

    @Override
    public synchronized String toString() {
        return "CodecServer[" + (listener != null ? "127.0.0.1:" + port : "stopped") + "]";
    }
}
