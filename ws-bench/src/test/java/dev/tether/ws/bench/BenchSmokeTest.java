package dev.tether.ws.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Keeps the benchmarks from rotting: every benchmark method of every group runs once, in this
 * JVM (no fork), for one 50 ms iteration at one small size, and must produce a score. A timing
 * is never asserted; the full run is {@code ws-bench/run.sh}, outside CI.
 */
class BenchSmokeTest {

    @Test
    void everyBenchmarkRunsOnce() throws Exception {
        Options opts = new OptionsBuilder()
                .include("dev\\.tether\\.ws\\.bench\\..*")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(50))
                .timeUnit(TimeUnit.SECONDS)
                .param("size", "125")
                .param("text", "ascii")
                .param("length", "1024")
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        assertThat(results).isNotEmpty();
        for (RunResult r : results) {
            assertThat(r.getPrimaryResult().getScore())
                    .as(r.getParams().getBenchmark())
                    .isPositive();
        }
    }
}
