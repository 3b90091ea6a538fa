package dev.tether.ws.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.ws.bench.ParseBench;
import dev.tether.ws.bench.ParseDeliverBench;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns JMH's JSON results ({@code target/jmh-<group>.json}, one file per group, as
 * {@code run.sh} writes them) into {@code docs/BENCHMARKS.md} and one bar chart per group,
 * {@code docs/bench-<group>.svg}. Groups without a result file are listed as not run.
 *
 * <pre>java -cp benchmarks.jar dev.tether.ws.bench.report.ReportGenerator RESULTS_DIR DOCS_DIR COMMAND [NOTES.md]</pre>
 */
public final class ReportGenerator {

    /** One figure: a stack's throughput (in the group's unit) and allocation for one row. */
    record Figure(String row, String stack, double value, double bytes) {
    }

    /** How a group reads: its title, unit, what one allocation figure is per, the ceiling stack. */
    record Group(String id, String benchClass, String title, String unit, String bytesPer,
                 String ceiling, String what) {
    }

    static final List<Group> GROUPS = List.of(
            new Group("mask", "MaskBench", "Masking a client frame", "frames/s", "B/frame", "arraycopy",
                    "One binary frame written with its header and masked payload, from a payload the "
                            + "caller keeps. `System.arraycopy` of the payload is the ceiling, not a competitor."),
            new Group("parse", "ParseBench", "Parsing server frames", "frames/s", "B/frame", null,
                    "A buffer of 1,000 unmasked binary frames (16 of 64 KiB) parsed, every payload handed "
                            + "to a consumer. Operations per second times frames per buffer."),
            new Group("deliver", "ParseDeliverBench", "Parsing and delivering whole messages", "messages/s",
                    "B/message", null,
                    "A buffer of 1,000 unmasked server messages (16 of 64 KiB) parsed, every whole message "
                            + "handed to a consumer in the form the stack's application gets it (Tether: a view "
                            + "of the read buffer, or one reused array for a fragmented message; Netty: the "
                            + "aggregated frame's ByteBuf, released after; OkHttp: a ByteString, a String for "
                            + "text; Jetty: a ByteBuffer from its message sink, a String for text). Text is "
                            + "validated UTF-8 (OkHttp decodes leniently). Operations per second times "
                            + "messages per buffer."),
            new Group("utf8", "Utf8Bench", "UTF-8 validation", "MB/s", "B/text", null,
                    "Is this text well-formed UTF-8? The JDK entry decodes strictly into a reused "
                            + "CharBuffer (the JDK has no validator-only API)."),
            new Group("handshake", "HandshakeBench", "Opening handshake (client)", "handshakes/s", "B/handshake", null,
                    "Build the upgrade request (fresh key), parse the 101 response, validate it "
                            + "(SHA-1 of the key). Tether only: the other stacks do this inside their I/O."),
            new Group("deflate", "DeflateBench", "permessage-deflate", "MB/s", "B/message", null,
                    "One JSON-like text message with context takeover; MB/s of uncompressed text. The JDK "
                            + "entry is java.util.zip used directly with reused arrays: the floor for any "
                            + "stack built on it."));

    static final Map<String, String> STACK_NAMES = Map.ofEntries(
            Map.entry("tether", "Tether"),
            Map.entry("tetherVector", "Tether + Vector API"),
            Map.entry("tetherwindow9", "Tether, 9-bit window"),
            Map.entry("arraycopy", "System.arraycopy"),
            Map.entry("netty", "Netty 4.2"),
            Map.entry("okhttp", "OkHttp 5"),
            Map.entry("javaWebSocket", "Java-WebSocket 1.6"),
            Map.entry("jetty", "Jetty 12.1"),
            Map.entry("jdkDecoder", "JDK CharsetDecoder"),
            Map.entry("guava", "Guava Utf8"),
            Map.entry("jdk", "JDK zip"));

