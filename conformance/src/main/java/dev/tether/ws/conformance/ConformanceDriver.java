package dev.tether.ws.conformance;

import dev.tether.ws.Event;
import dev.tether.ws.Received;
import dev.tether.ws.TlsOptions;
import dev.tether.ws.WebSocket;
import dev.tether.ws.codec.deflate.DeflateOffer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Drives a Tether client through a fuzzing server the way the suite drives a client under
 * test: ask for the case count, then for each case ask what it is ({@code /getCaseInfo}),
 * connect to {@code /runCase?case=i&agent=A} with a client that echoes every message back as
 * the same type, wait for the connection to end, and finally ask for the reports. The client
 * is an ordinary application of the public API: whatever it does on the wire is the library's
 * own behaviour.
 *
 * <p>Compression: off, except in the permessage-deflate cases (12.x, 13.x), where the client
 * offers what the suite's own test clients offer there ({@link #offerFor}), as the suite's
 * client runner configures per case. Categories 1 to 10 run without the extension, as they do
 * against the suite's clients.
 */
public final class ConformanceDriver {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The longest a 12.x/13.x case may take against the suite itself (480 s at 1000 messages). */
    private static final Duration DEFLATE_CASE_TIMEOUT = Duration.ofSeconds(540);

    private final URI server;
    private final String transport;
    private final String agent;
    private final Duration caseTimeout;
    private final TlsOptions tls;

    /**
     * @param server      the fuzzing server, {@code ws://host:port}
     * @param transport   the Tether transport to use ("blocking", "nio")
     * @param agent       the name results are recorded under
     * @param caseTimeout the longest one case may take from the client's side; the server ends
     *                    every case within its own bound, so this only guards against a hang
     */
    public ConformanceDriver(URI server, String transport, String agent, Duration caseTimeout) {
        this(server, transport, agent, caseTimeout, null);
    }

    /**
     * A driver for a {@code wss://} fuzzing server: every connection, the command ones too,
     * uses {@code tls} (e.g. {@code TlsOptions.defaults().caCert(ca)} for a test CA); null for
     * the library's defaults.
     */
    public ConformanceDriver(URI server, String transport, String agent, Duration caseTimeout, TlsOptions tls) {
        this.server = server;
        this.transport = transport;
        this.agent = agent;
        this.caseTimeout = caseTimeout;
        this.tls = tls;
    }

