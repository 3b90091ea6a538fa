package dev.tether.ws.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.tether.ws.TlsOptions;
import dev.tether.ws.spi.Transport;
import dev.tether.ws.testing.TestPki;
import dev.tether.ws.testing.TestPki.ServerCert;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Autobahn client case against Tether, on every transport on the class path (found the
 * way the library finds them, with {@link ServiceLoader}), one agent per transport, over plain
 * TCP ({@code tether-blocking}, {@code tether-nio}; reports in {@code target/reports/clients})
 * and over TLS ({@code tether-blocking-wss}, {@code tether-nio-wss}, trusting a CA made for
 * the run; reports in {@code target/reports/clients-wss}): index.json, index.html, one file
 * per case.
 *
 * <p>Fails, naming the cases, when a case did not run, when a behaviour is FAILED or
 * UNIMPLEMENTED (the driver offers permessage-deflate in 12.x/13.x, so those cases must run and
 * pass like any other), when the close behaviour is FAILED or UNCLEAN, or when a behaviour is
 * NON-STRICT outside 6.4.x (Tether is strict on every case; a NON-STRICT elsewhere is a
 * regression, such as a close frame sent before the handlers answered what came before a
 * violation). 6.4.x (fail fast on UTF-8 within a timed wait) and WRONG CODE are printed, not
 * failed: on a loaded machine the wait may end first.
 */
class AutobahnClientSuiteTest {
    private static final Path REPORTS =
            Path.of(System.getProperty("tether.conformance.reports", "target/reports/clients"));

    @Test
    void everyCaseOnEveryTransport() {
        assertTimeoutPreemptively(budget(), () -> runEveryCaseOnEveryTransport(REPORTS, null, null, ""));
    }

    /**
     * The same cases over {@code wss://}: the TLS layer must not change a single verdict
     * (records split and joined differently from the frames, close_notify where a case drops TCP).
     */
    @Test
    void everyCaseOnEveryTransportOverTls(@TempDir Path pkiDir) {
        assertTimeoutPreemptively(budget(), () -> {
            TestPki pki = TestPki.create(pkiDir);
            runEveryCaseOnEveryTransport(REPORTS.resolveSibling(REPORTS.getFileName() + "-wss"),
                    pki.serverContext(ServerCert.LOCALHOST), TlsOptions.defaults().caCert(pki.caCert()), "-wss");
        });
    }

    /**
     * A last resort against a hang (every case has its own bound on both sides): 15 minutes,
     * plus 2 s per 12.x/13.x message per case, so that a run with the suite's 1000 messages
     * ({@code -Dconformance.deflate.messages=1000}, about 15 minutes per transport) fits.
     */
    private static Duration budget() {
        return Duration.ofMinutes(15).plusSeconds(2L * CompressionCases.messages());
    }

    /**
     * Plays every case for each transport, agent {@code tether-<transport><agentSuffix>}, on a
     * fuzzing server with {@code serverTls} (null: plain TCP) and a client with {@code clientTls}.
     */
    private static void runEveryCaseOnEveryTransport(Path reports, SSLContext serverTls, TlsOptions clientTls,
            String agentSuffix) throws Exception {
        List<String> transports = ServiceLoader.load(Transport.class).stream()
                .map(p -> p.get().name()).sorted().toList();
        assumeFalse(transports.isEmpty(), "no Tether transport on the test class path: add "
                + "dev.tether:ws-transport-blocking (and -nio) to this module in test scope");

        List<String> failures = new ArrayList<>();
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (FuzzingServer server = FuzzingServer.start(loopback, reports, CaseBook.standard(), serverTls)) {
            for (String transport : transports) {
                String agent = "tether-" + transport + agentSuffix;
                long start = System.nanoTime();
                List<String> problems = new ConformanceDriver(server.uri(), transport, agent, Duration.ofSeconds(60),
                        clientTls).runAll();
                long ms = (System.nanoTime() - start) / 1_000_000;
                problems.forEach(p -> failures.add(agent + ": " + p));
                server.awaitCasesJudged(Duration.ofSeconds(10));
                summarize(server, agent, ms, failures);
            }
            server.awaitCasesJudged(Duration.ofSeconds(10));
            server.writeReports();
            System.out.println("reports: " + reports.toAbsolutePath().resolve("index.html"));
        }
        assertThat(failures).as("conformance failures (details in " + reports + ")").isEmpty();
    }

    private static void summarize(FuzzingServer server, String agent, long ms, List<String> failures) {
        Map<Behavior, Integer> counts = new EnumMap<>(Behavior.class);
        Map<CloseBehavior, Integer> closeCounts = new EnumMap<>(CloseBehavior.class);
        Map<String, String> warnings = new TreeMap<>();
        for (CaseCatalog.Entry e : server.catalog().entries()) {
            var result = server.results().result(agent, e.id());
            if (result.isEmpty()) {
                failures.add(agent + ": case " + e.id() + " did not run");
                continue;
            }
            CaseResult r = result.get();
            counts.merge(r.behavior(), 1, Integer::sum);
            closeCounts.merge(r.closeBehavior(), 1, Integer::sum);
            if (r.behavior() == Behavior.FAILED || r.behavior() == Behavior.UNIMPLEMENTED) {
                failures.add(agent + ": case " + e.id() + " " + r.behavior().label() + ": " + r.verdict().result()
                        + " " + r.details());
            }
            if (r.closeBehavior() == CloseBehavior.FAILED || r.closeBehavior() == CloseBehavior.UNCLEAN) {
                failures.add(agent + ": case " + e.id() + " close " + r.closeBehavior().label() + ": "
                        + r.verdict().resultClose() + " " + r.details());
            }
            if (r.behavior() == Behavior.NON_STRICT && !e.id().startsWith("6.4.")) {
                failures.add(agent + ": case " + e.id() + " NON-STRICT: " + r.verdict().result() + " " + r.details());
            } else if (r.behavior() == Behavior.NON_STRICT || r.closeBehavior() == CloseBehavior.WRONG_CODE) {
                warnings.put(e.id(), r.behavior().label() + "/" + r.closeBehavior().label());
            }
        }
        System.out.printf("%s: %d cases in %d ms; behavior %s; close %s%n", agent,
                server.results().size(agent), ms, counts, closeCounts);
        if (!warnings.isEmpty()) {
            System.out.println(agent + " non-strict or wrong close code: " + warnings);
        }
    }
}