    /** JMH's result files: a list of runs, each an object of nested objects, lists and numbers. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: ReportGenerator RESULTS_DIR DOCS_DIR COMMAND [NOTES.md]");
            System.exit(2);
        }
        Path results = Path.of(args[0]);
        Path docs = Path.of(args[1]);
        Files.createDirectories(docs);
        String notes = args.length > 3 && Files.exists(Path.of(args[3])) ? Files.readString(Path.of(args[3])) : "";
        // Beside NOTES.md, notes/GROUP.md is printed under that group's table (figures taken
        // outside run.sh, such as before-and-after runs of two jars), and notes/GROUP-targets.md
        // stands in for that group's generated Targets lines until run.sh runs the group again
        // (it deletes the file then).
        Path groupNotes = args.length > 3 ? Path.of(args[3]).toAbsolutePath().resolveSibling("notes") : null;

        StringBuilder md = new StringBuilder();
        md.append("# Tether benchmarks\n\n");
        md.append("Generated by `ws-bench` from JMH results; do not edit by hand (edit `ws-bench/NOTES.md`).\n\n");
        md.append("- Last command: `").append(args[2]).append("`; each group keeps its latest run: ")
                .append(runDates(results)).append('\n');
        md.append("- Machine: ").append(machine()).append('\n');
        Map<String, Object> any = null;
        StringBuilder body = new StringBuilder();
        StringBuilder targets = new StringBuilder();
        for (Group g : GROUPS) {
            Path json = results.resolve("jmh-" + g.id + ".json");
            body.append("\n## ").append(g.title).append(" (`").append(g.id).append("`)\n\n");
            if (!Files.exists(json)) {
                body.append("Not run in this report (`ws-bench/run.sh ").append(g.id).append("`).\n");
                continue;
            }
            @SuppressWarnings("unchecked")
            List<Object> runs = JSON.readValue(json.toFile(), List.class);
            List<Figure> figures = new ArrayList<>();
            for (Object o : runs) {
                @SuppressWarnings("unchecked")
                Map<String, Object> run = (Map<String, Object>) o;
                if (any == null) {
                    any = run;
                }
                figures.add(figure(g, run));
            }
            body.append(g.what).append("\n\n");
            table(g, figures, body);
            Path extra = groupNotes == null ? null : groupNotes.resolve(g.id + ".md");
            if (extra != null && Files.exists(extra)) {
                body.append('\n').append(Files.readString(extra).strip()).append('\n');
            }
            String svg = "bench-" + g.id + ".svg";
            Files.writeString(docs.resolve(svg), Svg.chart(g.title + " (" + g.unit + ", higher is better)",
                    figures, STACK_NAMES));
            body.append("\n![").append(g.title).append("](").append(svg).append(")\n");
            Path override = groupNotes == null ? null : groupNotes.resolve(g.id + "-targets.md");
            if (override != null && Files.exists(override)) {
                targets.append(Files.readString(override).strip()).append('\n');
            } else {
                targets(g, figures, targets);
            }
        }
        if (any != null) {
            md.append("- JDK: ").append(any.get("vmName")).append(' ').append(any.get("vmVersion"))
                    .append(" (").append(any.get("jdkVersion")).append("), JVM args ")
                    .append(any.get("jvmArgs")).append('\n');
            md.append("- JMH: ").append(fmtNum(any.get("forks"))).append(" fork, warm-up ")
                    .append(fmtNum(any.get("warmupIterations"))).append(" x ").append(any.get("warmupTime"))
                    .append(", measurement ").append(fmtNum(any.get("measurementIterations"))).append(" x ")
                    .append(any.get("measurementTime"))
                    .append("; each figure is the median of the measurement iterations; allocation from `-prof gc` "
                            + "(`gc.alloc.rate.norm`).\n");
        }
        md.append("- Ratio: Tether / the best other stack in the same row (above 1: Tether is faster).\n");
        String e2e = EndToEndReport.section(results, docs, targets);
        md.append("\n## Targets\n\n").append(targets.isEmpty() ? "No group run.\n" : targets);
        md.append(body);
        md.append("\n## End to end\n\n").append(e2e);
        if (!notes.isBlank()) {
            md.append('\n').append(notes.strip()).append('\n');
        }
        Files.writeString(docs.resolve("BENCHMARKS.md"), md.toString());
        System.out.println("wrote " + docs.resolve("BENCHMARKS.md"));
    }

    static Figure figure(Group g, Map<String, Object> run) {
        String bench = (String) run.get("benchmark");
        String method = bench.substring(bench.lastIndexOf('.') + 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> params = run.get("params") == null ? Map.of() : (Map<String, Object>) run.get("params");
        @SuppressWarnings("unchecked")
        Map<String, Object> primary = (Map<String, Object>) run.get("primaryMetric");
        double opsPerSec = median(primary);
        double bytesPerOp = Double.NaN;
        @SuppressWarnings("unchecked")
        Map<String, Object> secondary = (Map<String, Object>) run.get("secondaryMetrics");
        if (secondary != null && secondary.get("gc.alloc.rate.norm") instanceof Map<?, ?> norm) {
            @SuppressWarnings("unchecked")
            Map<String, Object> n = (Map<String, Object>) norm;
            bytesPerOp = median(n);
        }
        return switch (g.id) {
            case "mask" -> new Figure(size(param(params, "size")), method, opsPerSec, bytesPerOp);
            case "parse" -> {
                int size = param(params, "size");
                int count = ParseBench.frameCount(size);
                yield new Figure(String.format(Locale.ROOT, "%,d x %s", count, size(size)), method,
                        opsPerSec * count, bytesPerOp / count);
            }
            case "deliver" -> {
                String message = String.valueOf(params.get("message"));
                int count = ParseDeliverBench.messageCount(message);
                yield new Figure(ParseDeliverBench.rowName(message), method, opsPerSec * count, bytesPerOp / count);
            }
            case "utf8" -> {
                int length = param(params, "length");
                yield new Figure(params.get("text") + " " + size(length), method, opsPerSec * length / 1e6, bytesPerOp);
            }
            case "deflate" -> {
                int length = param(params, "length");
                String op = method.startsWith("deflate") ? "deflate" : "inflate";
                String stack = method.substring(op.length()).toLowerCase(Locale.ROOT);
                yield new Figure(op + " " + size(length), stack, opsPerSec * length / 1e6, bytesPerOp);
            }
            default -> new Figure("client handshake", method, opsPerSec, bytesPerOp);
        };
    }

    private static int param(Map<String, Object> params, String name) {
        return Integer.parseInt(String.valueOf(params.get(name)));
    }

    /** Median of the raw iteration scores (all forks), or the JMH score without raw data. */
    static double median(Map<String, Object> metric) {
        List<Double> all = new ArrayList<>();
        if (metric.get("rawData") instanceof List<?> forks) {
            for (Object f : forks) {
                for (Object v : (List<?>) f) {
                    all.add(((Number) v).doubleValue());
                }
            }
        }
        if (all.isEmpty()) {
            return ((Number) metric.get("score")).doubleValue();
        }
        all.sort(null);
        int n = all.size();
        return n % 2 == 1 ? all.get(n / 2) : (all.get(n / 2 - 1) + all.get(n / 2)) / 2;
    }

