package dev.tether.ws.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tether.ws.spi.Transport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every case of the real Autobahn|Testsuite ({@code wstest -m fuzzingserver}) against Tether, on
 * every transport on the class path, with agents {@code tether-blocking}, {@code tether-nio}:
 * the same {@link ConformanceDriver} that {@link AutobahnClientSuiteTest} points at the in-tree
 * peer, pointed at the suite itself. See {@link AutobahnTarget} for how the server is named.
 *
 * <p>Fails on a case the client could not run (connect failed, hang); and, when the server's
 * report folder is known, on every case that index.json reports FAILED, naming case and agent.
 * Without a server the test is skipped, saying how to run it: never faked.
 */
class RealAutobahnTest {
    /** The suite bounds each case itself; this only guards against a hang. */
    private static final Duration CASE_TIMEOUT = Duration.ofSeconds(60);
    /** How long the server may take to show every agent in index.json after /updateReports. */
    private static final Duration INDEX_WAIT = Duration.ofSeconds(30);

    @Test
    @Timeout(value = 120, unit = TimeUnit.MINUTES)
    void everyCaseOnEveryTransportPassesOnTheRealFuzzingServer() throws Exception {
        AutobahnTarget target = AutobahnTarget.fromEnvironment();
        assumeTrue(target.url().isPresent(), target.why());
        URI url = target.url().get();
        List<String> transports = ServiceLoader.load(Transport.class).stream()
                .map(p -> p.get().name()).sorted().toList();
        assumeFalse(transports.isEmpty(), "no Tether transport on the test class path");

        List<String> failures = new ArrayList<>();
        List<String> agents = new ArrayList<>();
        for (String transport : transports) {
            String agent = "tether-" + transport;
            agents.add(agent);
            long start = System.nanoTime();
            List<String> problems = new ConformanceDriver(url, transport, agent, CASE_TIMEOUT).runAll();
            problems.forEach(p -> failures.add(agent + ": " + p));
            System.out.printf("%s: every case of %s run in %d s, %d client-side problems%n", agent, url,
                    (System.nanoTime() - start) / 1_000_000_000, problems.size());
        }

        if (target.reports().isPresent()) {
            Path index = target.reports().get().resolve("index.json");
            AutobahnIndex reported = awaitIndex(index, agents, failures);
            if (reported != null) {
                for (String agent : agents) {
                    System.out.println(agent + ": " + reported.summary(agent));
                    if (reported.cases(agent).isEmpty()) {
                        failures.add(agent + ": no cases in " + index);
                    }
                    reported.failures(agent).forEach(e -> failures.add(agent + ": " + e));
                }
            }
        } else {
            System.out.println("autobahn.reports not set: the verdicts are in the server's report folder, "
                    + "unchecked here; only cases the client could not run fail this test");
        }
        assertThat(failures).as("the real Autobahn fuzzing server at %s (reports: %s)", url,
                target.reports().map(Path::toString).orElse("not given")).isEmpty();
    }

    /**
     * index.json once it lists every agent, within {@link #INDEX_WAIT}; null, with the reason
     * added to {@code failures}, when it never does. Retried because the server may still be
     * writing it.
     */
    private static AutobahnIndex awaitIndex(Path index, List<String> agents, List<String> failures)
            throws InterruptedException {
        long end = System.nanoTime() + INDEX_WAIT.toNanos();
        String last = "it does not exist";
        while (System.nanoTime() < end) {
            if (Files.isRegularFile(index)) {
                try {
                    AutobahnIndex read = AutobahnIndex.read(index);
                    if (read.agents().containsAll(agents)) {
                        return read;
                    }
                    last = "it lists agents " + read.agents() + ", not all of " + agents;
                } catch (IOException | IllegalArgumentException e) {
                    last = "it does not read as an index: " + e.getMessage();
                }
            }
            Thread.sleep(200);
        }
        failures.add("no usable " + index + " within " + INDEX_WAIT + ": " + last);
        return null;
    }
}
