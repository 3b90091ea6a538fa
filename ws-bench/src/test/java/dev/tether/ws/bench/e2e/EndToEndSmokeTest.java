package dev.tether.ws.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.bench.report.ReportGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the end-to-end runner and its report from rotting: the whole run as {@code run.sh e2e}
 * makes it (server in a child JVM, every row including wss and deflate, fan-in and connection
 * scale in child JVMs of their own) at a tiny size for one Tether transport and one other stack,
 * then the report from its files. Every cell must have a figure; no timing is asserted.
 */
class EndToEndSmokeTest {

    @Test
    void tinyRunFillsEveryRowAndTheReport(@TempDir Path dir) throws Exception {
        Path results = Files.createDirectories(dir.resolve("results"));
        Path docs = dir.resolve("docs");
        List<String> stacks = List.of("tether-nio", "netty");
        EndToEnd.run(results.resolve("e2e.tsv"), new Settings(1, 0.002, 0, stacks, List.of(), 20, 1, 0.5, 20, 256));
        ConnectionScale.run(results.resolve("scale.tsv"), List.of(8, 16), List.of("tether-nio"), 1);

        List<String> e2e = Files.readAllLines(results.resolve("e2e.tsv"));
        assertThat(e2e).noneMatch(l -> l.contains("failed"));
        for (EndToEnd.Row row : EndToEnd.ROWS) {
            for (String stack : stacks) {
                assertThat(e2e).as(stack + " " + row.id()).anyMatch(l -> l.startsWith(stack + "\t" + row.id() + "\t1\t"));
            }
        }
        for (String stack : stacks) {
            assertThat(e2e).anyMatch(l -> l.startsWith(stack + "\tfanin\t1\t"));
            assertThat(e2e).anyMatch(l -> l.startsWith(stack + "\tfanin_cpu\t1\t"));
        }
        assertThat(Files.readAllLines(results.resolve("scale.tsv")))
                .noneMatch(l -> l.contains("scale_failed"))
                .anyMatch(l -> l.startsWith("tether-nio\tscale_heap_b\t1\t") && l.endsWith("\t16"));

        ReportGenerator.main(new String[] {results.toString(), docs.toString(), "EndToEndSmokeTest"});
        String md = Files.readString(docs.resolve("BENCHMARKS.md"));
        assertThat(md).contains("### wss (TLS 1.3)", "### permessage-deflate", "### Fan-in", "### Allocation", "### Client CPU", "#### 16 connections",
                "CLOCK_MONOTONIC", "End to end, Pipelined 64 B binary, W = 128, msgs/s: nio");
        assertThat(md).containsPattern("\\| (\\*\\*lead\\*\\*|tie|\\*\\*loss\\*\\*) \\(nio \\d+\\.\\d\\dx Netty 4\\.2\\) \\|");
        assertThat(docs.resolve("bench-e2e.svg")).exists();
        assertThat(docs.resolve("bench-scale.svg")).exists();
    }
}