    static String size(int bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }

    static Set<String> rows(List<Figure> figures) {
        Set<String> rows = new LinkedHashSet<>();
        figures.forEach(f -> rows.add(f.row));
        return rows;
    }

    static List<String> stacks(List<Figure> figures) {
        Set<String> stacks = new LinkedHashSet<>();
        figures.stream().filter(f -> f.stack.startsWith("tether")).forEach(f -> stacks.add(f.stack));
        figures.forEach(f -> stacks.add(f.stack));
        return new ArrayList<>(stacks);
    }

    static Map<String, Figure> row(List<Figure> figures, String row) {
        Map<String, Figure> m = new LinkedHashMap<>();
        figures.stream().filter(f -> f.row.equals(row)).forEach(f -> m.put(f.stack, f));
        return m;
    }

    /** The fastest stack in the row other than Tether (in any variant) and the ceiling, or null. */
    static Figure bestOther(Group g, Map<String, Figure> row) {
        Figure best = null;
        for (Figure f : row.values()) {
            if (f.stack.startsWith("tether") || f.stack.equals(g.ceiling)) {
                continue;
            }
            if (best == null || f.value > best.value) {
                best = f;
            }
        }
        return best;
    }

    private static void table(Group g, List<Figure> figures, StringBuilder out) {
        List<String> stacks = stacks(figures);
        // One ratio column per variant of Tether (the optional Vector API kernel has its own).
        List<String> tethers = stacks.stream().filter(s -> s.startsWith("tether")).toList();
        out.append("| ").append(g.unit).append(" |");
        stacks.forEach(s -> out.append(' ').append(STACK_NAMES.getOrDefault(s, s)).append(" |"));
        tethers.forEach(s -> out.append(' ').append(STACK_NAMES.getOrDefault(s, s)).append(" / best other |"));
        if (g.ceiling != null) {
            out.append(" Tether / ").append(STACK_NAMES.get(g.ceiling)).append(" |");
        }
        out.append("\n|---|");
        stacks.forEach(s -> out.append("---:|"));
        tethers.forEach(s -> out.append("---:|"));
        out.append(g.ceiling != null ? "---:|" : "").append('\n');
        for (String r : rows(figures)) {
            Map<String, Figure> row = row(figures, r);
            out.append("| ").append(r).append(" |");
            for (String s : stacks) {
                Figure f = row.get(s);
                out.append(' ').append(f == null ? "-" : fmt(f.value)).append(" |");
            }
            Figure best = bestOther(g, row);
            for (String s : tethers) {
                Figure t = row.get(s);
                out.append(' ').append(t == null || best == null ? "-"
                        : String.format(Locale.ROOT, "**%.2f** (%s)", t.value / best.value,
                                STACK_NAMES.getOrDefault(best.stack, best.stack))).append(" |");
            }
            if (g.ceiling != null) {
                Figure t = row.get("tether");
                Figure c = row.get(g.ceiling);
                out.append(' ').append(t == null || c == null ? "-"
                        : String.format(Locale.ROOT, "%.2f", t.value / c.value)).append(" |");
            }
            out.append('\n');
        }
        out.append("\nAllocation, ").append(g.bytesPer).append(" (`-prof gc`):\n\n| ").append(g.bytesPer).append(" |");
        stacks.forEach(s -> out.append(' ').append(STACK_NAMES.getOrDefault(s, s)).append(" |"));
        out.append("\n|---|");
        stacks.forEach(s -> out.append("---:|"));
        out.append('\n');
        for (String r : rows(figures)) {
            Map<String, Figure> row = row(figures, r);
            out.append("| ").append(r).append(" |");
            for (String s : stacks) {
                Figure f = row.get(s);
                out.append(' ').append(f == null ? "-" : fmtBytes(f.bytes)).append(" |");
            }
            out.append('\n');
        }
    }

