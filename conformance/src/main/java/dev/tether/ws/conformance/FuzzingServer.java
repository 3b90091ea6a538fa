package dev.tether.ws.conformance;

import dev.tether.ws.codec.handshake.HandshakeException;
import dev.tether.ws.codec.handshake.HttpHeadParser;
import dev.tether.ws.codec.handshake.HttpHeaders;
import dev.tether.ws.codec.handshake.HttpRequestHead;
import dev.tether.ws.codec.handshake.ServerHandshake;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLContext;

/**
 * A WebSocket server that plays the Autobahn|Testsuite client cases, built on the codec's
 * server role, speaking the suite's fuzzing-server protocol so that any client driven the way
 * the suite drives one can be tested:
 *
 * <ul>
 *   <li>{@code GET /getCaseCount}: one text message with the number of cases, then a close;</li>
 *   <li>{@code GET /getCaseInfo?case=N}: one text message, {@code {"id": ..., "description": ...}}
 *       of case N, then a close;</li>
 *   <li>{@code GET /runCase?case=N&agent=A}: plays case N (1-based, in the catalogue's order)
 *       and records the verdict under agent A;</li>
 *   <li>{@code GET /updateReports?agent=A}: writes the reports, then closes.</li>
 * </ul>
 *
 * One virtual thread per connection. No subprotocol is ever accepted, and no extension but
 * permessage-deflate in the 12.x/13.x cases, answered by the case's {@link DeflateAccept}.
 *
 * <p>Given an {@link SSLContext} it serves the same cases over TLS ({@code wss://}): every
 * byte of every case is the same, only inside TLS records, so a client's verdicts over wss can
 * be held beside its verdicts over plain TCP. Where a case drops the TCP connection, the TLS
 * peer sends its {@code close_notify} first ({@link javax.net.ssl.SSLSocket#shutdownOutput}).
 */
