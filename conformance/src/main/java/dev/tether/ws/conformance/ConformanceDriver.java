package dev.tether.ws.conformance;

import dev.tether.ws.Event;
import dev.tether.ws.Received;
import dev.tether.ws.WebSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Drives a Tether client through a fuzzing server the way the suite drives a client under
 * test: ask for the case count, then for each case connect to {@code /runCase?case=i&agent=A}
 * with a client that echoes every message back as the same type, wait for the connection to
 * end, and finally ask for the reports. The client is an ordinary application of the public
 * API: whatever it does on the wire is the library's own behaviour.
 */
public final class ConformanceDriver {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final URI server;
    private final String transport;
    private final String agent;
    private final Duration caseTimeout;

    /**
     * @param server      the fuzzing server, {@code ws://host:port}
     * @param transport   the Tether transport to use ("blocking", "nio")
     * @param agent       the name results are recorded under
     * @param caseTimeout the longest one case may take from the client's side; the server ends
     *                    every case within its own bound, so this only guards against a hang
     */
    public ConformanceDriver(URI server, String transport, String agent, Duration caseTimeout) {
        this.server = server;
        this.transport = transport;
        this.agent = agent;
        this.caseTimeout = caseTimeout;
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

    /** Case {@code i}; null when it ran to the end, else what went wrong. */
    public String runCase(int i) throws InterruptedException {
        WebSocket ws = client("/runCase?case=" + i + "&agent=" + URLEncoder.encode(agent, StandardCharsets.UTF_8));
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
            return "case " + i + ": connect failed: " + ws.lastError();
        }
        if (!ended.await(caseTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            ws.close();
            return "case " + i + ": the connection did not end within " + caseTimeout;
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
        return WebSocket.builder(server + resource).transport(transport).build();
    }

    /**
     * Runs every case against a fuzzing server that is already serving, e.g. this module's
     * {@link FuzzingServer#main} or the real suite's {@code wstest -m fuzzingserver}:
     * {@code ConformanceDriver ws://127.0.0.1:9001 blocking [agent]}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ConformanceDriver <ws://host:port> <transport> [agent]");
            System.exit(2);
        }
        String agent = args.length > 2 ? args[2] : "tether-" + args[1];
        List<String> problems = new ConformanceDriver(URI.create(args[0]), args[1], agent, Duration.ofSeconds(60)).runAll();
        problems.forEach(System.err::println);
        System.out.println("done: " + agent + (problems.isEmpty() ? "" : ", " + problems.size() + " problems"));
    }
}