    /** Runs every case; returns what went wrong on the client's side (failed connects, hangs). */
    public List<String> runAll() throws InterruptedException {
        int count = caseCount();
        List<String> problems = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String p = runCase(i);
            if (p != null) {
                problems.add(p);
            }
        }
        updateReports();
        return problems;
    }

    /** {@code /getCaseCount}: the number in the server's one text message. */
    public int caseCount() throws InterruptedException {
        WebSocket ws = client("/getCaseCount");
        try {
            if (!ws.connect(CONNECT_TIMEOUT)) {
                throw new IllegalStateException("cannot reach " + server + " with transport " + transport,
                        ws.lastError());
            }
            Received r = ws.recv(CONNECT_TIMEOUT);
            if (!r.ok()) {
                throw new IllegalStateException("no case count from " + server, r.error());
            }
            return Integer.parseInt(r.data().text().strip());
        } finally {
            ws.close();
        }
    }

    /**
     * The id of case {@code i} ({@code /getCaseInfo}, which the suite's fuzzing server serves
     * too); when the server does not answer it, the id at that place in the catalogue this
     * module carries; null when neither knows.
     */
    public String caseId(int i) throws InterruptedException {
        WebSocket ws = client("/getCaseInfo?case=" + i);
        try {
            if (ws.connect(CONNECT_TIMEOUT)) {
                Received r = ws.recv(CONNECT_TIMEOUT);
                if (r.ok() && Json.parse(r.data().text()) instanceof Map<?, ?> info
                        && info.get("id") instanceof String id) {
                    return id;
                }
            }
        } catch (IllegalArgumentException e) {
            // Not the JSON we expected: fall back to the catalogue.
        } finally {
            ws.close();
        }
        CaseCatalog catalog = CaseCatalog.load();
        return i >= 1 && i <= catalog.count() ? catalog.byIndex(i).id() : null;
    }

    /**
     * What the client offers in case {@code caseId}: nothing outside 12.x/13.x; in 12.x the
     * library's default offer ({@code permessage-deflate; client_max_window_bits}, as the suite's
     * "default permessage-deflate offer"); in 13.x the suite's client offer for the
     * subcategory, {@code (requestNoContextTakeover, requestMaxWindowBits)} asked of the server:
     * 13.1 (False, 0), 13.2 (True, 0), 13.3 (False, 9), 13.4 (False, 15), 13.5 (True, 9),
     * 13.6 (True, 15), and for 13.7, whose client offers (True, 9), (True, 0), (False, 0) in that
     * order, the first, which the server's accept function takes first. Each offers
     * {@code client_max_window_bits} so that the server may limit our window.
     *
     * @return null for no compression
     */
    public static DeflateOffer offerFor(String caseId) {
        if (caseId == null) {
            return null;
        }
        if (caseId.startsWith("12.")) {
            return DeflateOffer.DEFAULT;
        }
        if (!caseId.startsWith("13.")) {
            return null;
        }
        String[] parts = caseId.split("\\.");
        return switch (parts.length > 1 ? parts[1] : "") {
            case "1" -> new DeflateOffer(0, -1, false, false);
            case "2" -> new DeflateOffer(0, -1, false, true);
            case "3" -> new DeflateOffer(0, 9, false, false);
            case "4" -> new DeflateOffer(0, 15, false, false);
            case "5", "7" -> new DeflateOffer(0, 9, false, true);
            case "6" -> new DeflateOffer(0, 15, false, true);
            default -> null;
        };
    }

    /** Case {@code i}; null when it ran to the end, else what went wrong. */
    public String runCase(int i) throws InterruptedException {
        String id = caseId(i);
        DeflateOffer offer = offerFor(id);
        WebSocket.Builder builder = builder("/runCase?case=" + i + "&agent=" + URLEncoder.encode(agent, StandardCharsets.UTF_8));
        if (offer != null) {
            builder.compression(offer);
            if (id.startsWith("13.")) {
                // Compress every message, the suite's 16-byte ones too (the library's default
                // leaves messages under 64 bytes uncompressed, which 12.x keeps).
                builder.compressionThreshold(0);
            }
        }
        Duration timeout = offer != null && caseTimeout.compareTo(DEFLATE_CASE_TIMEOUT) < 0 ? DEFLATE_CASE_TIMEOUT : caseTimeout;
        WebSocket ws = builder.build();
        CountDownLatch ended = new CountDownLatch(1);
        // The echo: every message back as the type it came in; handlers run one at a time, in order.
        ws.on(Event.MESSAGE, m -> {
            if (m.isText()) {
                ws.send(m.text());
            } else {
                ws.send(m.bytes());
            }
        });
        ws.on(Event.CLOSE, (code, reason) -> ended.countDown());
        if (!ws.connect(CONNECT_TIMEOUT)) {
            return "case " + i + (id == null ? "" : " (" + id + ")") + ": connect failed: " + ws.lastError();
        }
        if (!ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            ws.close();
            return "case " + i + (id == null ? "" : " (" + id + ")") + ": the connection did not end within " + timeout;
        }
        return null;
    }

    /** {@code /updateReports}: the server writes its reports and closes. */
    public void updateReports() throws InterruptedException {
        WebSocket ws = client("/updateReports?agent=" + URLEncoder.encode(agent, StandardCharsets.UTF_8));
        CountDownLatch ended = new CountDownLatch(1);
        ws.on(Event.CLOSE, (code, reason) -> ended.countDown());
        if (ws.connect(CONNECT_TIMEOUT)) {
            ended.await(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        ws.close();
    }

    private WebSocket client(String resource) {
        return builder(resource).build();
    }

    private WebSocket.Builder builder(String resource) {
        WebSocket.Builder builder = WebSocket.builder(server + resource).transport(transport);
        return tls == null ? builder : builder.tls(tls);
    }

    /**
     * Runs every case against a fuzzing server that is already serving, e.g. this module's
     * {@link FuzzingServer#main} or the real suite's {@code wstest -m fuzzingserver}:
     * {@code ConformanceDriver ws://127.0.0.1:9001 blocking [agent [caCert.pem]]}; a
     * {@code wss://} server is trusted through {@code caCert.pem} when given, else through the
     * JDK's trust store.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ConformanceDriver <ws[s]://host:port> <transport> [agent [caCert.pem]]");
            System.exit(2);
        }
        String agent = args.length > 2 ? args[2] : "tether-" + args[1];
        TlsOptions tls = args.length > 3 ? TlsOptions.defaults().caCert(Path.of(args[3])) : null;
        List<String> problems = new ConformanceDriver(URI.create(args[0]), args[1], agent, Duration.ofSeconds(60), tls)
                .runAll();
        problems.forEach(System.err::println);
        System.out.println("done: " + agent + (problems.isEmpty() ? "" : ", " + problems.size() + " problems"));
    }
}