public final class FuzzingServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FuzzingServer.class.getName());

    private final ServerSocket listener;
    private final boolean tls;
    private final CaseCatalog catalog;
    private final CaseBook book;
    private final ResultStore results = new ResultStore();
    private final Path reportDir;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "conformance-timers");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;
    /** Case connections not judged yet; reports wait for them. Guarded by this. */
    private int casesRunning;

    private FuzzingServer(ServerSocket listener, boolean tls, CaseCatalog catalog, CaseBook book, Path reportDir) {
        this.listener = listener;
        this.tls = tls;
        this.catalog = catalog;
        this.book = book;
        this.reportDir = reportDir;
    }

    /** Listens on 127.0.0.1, a free port. */
    public static FuzzingServer start(Path reportDir) throws IOException {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), reportDir);
    }

    public static FuzzingServer start(InetSocketAddress address, Path reportDir) throws IOException {
        return start(address, reportDir, CaseBook.standard());
    }

    /** Plays the cases of {@code book}, e.g. one with fewer 12.x/13.x messages. */
    public static FuzzingServer start(InetSocketAddress address, Path reportDir, CaseBook book) throws IOException {
        return start(address, reportDir, book, null);
    }

    /**
     * Plays the cases of {@code book} over TLS with the server certificate of {@code tls}
     * ({@code wss://}), or over plain TCP when {@code tls} is null.
     */
    public static FuzzingServer start(InetSocketAddress address, Path reportDir, CaseBook book, SSLContext tls)
            throws IOException {
        ServerSocket listener = tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
        listener.bind(address);
        FuzzingServer server = new FuzzingServer(listener, tls != null, CaseCatalog.load(), book, reportDir);
        Thread.ofPlatform().daemon().name("conformance-accept").start(server::acceptLoop);
        return server;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code ws://host:port} ({@code wss://} over TLS), the base the client paths go under. */
    public URI uri() {
        return URI.create((tls ? "wss://" : "ws://") + listener.getInetAddress().getHostAddress() + ":" + port());
    }

    public CaseCatalog catalog() {
        return catalog;
    }

    public ResultStore results() {
        return results;
    }

    /** Writes every agent's reports to the report directory, as {@code /updateReports} does. */
    public Path writeReports() throws IOException {
        ReportWriter.write(reportDir, catalog, results);
        return reportDir;
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        timers.shutdownNow();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = listener.accept();
                Thread.ofVirtual().name("conformance-peer").start(() -> serve(s));
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "accept failed", e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            socket.setSoTimeout(10_000);
            HttpHeadParser<HttpRequestHead> parser = HttpHeadParser.forRequests();
            byte[] buf = new byte[8192];
            HttpRequestHead head = null;
            ByteBuffer leftover = ByteBuffer.allocate(0);
            while (head == null) {
                int n = in.read(buf);
                if (n < 0) {
                    return;
                }
                ByteBuffer chunk = ByteBuffer.wrap(buf, 0, n);
                Optional<HttpRequestHead> parsed = parser.parse(chunk);
                if (parsed.isPresent()) {
                    head = parsed.get();
                    // Frames a client sent right behind its request are its first frames.
                    leftover = ByteBuffer.wrap(Arrays.copyOfRange(buf, chunk.position(), n));
                }
            }
            socket.setSoTimeout(0);
            ServerHandshake handshake = ServerHandshake.validate(head);
            route(socket, in, out, leftover, handshake);
        } catch (HandshakeException e) {
            refuse(socket, e);
        } catch (SocketException e) {
            // The client went away.
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "connection failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void route(Socket socket, InputStream in, OutputStream out, ByteBuffer leftover, ServerHandshake handshake)
            throws IOException, InterruptedException, HandshakeException {
        PeerRequest request = PeerRequest.parse(handshake.resource());
        switch (request.path()) {
            case "/runCase" -> {
                CaseCatalog.Entry entry = caseFor(request.param("case", ""));
                CaseScript script = book.script(entry.id());
                if (script == null) {
                    throw new HandshakeException("case " + entry.id() + " is not implemented by this peer", 404,
                            HttpHeaders.empty());
                }
                DeflateAccept.Outcome deflate = script.deflate() == null ? null
                        : script.deflate().negotiate(handshake.offeredExtensions());
                write(out, deflate != null && deflate.negotiated()
                        ? handshake.acceptResponse(Optional.empty(), List.of(deflate.answer()))
                        : handshake.acceptResponse());
                caseStarted();
                CaseResult result;
                try {
                    result = CaseRunner.run(script, entry, request.param("agent", "unknown"), socket, in, out,
                            leftover, deflate, timers);
                    results.put(result);
                } finally {
                    caseEnded();
                }
                LOG.log(System.Logger.Level.DEBUG, () -> "case " + entry.id() + " " + result.behavior().label()
                        + "/" + result.closeBehavior().label() + " " + result.durationMillis() + " ms");
            }
            case "/getCaseInfo" -> {
                CaseCatalog.Entry entry = caseFor(request.param("case", ""));
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("id", entry.id());
                info.put("description", entry.description());
                accept(out, handshake);
                control(socket, in, out, leftover, new Step.SendMessage(false, Slice.utf8(Json.write(info)), 0));
            }
            case "/getCaseCount" -> {
                accept(out, handshake);
                control(socket, in, out, leftover, new Step.SendMessage(false, Slice.utf8(Integer.toString(catalog.count())), 0));
            }
            case "/updateReports" -> {
                accept(out, handshake);
                // The client saw its last case end a moment before the peer judged it.
                awaitCasesJudged(Duration.ofSeconds(10));
                writeReports();
                control(socket, in, out, leftover);
            }
            default -> throw new HandshakeException("no such resource: " + request.path()
                    + " (use /getCaseCount, /getCaseInfo?case=N, /runCase?case=N&agent=A, /updateReports?agent=A)", 404, HttpHeaders.empty());
        }
    }

    private synchronized void caseStarted() {
        casesRunning++;
    }

    private synchronized void caseEnded() {
        casesRunning--;
        notifyAll();
    }

    /** Waits until no case connection is still being played or judged (at most {@code timeout}). */
    public synchronized void awaitCasesJudged(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long left;
        while (casesRunning > 0 && (left = deadline - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000));
        }
    }

    private CaseCatalog.Entry caseFor(String number) throws HandshakeException {
        try {
            int n = Integer.parseInt(number);
            if (n >= 1 && n <= catalog.count()) {
                return catalog.byIndex(n);
            }
        } catch (NumberFormatException e) {
            // Fall through.
        }
        throw new HandshakeException("case must be 1.." + catalog.count() + ", got '" + number + "'", 404,
                HttpHeaders.empty());
    }

    /** A command connection: the given steps, then a normal close, judged by nobody. */
    private void control(Socket socket, InputStream in, OutputStream out, ByteBuffer leftover, Step... steps)
            throws InterruptedException {
        List<Step> all = new ArrayList<>(List.of(steps));
        all.add(new Step.SendClose(1000, Slice.EMPTY));
        CaseScript script = CaseScript.of("control", Expectation.nothing().suppressingClose(), all.toArray(Step[]::new));
        CaseRunner.run(script, new CaseCatalog.Entry("control", "", "", "", ""), "", socket, in, out, leftover,
                null, timers);
    }

    private static void accept(OutputStream out, ServerHandshake handshake) throws IOException {
        write(out, handshake.acceptResponse());
    }

    private static void refuse(Socket socket, HandshakeException e) {
        try {
            write(socket.getOutputStream(), ServerHandshake.errorResponse(e));
        } catch (IOException ignored) {
            // The client is gone.
        }
    }

    private static void write(OutputStream out, ByteBuffer bytes) throws IOException {
        byte[] b = new byte[bytes.remaining()];
        bytes.duplicate().get(b);
        out.write(b);
        out.flush();
    }

    /**
     * Serves until killed: {@code FuzzingServer [port [reportDir]]}, port 9001 and
     * {@code reports/clients} by default, like the suite's own fuzzing server.
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9001;
        Path dir = Path.of(args.length > 1 ? args[1] : "reports/clients");
        try (FuzzingServer server = start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), dir)) {
            System.out.println("Fuzzing server on " + server.uri() + ", " + server.catalog().count()
                    + " cases, reports in " + dir.toAbsolutePath());
            Thread.currentThread().join();
        }
    }
}