    private static void targets(Group g, List<Figure> figures, StringBuilder out) {
        switch (g.id) {
            case "mask" -> {
                for (String size : List.of("64 KiB", "1 MiB")) {
                    Map<String, Figure> r = row(figures, size);
                    if (r.containsKey("tether") && r.containsKey("arraycopy")) {
                        double ratio = r.get("tether").value / r.get("arraycopy").value;
                        out.append(check(ratio >= 0.7, String.format(Locale.ROOT,
                                "Masking %s within 0.7 of System.arraycopy: %.2f", size, ratio)));
                    }
                }
                Figure small = row(figures, "16 B").get("tether");
                if (small != null) {
                    // Issue 15: a fresh ChaCha20 key per frame included (RFC 6455 section 10.3).
                    out.append(check(small.value >= 60e6, String.format(Locale.ROOT,
                            "Masking 16 B frames at 60 M frames/s or more, a fresh key each: %.1f M", small.value / 1e6)));
                }
                zeroAlloc(g, figures, out);
            }
            case "parse" -> {
                for (String r : rows(figures)) {
                    if (!(r.endsWith(" 16 B") || r.endsWith(" 125 B"))) {
                        continue;
                    }
                    Map<String, Figure> row = row(figures, r);
                    Figure t = row.get("tether");
                    Figure best = bestOther(g, row);
                    if (t != null && best != null) {
                        double ratio = t.value / best.value;
                        out.append(check(ratio >= 2, String.format(Locale.ROOT,
                                "Parsing %s frames at least 2x the fastest other stack: %.2fx %s", r, ratio,
                                STACK_NAMES.getOrDefault(best.stack, best.stack))));
                    }
                }
                zeroAlloc(g, figures, out);
            }
            case "utf8" -> {
                // Issue 15: the JDK decoder on ASCII (its vectorised intrinsic), 2x Guava on
                // Chinese and emoji for the scalar kernel, 4x Guava on Chinese with the Vector API.
                utf8Target(figures, "ascii", "tether", "jdkDecoder", 1.0, out);
                utf8Target(figures, "chinese", "tether", "guava", 2.0, out);
                utf8Target(figures, "emoji", "tether", "guava", 2.0, out);
                utf8Target(figures, "chinese", "tetherVector", "guava", 4.0, out);
                zeroAlloc(g, figures, out);
            }
            case "deliver" -> {
                for (String r : rows(figures)) {
                    Map<String, Figure> row = row(figures, r);
                    Figure t = row.get("tether");
                    Figure best = bestOther(g, row);
                    if (t != null && best != null) {
                        double ratio = t.value / best.value;
                        out.append(check(ratio >= 2, String.format(Locale.ROOT,
                                "Parsing and delivering %s messages at least 2x the fastest other stack: %.2fx %s",
                                r, ratio, STACK_NAMES.getOrDefault(best.stack, best.stack))));
                    }
                }
                zeroAlloc(g, figures, out);
            }
            default -> {
            }
        }
    }

