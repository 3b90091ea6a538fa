package dev.tether.ws.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The connection-scale part of the end-to-end section, from {@code scale.tsv}
 * ({@code ConnectionScale}'s output): medians of the repeats per stack, the ratio of the better
 * Tether transport to the best other stack, and a chart.
 */
final class ScaleReport {
    /** Measure, label; every figure here is better when lower. */
    private static final String[][] ROWS = {
        {"scale_heap_b", "heap per connection, B"},
        {"scale_rss_b", "native memory per connection, B"},
        {"scale_total_b", "heap + native per connection, B"},
        {"scale_threads", "platform threads, all open"},
        {"scale_all_threads", "threads incl. virtual, all open"},
        {"scale_open_s", "seconds to open all"}};

    private ScaleReport() {
    }

    static String section(Path results, Path docs, StringBuilder targets) throws IOException {
        Path tsv = results.resolve("scale.tsv");
        if (!Files.exists(tsv)) {
            return "\n### Connection scale\n\nNot run in this report (`ws-bench/run.sh scale`).\n";
        }
        // client -> measure -> values of the repeats
        Map<String, Map<String, List<Double>>> data = new LinkedHashMap<>();
        Map<String, String> failed = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(tsv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            if (f[1].equals("scale_failed")) {
                failed.put(f[0], f.length > 6 ? f[6] : "see the run's log");
                continue;
            }
            data.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).computeIfAbsent(f[1], k -> new ArrayList<>())
                    .add(Double.parseDouble(f[3]));
        }
        Map<String, Map<String, Double>> medians = new LinkedHashMap<>();
        data.forEach((client, measures) -> {
            Map<String, Double> m = new LinkedHashMap<>();
            measures.forEach((measure, values) -> m.put(measure, median(values)));
            if (m.containsKey("scale_heap_b") && m.containsKey("scale_rss_b")) {
                m.put("scale_total_b", m.get("scale_heap_b") + m.get("scale_rss_b"));
            }
            medians.put(client, m);
        });
        long n = Math.round(medians.values().stream().mapToDouble(m -> m.getOrDefault("scale_connections", 0.0))
                .max().orElse(0));

        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, """

                ### Connection scale

                %,d idle connections per client stack to the same Netty echo server (its own process), \
                each stack in a fresh JVM (`-Xms2g -Xmx2g -XX:+AlwaysPreTouch`), opened 64 at a time, one \
                64 B echo on every connection before the figures are taken. Each stack shares what it \
                shares between connections: one `HttpClient`, one `OkHttpClient` (dispatcher limits \
                lifted), one Jetty `WebSocketClient`, one Netty event loop group; Tether's transports \
                share their loop by themselves. Heap: used heap after a full GC, over the warmed-up stack \
                with no connection, divided by N (it includes the harness's own handle, about 100 B, for \
                every stack). Native: growth of the resident set (the heap is resident from the start), \
                divided by N: thread stacks, direct buffers, the stack's own native memory. Three \
                repeats, medians. Lower is better everywhere; ratio: best other / the better Tether \
                transport (above 1: Tether ahead).

                """, n));
        List<String> clients = new ArrayList<>(medians.keySet());
        out.append("| |");
        clients.forEach(c -> out.append(' ').append(ReportGenerator.CLIENT_NAMES.getOrDefault(c, c)).append(" |"));
        out.append(" best other / Tether |\n|---|");
        clients.forEach(c -> out.append("---:|"));
        out.append("---:|\n");
        List<ReportGenerator.Figure> chart = new ArrayList<>();
        for (String[] row : ROWS) {
            out.append("| ").append(row[1]).append(" |");
            double bestTether = Double.NaN;
            double bestOther = Double.NaN;
            String bestOtherName = "";
            for (String c : clients) {
                Double v = medians.get(c).get(row[0]);
                out.append(' ').append(v == null ? "-" : format(row[0], v)).append(" |");
                if (v == null) {
                    continue;
                }
                if (!row[0].equals("scale_open_s") && !row[0].equals("scale_all_threads")) {
                    chart.add(new ReportGenerator.Figure(row[1], c, v, Double.NaN));
                }
                if (c.startsWith("tether")) {
                    bestTether = Double.isNaN(bestTether) ? v : Math.min(bestTether, v);
                } else if (Double.isNaN(bestOther) || v < bestOther) {
                    bestOther = v;
                    bestOtherName = ReportGenerator.CLIENT_NAMES.getOrDefault(c, c);
                }
            }
            double ratio = bestOther / bestTether;
            out.append(' ').append(Double.isNaN(ratio) ? "-"
                    : String.format(Locale.ROOT, "**%.2f** (%s)", ratio, bestOtherName)).append(" |\n");
            if (!Double.isNaN(ratio) && (row[0].equals("scale_total_b") || row[0].equals("scale_threads"))) {
                targets.append(ReportGenerator.check(ratio >= 1, String.format(Locale.ROOT,
                        "End to end, connection scale, %s: Tether ahead of every other client: %.2f of %s", row[1],
                        ratio, bestOtherName)));
            }
        }
        List<String> fewer = new ArrayList<>();
        medians.forEach((c, m) -> {
            long count = Math.round(m.getOrDefault("scale_connections", (double) n));
            if (count < n) {
                fewer.add(String.format(Locale.ROOT, "%s with %,d", ReportGenerator.CLIENT_NAMES.getOrDefault(c, c), count));
            }
        });
        if (!fewer.isEmpty()) {
            out.append("\nRun with fewer connections, as its platform threads per connection would otherwise take more "
                    + "than half of this machine's process ids (`/proc/sys/kernel/pid_max`): ")
                    .append(String.join(", ", fewer)).append(". Its per-connection figures still compare.\n");
        }
        if (!failed.isEmpty()) {
            out.append("\nCould not hold them all: ");
            List<String> why = new ArrayList<>();
            failed.forEach((c, reason) -> why.add(ReportGenerator.CLIENT_NAMES.getOrDefault(c, c) + " (" + reason + ")"));
            out.append(String.join("; ", why)).append(".\n");
        }
        Files.writeString(docs.resolve("bench-scale.svg"), Svg.chart(
                String.format(Locale.ROOT, "%,d idle connections (lower is better)", n), chart,
                ReportGenerator.CLIENT_NAMES));
        out.append("\n![Connection scale](bench-scale.svg)\n");
        return out.toString();
    }

    private static String format(String measure, double v) {
        return String.format(Locale.ROOT, measure.equals("scale_open_s") ? "%.2f" : "%,.0f", v);
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
