package dev.tether.ws.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.conformance.ReferenceClient.Flaw;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fuzzing peer, its interpreter and its judge, checked with the codec's own client role and
 * no transport: a correct client passes every case, and a client with one flaw is caught by
 * the case that tests it, with the verdict the suite would give.
 */
class FuzzingServerSelfTest {
    private static FuzzingServer server;

    /** Messages per 12.x/13.x case here: enough for context takeover to matter; the self-test
     * checks the peer, not a client's stamina, which the suite itself does. */
    private static final int DEFLATE_MESSAGES = 10;

    @BeforeAll
    static void start() throws Exception {
        server = FuzzingServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Path.of("target", "reports", "reference"), CaseBook.standard(DEFLATE_MESSAGES));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** One case; in 12.x/13.x the reference client offers what the driver offers there. */
    private static CaseResult run(String agent, String caseId, Set<Flaw> flaws) throws Exception {
        int n = server.catalog().numberOf(caseId);
        ReferenceClient.run(server.uri(), "/runCase?case=" + n + "&agent=" + agent, flaws,
                ConformanceDriver.offerFor(caseId));
        // The client returns when TCP is gone; the peer judges right after.
        return server.results().await(agent, caseId, Duration.ofSeconds(5))
                .orElseThrow(() -> new AssertionError(caseId + " not recorded"));
    }

    @Test
    @Timeout(300)
    void aCorrectClientPassesEveryCase() throws Exception {
        String agent = "reference";
        long start = System.nanoTime();
        for (CaseCatalog.Entry e : server.catalog().entries()) {
            run(agent, e.id(), EnumSet.noneOf(Flaw.class));
        }
        server.writeReports();
        List<String> wrong = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (CaseCatalog.Entry e : server.catalog().entries()) {
            CaseResult r = server.results().result(agent, e.id()).orElseThrow();
            counts.merge(r.behavior().label() + "/" + r.closeBehavior().label(), 1, Integer::sum);
            boolean compression = e.id().startsWith("12.") || e.id().startsWith("13.");
            boolean informational = e.id().equals("7.1.6") || e.id().startsWith("7.13.");
            Behavior want = compression ? Behavior.OK : informational ? Behavior.INFORMATIONAL : null;
            boolean ok = want != null ? r.behavior() == want
                    : r.behavior() == Behavior.OK || r.behavior() == Behavior.NON_STRICT;
            ok &= informational ? r.closeBehavior() == CloseBehavior.INFORMATIONAL : r.closeBehavior() == CloseBehavior.OK;
            if (!ok) {
                wrong.add(e.id() + " " + r.behavior().label() + "/" + r.closeBehavior().label() + " " + r.details());
            }
        }
        System.out.printf("reference client: %s in %d ms%n", counts, (System.nanoTime() - start) / 1_000_000);
        assertThat(wrong).isEmpty();
        assertThat(server.results().result(agent, "6.4.1").orElseThrow().behavior()).isEqualTo(Behavior.OK);
    }

    @ParameterizedTest(name = "{0} in {1}: {2} / {3}")
    @CsvSource({
        "IGNORE_PINGS,         2.1,   FAILED, OK",
        "IGNORE_PINGS,         5.6,   FAILED, OK",
        "TEXT_AS_BINARY,       1.1.2, FAILED, WRONG CODE",
        "ALWAYS_CLOSE_NORMAL,  3.1,   OK,     WRONG CODE",
        "ALWAYS_CLOSE_NORMAL,  7.9.1, FAILED, WRONG CODE",
        "DROP_ON_VIOLATION,    3.1,   OK,     OK",
        "SILENT_ON_VIOLATION,  6.8.1, FAILED, FAILED",
        "SILENT_ON_VIOLATION,  5.18,  OK,     FAILED",
        "IGNORE_CLOSE,         1.1.1, OK,     UNCLEAN",
        "IGNORE_CLOSE,         7.7.1, OK,     UNCLEAN",
        "NO_DEFLATE,           12.1.1, UNIMPLEMENTED, OK",
        "NO_DEFLATE,           13.7.18, UNIMPLEMENTED, OK",
    })
    @Timeout(30)
    void aFlawIsCaught(Flaw flaw, String caseId, String behavior, String close) throws Exception {
        CaseResult r = run("flaw-" + flaw.name().toLowerCase().replace('_', '-'), caseId, EnumSet.of(flaw));
        assertThat(r.behavior().label()).as("behavior, %s", r.details()).isEqualTo(behavior);
        assertThat(r.closeBehavior().label()).as("close behavior, %s", r.details()).isEqualTo(close);
    }

    /**
     * A client that compresses wrongly is failed by the peer (so the close is not clean) at the
     * first message that shows it, and the notes say why: the codec's inflater finds corrupt
     * data and references into a reset context, the peer's own decoder a window overstepped.
     */
    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({
        "DEFLATE_CORRUPT,      12.2.3,  invalid block type",
        "DEFLATE_CORRUPT,      13.1.11, invalid block type",
        "DEFLATE_FULL_WINDOW,  13.3.5,  beyond the 512-byte window client_max_window_bits allows",
        "DEFLATE_FULL_WINDOW,  13.5.10, beyond the 512-byte window client_max_window_bits allows",
        "DEFLATE_KEEP_CONTEXT, 13.2.5,  too far back",
        "DEFLATE_KEEP_CONTEXT, 13.6.14, too far back",
    })
    @Timeout(30)
    void aCompressionFlawIsCaught(Flaw flaw, String caseId, String why) throws Exception {
        CaseResult r = run("flaw-" + flaw.name().toLowerCase().replace('_', '-'), caseId, EnumSet.of(flaw));
        assertThat(r.behavior()).as("behavior, %s", r.details()).isEqualTo(Behavior.FAILED);
        assertThat(r.closeBehavior()).as("close behavior, %s", r.details()).isEqualTo(CloseBehavior.UNCLEAN);
        assertThat(r.details().get("failedByMe")).isEqualTo(true);
        assertThat(String.valueOf(r.details().get("notes"))).contains(why);
    }

    @Test
    void theCaseCountIsServedAsAMessage() throws Exception {
        URI uri = server.uri();
        assertThat(uri.getHost()).isEqualTo("127.0.0.1");
        ReferenceClient.run(uri, "/getCaseCount", Set.of());
        ReferenceClient.run(uri, "/updateReports?agent=reference", Set.of());
        assertThat(server.catalog().count()).isEqualTo(517);
    }
}