    /** One line per size of {@code text}: {@code stack} at least {@code goal} times {@code other}. */
    private static void utf8Target(List<Figure> figures, String text, String stack, String other, double goal,
            StringBuilder out) {
        for (String r : rows(figures)) {
            if (!r.startsWith(text + " ")) {
                continue;
            }
            Map<String, Figure> row = row(figures, r);
            Figure t = row.get(stack);
            Figure o = row.get(other);
            if (t != null && o != null) {
                double ratio = t.value / o.value;
                out.append(check(ratio >= goal, String.format(Locale.ROOT,
                        "UTF-8 %s, %s at least %.0fx %s: %.2fx", r, STACK_NAMES.get(stack), goal,
                        STACK_NAMES.get(other), ratio)));
            }
        }
    }

    private static void zeroAlloc(Group g, List<Figure> figures, StringBuilder out) {
        double worst = figures.stream().filter(f -> f.stack.startsWith("tether")).mapToDouble(Figure::bytes).max()
                .orElse(Double.NaN);
        // -prof gc reads thread allocation counters at iteration edges: a fraction of a byte per
        // operation is the harness itself, not the code under test.
        String per = g.bytesPer.substring(g.bytesPer.indexOf('/') + 1);
        out.append(check(worst < 1, String.format(Locale.ROOT, "0 bytes allocated per %s in %s (Tether, worst row): %s",
                per, g.id, fmtBytes(worst))));
    }

    static String check(boolean ok, String text) {
        return "- " + (ok ? "met" : "**missed**") + ": " + text + "\n";
    }

    static final Map<String, String> CLIENT_NAMES = Map.ofEntries(
            Map.entry("tether-blocking", "Tether (blocking)"),
            Map.entry("tether-nio", "Tether (nio)"),
            Map.entry("tether-nio-queued", "Tether (nio, queued handlers)"),
            Map.entry("jdk", "JDK java.net.http"),
            Map.entry("okhttp", "OkHttp 5"),
            Map.entry("java-websocket", "Java-WebSocket 1.6"),
            Map.entry("jetty", "Jetty 12.1"),
            Map.entry("netty", "Netty 4.2"));

    /** When each group's results were written, e.g. "mask 2026-11-27 03:08 UTC". */
    private static String runDates(Path results) throws IOException {
        List<String> dates = new ArrayList<>();
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
        for (Group g : GROUPS) {
            Path json = results.resolve("jmh-" + g.id + ".json");
            if (Files.exists(json)) {
                dates.add(g.id + " " + format.format(Files.getLastModifiedTime(json).toInstant()));
            }
        }
        for (String end : new String[] {"e2e", "e2e-alloc", "scale"}) {
            Path tsv = results.resolve(end + ".tsv");
            if (Files.exists(tsv)) {
                dates.add(end + " " + format.format(Files.getLastModifiedTime(tsv).toInstant()));
            }
        }
        return dates.isEmpty() ? "none" : String.join(", ", dates);
    }

    static String machine() {
        String model = "unknown CPU";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            model = lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(model);
        } catch (IOException | RuntimeException e) {
            // not Linux: keep "unknown CPU"
        }
        return String.format(Locale.ROOT, "%s, %d CPUs available (nproc), %s %s %s, %d MiB max heap in the runner",
                model, Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("os.arch"),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    static String fmt(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", v / 1e6);
        }
        if (v >= 1e4) {
            return String.format(Locale.ROOT, "%.1f k", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String fmtBytes(double b) {
        if (Double.isNaN(b)) {
            return "n/a";
        }
        if (b < 0.5) {
            return "0";
        }
        return b >= 100 ? String.format(Locale.ROOT, "%,.0f", b) : String.format(Locale.ROOT, "%.1f", b);
    }

    private static String fmtNum(Object o) {
        return o instanceof Number n ? String.valueOf(n.intValue()) : String.valueOf(o);
    }
}
