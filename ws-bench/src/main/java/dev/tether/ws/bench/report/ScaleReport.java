package dev.tether.ws.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The connection-scale part of the end-to-end section, from {@code scale.tsv}
 * ({@code ConnectionScale}'s output): for each number of connections, the median of the repeats
 * per stack with their min–max, the verdict of the better Tether transport against the best other
 * stack, targets at the largest number, and a chart of it.
 */
final class ScaleReport {
    /** Measure, label, whether it has a target (at the largest N); every figure here is better when lower. */
    private static final String[][] ROWS = {
        {"scale_heap_b", "heap per connection, B", ""},
        {"scale_rss_b", "native memory per connection, B", ""},
        {"scale_total_b", "heap + native per connection, B", "ahead"},
        {"scale_threads", "platform threads, all open", "no worse"},
        {"scale_all_threads", "threads incl. virtual, all open", ""},
        {"scale_open_s", "seconds to open all", "ahead"}};

    private ScaleReport() {
    }

    /** One size's figures: client -> measure -> repeats, and the stacks that failed with why. */
    private record Size(Map<String, Map<String, List<Double>>> values, Map<String, String> failed) {
        Spread spread(String client, String measure) {
            Map<String, List<Double>> m = values.get(client);
            if (m == null) {
                return null;
            }
            if (measure.equals("scale_total_b")) {
                List<Double> heap = m.get("scale_heap_b");
                List<Double> rss = m.get("scale_rss_b");
                if (heap == null || rss == null || heap.size() != rss.size()) {
                    return null;
                }
                List<Double> total = new ArrayList<>();
                for (int i = 0; i < heap.size(); i++) {
                    total.add(heap.get(i) + rss.get(i));  // repeat by repeat: the same child's figures
                }
                return Spread.of(total);
            }
            List<Double> v = m.get(measure);
            return v == null ? null : Spread.of(v);
        }
    }

    static String section(Path results, Path docs, StringBuilder targets) throws IOException {
        Path tsv = results.resolve("scale.tsv");
        if (!Files.exists(tsv)) {
            return "\n### Connection scale\n\nNot run in this report (`ws-bench/run.sh scale`).\n";
        }
        // N asked for -> its figures; an older file without the N column counts as one N, its largest.
        Map<Integer, Size> sizes = new TreeMap<>();
        List<String> lines = Files.readAllLines(tsv);
        int repeats = 0;
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            int size = f.length > 7 && !f[7].isBlank() ? Integer.parseInt(f[7].strip()) : -1;
            Size s = sizes.computeIfAbsent(size, k -> new Size(new LinkedHashMap<>(), new LinkedHashMap<>()));
            repeats = Math.max(repeats, Integer.parseInt(f[2]));
            if (f[1].equals("scale_failed")) {
                s.failed.putIfAbsent(f[0], f.length > 6 && !f[6].isBlank() ? f[6] : "see the run's log");
                continue;
            }
            s.values.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).computeIfAbsent(f[1], k -> new ArrayList<>())
                    .add(Double.parseDouble(f[3]));
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, """

                ### Connection scale

                N idle connections per client stack to the same Netty server (its own process), for each N, each \
                stack in a fresh JVM (`-Xms2g -Xmx2g -XX:+AlwaysPreTouch`), opened 64 at a time, one 64 B echo on \
                every connection before the figures are taken. Each stack shares what it shares between \
                connections: one `HttpClient`, one `OkHttpClient` (dispatcher limits lifted), one Jetty \
                `WebSocketClient`, one Netty event loop group; Tether's transports share their loop by themselves. \
                Heap: used heap after a full GC, over the warmed-up stack with no connection, divided by N (it \
                includes the harness's own handle, about 100 B, for every stack). Native: growth of the resident \
                set (the heap is resident from the start), divided by N: thread stacks, direct buffers, the stack's \
                own native memory. Repeats (%d in this run) go round every N and stack in turn; a cell is the \
                median with min–max. Lower is better everywhere; the verdict compares the better Tether transport with the \
                best other stack as above (ratio: best other / Tether, above 1 Tether ahead). Targets, at the \
                largest N, on NIO: memory per connection and seconds to open at least 1.2x the best other, \
                platform threads no more than the best other's.
                """, repeats));
        int largest = sizes.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
        for (Map.Entry<Integer, Size> e : sizes.entrySet()) {
            table(e.getKey(), e.getValue(), e.getKey() == largest, out, targets, docs);
        }
        return out.toString();
    }

    private static void table(int asked, Size size, boolean largest, StringBuilder out, StringBuilder targets,
                              Path docs) throws IOException {
        long n = asked > 0 ? asked : Math.round(size.values.values().stream()
                .flatMap(m -> m.getOrDefault("scale_connections", List.of()).stream())
                .mapToDouble(Double::doubleValue).max().orElse(0));
        out.append(String.format(Locale.ROOT, "%n#### %,d connections%n%n", n));
        List<String> clients = new ArrayList<>(size.values.keySet());
        size.failed.keySet().stream().filter(c -> !clients.contains(c)).forEach(clients::add);
        out.append("| |");
        clients.forEach(c -> out.append(' ').append(ReportGenerator.CLIENT_NAMES.getOrDefault(c, c)).append(" |"));
        out.append(" Tether vs best other |\n|---|");
        clients.forEach(c -> out.append("---:|"));
        out.append("---|\n");
        List<ReportGenerator.Figure> chart = new ArrayList<>();
        for (String[] row : ROWS) {
            out.append("| ").append(row[1]).append(" |");
            String tether = null;
            String other = null;
            for (String c : clients) {
                Spread s = size.spread(c, row[0]);
                out.append(' ').append(s == null ? (size.failed.containsKey(c) ? "failed" : "-")
                        : s.cell(v -> format(row[0], v))).append(" |");
                if (s == null) {
                    continue;
                }
                if (!row[0].equals("scale_open_s") && !row[0].equals("scale_all_threads")) {
                    chart.add(new ReportGenerator.Figure(row[1], c, s.median(), Double.NaN));
                }
                if (c.startsWith("tether")) {
                    if (tether == null || s.betterThan(size.spread(tether, row[0]), false)) {
                        tether = c;
                    }
                } else if (other == null || s.betterThan(size.spread(other, row[0]), false)) {
                    other = c;
                }
            }
            if (tether == null || other == null) {
                out.append(" - |\n");
            } else {
                Spread ts = size.spread(tether, row[0]);
                Spread os = size.spread(other, row[0]);
                out.append(String.format(Locale.ROOT, " %s (%s %.2fx %s) |%n", Spread.verdict(ts, os, false).label(),
                        tether.substring("tether-".length()), Spread.ratio(ts, os, false),
                        ReportGenerator.CLIENT_NAMES.getOrDefault(other, other)));
            }
            Spread nio = size.spread("tether-nio", row[0]);
            if (largest && !row[2].isEmpty() && nio != null && other != null) {
                double ratio = Spread.ratio(nio, size.spread(other, row[0]), false);
                double goal = row[2].equals("ahead") ? 1.2 : 1.0;
                targets.append(ReportGenerator.check(ratio >= goal, String.format(Locale.ROOT,
                        "End to end, %,d connections, %s: nio %.2fx %s (target %.1fx)", n, row[1], ratio,
                        ReportGenerator.CLIENT_NAMES.getOrDefault(other, other), goal)));
            }
        }
        List<String> fewer = new ArrayList<>();
        for (String c : clients) {
            Spread count = size.spread(c, "scale_connections");
            if (count != null && Math.round(count.median()) < n) {
                fewer.add(String.format(Locale.ROOT, "%s with %,d", ReportGenerator.CLIENT_NAMES.getOrDefault(c, c),
                        Math.round(count.median())));
            }
        }
        if (!fewer.isEmpty()) {
            out.append("\nRun with fewer connections, as its platform threads per connection would otherwise take more "
                    + "than half of this machine's process ids (`/proc/sys/kernel/pid_max`): ")
                    .append(String.join(", ", fewer)).append(". Its per-connection figures still compare.\n");
        }
        if (!size.failed.isEmpty()) {
            List<String> why = new ArrayList<>();
            size.failed.forEach((c, reason) -> why.add(ReportGenerator.CLIENT_NAMES.getOrDefault(c, c) + " (" + reason + ")"));
            out.append("\nCould not hold them all (in at least one repeat): ").append(String.join("; ", why)).append(".\n");
        }
        if (largest) {
            Files.writeString(docs.resolve("bench-scale.svg"), Svg.chart(
                    String.format(Locale.ROOT, "%,d idle connections, medians (lower is better)", n), chart,
                    ReportGenerator.CLIENT_NAMES));
            out.append("\n![Connection scale](bench-scale.svg)\n");
        }
    }

    private static String format(String measure, double v) {
        return String.format(Locale.ROOT, measure.equals("scale_open_s") ? "%.2f" : "%,.0f", v);
    }
}
