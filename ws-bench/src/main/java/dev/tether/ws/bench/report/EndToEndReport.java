package dev.tether.ws.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The end-to-end section from {@code e2e.tsv} ({@code EndToEnd}'s output: one line per client,
 * measure and repeat, {@code client measure repeat value p50_us p99_us note}): one table per
 * group of rows, every cell the median of the repeats with their min–max, a lead/tie/loss
 * verdict per row, and the targets: on the NIO transport each row at least 1.2x the best other
 * client (latency: p99 no worse than the best other's), the blocking transport within 0.9 of NIO.
 */
final class EndToEndReport {
    private static final String NIO = "tether-nio";
    private static final String BLOCKING = "tether-blocking";
    /** The NIO transport's target against the best other client, for rates and costs. */
    private static final double AHEAD = 1.2;
    /** The blocking transport's target against NIO. */
    private static final double BLOCKING_OF_NIO = 0.9;

    /** What a row's figure is held to. */
    enum Goal {
        /** A rate or a cost: NIO 1.2x the best other; blocking 0.9 of NIO. */
        AHEAD,
        /** A p99 latency: NIO no worse than the best other; blocking 0.9 of NIO. */
        NO_WORSE,
        /** Fan-in delivery: NIO delivers 0.99 of what the server offers (all stacks can at most). */
        DELIVER_ALL,
        /** Shown, no target (p50 latencies). */
        NONE
    }

    /**
     * One row: a figure of a measure.
     *
     * @param index 0 the value, 1 the p50 column, 2 the p99 column
     */
    record Metric(String label, String measure, int index, boolean higherIsBetter, Goal goal) {
    }

    record Table(String title, String what, List<Metric> metrics) {
        boolean measureOf(String measure) {
            return metrics.stream().anyMatch(m -> m.measure().equals(measure));
        }
    }

    private static Metric rate(String label, String measure) {
        return new Metric(label, measure, 0, true, Goal.AHEAD);
    }

    private static Metric p50(String label, String measure) {
        return new Metric(label, measure, 1, false, Goal.NONE);
    }

    private static Metric p99(String label, String measure) {
        return new Metric(label, measure, 2, false, Goal.NO_WORSE);
    }

    static final List<Table> TABLES = List.of(
            new Table("Round trips, 64 B binary", "Sequential: send one message, await its echo.", List.of(
                    rate("round trips/s", "rtt"), p50("p50 latency, µs", "rtt"), p99("p99 latency, µs", "rtt"))),
            new Table("Pipelined 64 B binary", "Messages per second echoed, with at most W unanswered.", List.of(
                    rate("W = 16, msgs/s", "pipe_w16"), rate("W = 128, msgs/s", "pipe_w128"),
                    rate("W = 1,024, msgs/s", "pipe_w1024"))),
            new Table("1 MiB binary", "MB/s echoed, with at most W messages unanswered.", List.of(
                    rate("W = 1, MB/s", "large_w1"), rate("W = 4, MB/s", "large_w4"),
                    rate("W = 8, MB/s", "large_w8"), rate("W = 32, MB/s", "large_w32"))),
            new Table("Text, 256 B JSON-like", "Valid UTF-8 with a few non-ASCII characters (`€`, `é`), "
                    + "64 variants sent in turn; every stack hands the application a String.", List.of(
                    rate("round trips/s", "text_rtt"), p50("p50 latency, µs", "text_rtt"),
                    p99("p99 latency, µs", "text_rtt"), rate("W = 128, msgs/s", "text_w128"))),
            new Table("wss (TLS 1.3)", "The binary rows again over TLS.", List.of(
                    rate("64 B round trips/s", "wss_rtt"), p50("64 B p50 latency, µs", "wss_rtt"),
                    p99("64 B p99 latency, µs", "wss_rtt"), rate("64 B, W = 128, msgs/s", "wss_w128"),
                    rate("1 MiB, W = 4, MB/s", "wss_large_w4"))),
            new Table("permessage-deflate", "1 KiB JSON-like text (64 variants in turn), compressed both "
                    + "ways, to the server's deflate port.", List.of(
                    rate("1 KiB, W = 128, msgs/s", "deflate_w128"))),
            new Table("Allocation", "Bytes allocated on the heap of the client's JVM, all its threads together "
                    + "(`com.sun.management.ThreadMXBean.getTotalThreadAllocatedMemory`), over the 64 B round trips "
                    + "of one measurement, divided by their number; the server is in its own process. The runner's "
                    + "own wait for each echo (a `Semaphore`) is in every client's figure alike; the other stacks' "
                    + "connections are idle meanwhile.", List.of(
                    new Metric("client bytes allocated per 64 B round trip", "alloc_rtt", 0, false, Goal.AHEAD))),
            new Table("Client CPU", "CPU time of the client's process (`com.sun.management.OperatingSystemMXBean."
                    + "getProcessCpuTime`), all its threads together, over one measurement, divided by its messages: "
                    + "what the client spends on each, where the rates above also count the time both sides wait to "
                    + "be woken, and the server's share of the machine's two cores. The server is in its own process; "
                    + "the runner's own wait for each echo is in every client's figure alike. On Linux that time "
                    + "comes in clock ticks (10 ms): divided over the messages of one measurement, a tick is the "
                    + "figures' step (3.3 µs at 3,000 round trips; 65 µs at 154 messages of 1 MiB). No target: shown "
                    + "beside the rates it explains.", List.of(
                    new Metric("CPU µs per 64 B round trip", "cpu_rtt", 0, false, Goal.NONE),
                    new Metric("CPU µs per 64 B message, W = 128", "cpu_w128", 0, false, Goal.NONE),
                    new Metric("CPU µs per 1 MiB message, W = 4", "cpu_large_w4", 0, false, Goal.NONE),
                    new Metric("CPU µs per 256 B text message, W = 128", "cpu_text_w128", 0, false, Goal.NONE),
                    new Metric("CPU µs per 64 B wss message, W = 128", "cpu_wss_w128", 0, false, Goal.NONE),
                    new Metric("CPU µs per 1 KiB deflated message, W = 128", "cpu_deflate_w128", 0, false,
                            Goal.NONE))),
            new Table("Fan-in", null, List.of(
                    new Metric("messages/s delivered", "fanin", 0, true, Goal.DELIVER_ALL),
                    new Metric("client CPU s per million messages", "fanin_cpu", 0, false, Goal.AHEAD),
                    p50("p50 delivery delay, µs", "fanin"), p99("p99 delivery delay, µs", "fanin"))));

    /** The allocation row's own run ({@code run.sh alloc}), which {@code run.sh e2e} deletes. */
    static final String ALLOC_TSV = "e2e-alloc.tsv";

    private EndToEndReport() {
    }

    /** Everything e2e.tsv holds. */
    private record Data(Map<String, Map<String, List<double[]>>> values, Map<String, Map<String, String>> notes,
                        List<String> clients, Map<String, String> settings, Map<String, String> counts, int repeats) {
        Spread spread(String client, Metric m) {
            List<double[]> reps = values.getOrDefault(client, Map.of()).get(m.measure());
            return reps == null ? null : Spread.of(reps.stream().map(r -> r[m.index()]).toList());
        }

        String note(String client, String measure) {
            return notes.getOrDefault(client, Map.of()).get(measure);
        }
    }

    /**
     * e2e.tsv, with the lines of {@code e2e-alloc.tsv} ({@code run.sh alloc}: the allocation row
     * alone) in place of its own for the measures that file has, when it exists.
     */
    private static Data read(Path results) throws IOException {
        Path tsv = results.resolve("e2e.tsv");
        Path alloc = results.resolve(ALLOC_TSV);
        Data d = Files.exists(tsv) ? read1(tsv) : null;
        if (!Files.exists(alloc)) {
            return d;
        }
        Data a = read1(alloc);
        if (d == null) {
            return a;
        }
        Set<String> measures = new LinkedHashSet<>();
        a.values().values().forEach(m -> measures.addAll(m.keySet()));
        a.notes().values().forEach(m -> measures.addAll(m.keySet()));
        d.values().values().forEach(m -> m.keySet().removeAll(measures));
        d.notes().values().forEach(m -> m.keySet().removeAll(measures));
        a.values().forEach((c, m) -> d.values().computeIfAbsent(c, k -> new LinkedHashMap<>()).putAll(m));
        a.notes().forEach((c, m) -> d.notes().computeIfAbsent(c, k -> new LinkedHashMap<>()).putAll(m));
        a.clients().stream().filter(c -> !d.clients().contains(c)).forEach(d.clients()::add);
        a.settings().forEach((k, v) -> d.settings().put("alloc_" + k, v));
        a.counts().forEach(d.counts()::putIfAbsent);
        return d;
    }

    private static Data read1(Path tsv) throws IOException {
        Map<String, Map<String, List<double[]>>> values = new LinkedHashMap<>();
        Map<String, Map<String, String>> notes = new LinkedHashMap<>();
        Set<String> clients = new LinkedHashSet<>();
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> counts = new LinkedHashMap<>();
        int repeats = 0;
        for (String line : Files.readAllLines(tsv)) {
            if (line.startsWith("# settings ")) {
                pairs(line.substring(11), settings);
                continue;
            }
            if (line.startsWith("# counts ")) {
                pairs(line.substring(9), counts);
                continue;
            }
            if (line.startsWith("#") || line.startsWith("client\t") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            clients.add(f[0]);
            repeats = Math.max(repeats, Integer.parseInt(f[2]));
            String note = f.length > 6 ? f[6].strip() : "";
            if (f[1].equals("failed")) {  // an older runner's line: the client failed to start
                notes.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put("*", "failed (see the run's log)");
                continue;
            }
            if (!note.isEmpty()) {
                notes.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).putIfAbsent(f[1], note);
                continue;
            }
            values.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).computeIfAbsent(f[1], k -> new ArrayList<>())
                    .add(new double[] {Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5])});
        }
        return new Data(values, notes, new ArrayList<>(clients), settings, counts, repeats);
    }

    private static void pairs(String text, Map<String, String> into) {
        for (String kv : text.trim().split(" ")) {
            String[] p = kv.split("=", 2);
            if (p.length == 2) {
                into.put(p[0], p[1]);
            }
        }
    }

    /** The section's text (the connection-scale part included); targets are appended to {@code targets}. */
    static String section(Path results, Path docs, StringBuilder targets) throws IOException {
        StringBuilder out = new StringBuilder();
        Data d = read(results);
        if (d == null) {
            out.append("Not run in this report (`ws-bench/run.sh e2e`).\n");
        } else {
            intro(d, out);
            Map<Spread.Verdict, Integer> tally = new EnumMap<>(Spread.Verdict.class);
            List<ReportGenerator.Figure> chart = new ArrayList<>();
            for (Table t : TABLES) {
                table(t, d, out, targets, tally, chart);
            }
            out.append(String.format(Locale.ROOT, "%nOver all rows with a verdict, the better Tether transport "
                            + "against the best other client: %d lead, %d tie, %d loss.%n",
                    tally.getOrDefault(Spread.Verdict.LEAD, 0), tally.getOrDefault(Spread.Verdict.TIE, 0),
                    tally.getOrDefault(Spread.Verdict.LOSS, 0)));
            Files.writeString(docs.resolve("bench-e2e.svg"), Svg.chart(
                    "End to end over loopback, medians (higher is better)", chart, ReportGenerator.CLIENT_NAMES));
            out.append("\n![End to end](bench-e2e.svg)\n");
        }
        out.append(ScaleReport.section(results, docs, targets));
        return out.toString();
    }

    private static void intro(Data d, StringBuilder out) {
        String repeats = d.settings().getOrDefault("repeats", Integer.toString(d.repeats()));
        out.append("""
                One Netty 4.2 server (ws-bench's `BenchServer`: the pipeline of ws-testkit's echo server, two \
                worker threads) in its own process on 127.0.0.1, with three ports: plain, TLS 1.3, and \
                permessage-deflate (Netty's `WebSocketServerCompressionHandler`). Every client stack runs in the \
                runner's process, one connection per port it uses, each stack used as its documentation shows \
                (`ws-bench/src/main/java/dev/tether/ws/bench/e2e/*Stack.java`).

                """);
        out.append("- Hygiene: every connection is warmed up on all its rows first; then each repeat (")
                .append(repeats).append(" in this run) goes row by row and, within a row, through every client in turn ")
                .append("(A B C ... A B C ...), each measurement after a full GC. A cell is the median of the repeats ")
                .append("with their min–max.\n");
        out.append("- Verdict: the better Tether transport (by median) against the best other client (by median): ")
                .append("**lead** when Tether's worst repeat beats the other's best repeat, **loss** when Tether's ")
                .append("best repeat is behind the other's worst, otherwise tie. The ratio is of medians, above 1 ")
                .append("when Tether is ahead (Tether / other for rates, other / Tether for latencies and costs).\n");
        out.append("- wss: TLS 1.3 with the JDK's default provider on both sides. The server's certificate is ")
                .append("self-signed, made at start; every client trusts exactly it and checks the host name: Tether ")
                .append("through `TlsOptions.caCert(pem)`, the others through one `SSLContext` built from it, given ")
                .append("as each stack takes one (`HttpClient.Builder.sslContext`, OkHttp's `sslSocketFactory`, ")
                .append("Java-WebSocket's `setSocketFactory`, Jetty's `SslContextFactory.Client`, Netty's ")
                .append("`SslHandler`).\n");
        out.append("- permessage-deflate: Tether `compression(true)`; OkHttp offers it by itself (and compresses ")
                .append("from 1,024 B, its default); Jetty's `permessage-deflate` in the upgrade request; Netty's ")
                .append("`WebSocketClientCompressionHandler`: context takeover both ways. Java-WebSocket's ")
                .append("`PerMessageDeflateExtension` always asks for no context takeover; Netty's default server ")
                .append("would decline that offer, so the server grants `server_no_context_takeover` and its echoes ")
                .append("to Java-WebSocket are compressed each on its own. The JDK client has no compression. A ")
                .append("connect where the server did not agree to it counts as failed.\n");
        out.append("- OkHttp refuses a message that would take its send queue past 16 MiB and then closes the ")
                .append("connection; its client here waits on `queueSize()` for room, as its documentation leaves ")
                .append("to the caller (only the 1 MiB rows with 16 or more in flight ever wait).\n");
        if (!d.counts().isEmpty()) {
            List<String> c = new ArrayList<>();
            d.counts().forEach((k, v) -> c.add("`" + k + "` " + String.format(Locale.ROOT, "%,d", Long.parseLong(v))));
            out.append("- Messages per measurement: ").append(String.join(", ", c)).append(".");
            String min = d.settings().get("min_s");
            if (min != null && Double.parseDouble(min) > 0) {
                out.append(" A measurement with messages in flight sends past its count until it has lasted ")
                        .append(min).append(" s (rates and CPU per message count every message sent).");
            }
            out.append("\n");
        }
        if (d.settings().containsKey("fanin_n")) {
            Map<String, String> s = d.settings();
            out.append(String.format(Locale.ROOT, "- Fan-in: %s connections per stack (fewer only where noted), "
                            + "each stack in a fresh JVM (`-Xms1g -Xmx1g`) through its shared client object (as for "
                            + "connection scale); the server pushes each connection %s binary messages/s of %s B from "
                            + "a timer on its event loop, stamped with its `System.nanoTime()`; %s s of warm-up, then "
                            + "%s s measured. Delivered: messages/s reaching the handlers. CPU: the client process's "
                            + "CPU time over the measured seconds "
                            + "(`com.sun.management.OperatingSystemMXBean.getProcessCpuTime`) per million messages "
                            + "delivered. Delay: the client's `System.nanoTime()` in the handler minus the server's "
                            + "stamp. On Linux both JVMs' `nanoTime` read CLOCK_MONOTONIC, one clock for the whole "
                            + "machine, so stamps from the two processes compare; the delay covers the server's write, "
                            + "loopback, and the client stack up to the handler.%n",
                    s.get("fanin_n"), s.get("fanin_hz"), s.get("fanin_size"), s.get("fanin_warmup_s"),
                    s.get("fanin_s")));
        }
        if (d.settings().containsKey("alloc_repeats")) {
            out.append("- Allocation: measured in a run of its own (`ws-bench/run.sh alloc`, ")
                    .append(d.settings().get("alloc_repeats")).append(" repeats, ")
                    .append(d.counts().getOrDefault("alloc_rtt", "?")).append(" round trips each, interleaved ")
                    .append("as above), not in the run of the other rows.\n");
        }
        out.append("- Targets: on the NIO transport, each rate or cost at least 1.2x the best other client, each p99 ")
                .append("latency no worse than the best other's, fan-in delivering what the server offers; the ")
                .append("blocking transport within 0.9 of NIO.\n");
    }

    private static void table(Table t, Data d, StringBuilder out, StringBuilder targets,
                              Map<Spread.Verdict, Integer> tally, List<ReportGenerator.Figure> chart) {
        boolean any = t.metrics().stream().anyMatch(m -> d.clients().stream()
                .anyMatch(c -> d.spread(c, m) != null || d.note(c, m.measure()) != null));
        out.append("\n### ").append(t.title()).append("\n\n");
        if (!any) {
            out.append("Not in this run.\n");
            return;
        }
        if (t.what() != null) {
            out.append(t.what()).append("\n\n");
        }
        out.append("| |");
        d.clients().forEach(c -> out.append(' ').append(ReportGenerator.CLIENT_NAMES.getOrDefault(c, c)).append(" |"));
        out.append(" Tether vs best other |\n|---|");
        d.clients().forEach(c -> out.append("---:|"));
        out.append("---|\n");
        Map<String, String> notes = new LinkedHashMap<>();
        for (Metric m : t.metrics()) {
            out.append("| ").append(m.label()).append(" |");
            for (String c : d.clients()) {
                Spread s = d.spread(c, m);
                String note = d.note(c, m.measure());
                if (note == null) {
                    note = d.note(c, "*");
                }
                if (s != null) {
                    out.append(' ').append(s.cell(v -> format(m, v))).append(" |");
                } else if (note != null) {
                    String kind = note.startsWith("n/a") ? "n/a" : "failed";
                    notes.putIfAbsent(ReportGenerator.CLIENT_NAMES.getOrDefault(c, c) + ", " + m.measure(), note);
                    out.append(' ').append(kind).append(" |");
                } else {
                    out.append(" - |");
                }
                if (s != null && m.index() == 0 && m.higherIsBetter() && m.goal() == Goal.AHEAD) {
                    chart.add(new ReportGenerator.Figure(t.title() + ", " + m.label(), c, s.median(), Double.NaN));
                }
            }
            out.append(' ').append(verdict(t, m, d, targets, tally)).append(" |\n");
        }
        if (t.measureOf("fanin") && d.values().values().stream().anyMatch(v -> v.containsKey("fanin_offered"))) {
            out.append("\nOffered by the server, messages/s:");
            for (String c : d.clients()) {
                Spread s = d.spread(c, new Metric("", "fanin_offered", 0, true, Goal.NONE));
                Spread n = d.spread(c, new Metric("", "fanin_connections", 0, true, Goal.NONE));
                if (s != null) {
                    out.append(String.format(Locale.ROOT, " %s %s%s;", ReportGenerator.CLIENT_NAMES.getOrDefault(c, c),
                            ReportGenerator.fmt(s.median()), n == null || !d.settings().containsKey("fanin_n")
                                    || Math.round(n.median()) == Long.parseLong(d.settings().get("fanin_n")) ? ""
                                    : String.format(Locale.ROOT, " (%,d connections)", Math.round(n.median()))));
                }
            }
            out.setLength(out.length() - 1);
            out.append(".\n");
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach((where, note) -> out.append("- ").append(where).append(": ").append(note).append('\n'));
        }
    }

    /** The verdict cell of a row; adds its target line. */
    private static String verdict(Table t, Metric m, Data d, StringBuilder targets, Map<Spread.Verdict, Integer> tally) {
        String tether = null;
        String other = null;
        for (String c : d.clients()) {
            Spread s = d.spread(c, m);
            if (s == null) {
                continue;
            }
            if (c.startsWith("tether")) {
                if (tether == null || s.betterThan(d.spread(tether, m), m.higherIsBetter())) {
                    tether = c;
                }
            } else if (other == null || s.betterThan(d.spread(other, m), m.higherIsBetter())) {
                other = c;
            }
        }
        String row = "End to end, " + t.title() + ", " + m.label();
        target(row, m, d, other, targets);
        if (tether == null || other == null || m.goal() == Goal.DELIVER_ALL) {
            // Delivery is capped by what the server offers: every stack that keeps up ties.
            return m.goal() == Goal.DELIVER_ALL ? "see CPU and delay" : "-";
        }
        Spread ts = d.spread(tether, m);
        Spread os = d.spread(other, m);
        Spread.Verdict v = Spread.verdict(ts, os, m.higherIsBetter());
        tally.merge(v, 1, Integer::sum);
        return String.format(Locale.ROOT, "%s (%s %.2fx %s)", v.label(), tether.substring("tether-".length()),
                Spread.ratio(ts, os, m.higherIsBetter()), ReportGenerator.CLIENT_NAMES.getOrDefault(other, other));
    }

    /** The row's target line: NIO against the best other (or the offered rate), blocking against NIO. */
    private static void target(String row, Metric m, Data d, String other, StringBuilder targets) {
        Spread nio = d.spread(NIO, m);
        if (m.goal() == Goal.NONE || nio == null) {
            return;
        }
        List<String> parts = new ArrayList<>();
        boolean met = true;
        if (m.goal() == Goal.DELIVER_ALL) {
            Spread offered = d.spread(NIO, new Metric("", "fanin_offered", 0, true, Goal.NONE));
            if (offered != null) {
                double share = nio.median() / offered.median();
                met &= share >= 0.99;
                parts.add(String.format(Locale.ROOT, "nio delivers %.3f of the offered rate (target 0.99)", share));
            }
        } else if (other != null) {
            double ratio = Spread.ratio(nio, d.spread(other, m), m.higherIsBetter());
            double goal = m.goal() == Goal.AHEAD ? AHEAD : 1.0;
            met &= ratio >= goal;
            parts.add(String.format(Locale.ROOT, "nio %.2fx %s (target %.1fx)", ratio,
                    ReportGenerator.CLIENT_NAMES.getOrDefault(other, other), goal));
        }
        Spread blocking = d.spread(BLOCKING, m);
        if (blocking != null) {
            double ratio = Spread.ratio(blocking, nio, m.higherIsBetter());
            met &= ratio >= BLOCKING_OF_NIO;
            parts.add(String.format(Locale.ROOT, "blocking %.2f of nio (target %.1f)", ratio, BLOCKING_OF_NIO));
        }
        if (!parts.isEmpty()) {
            targets.append(ReportGenerator.check(met, row + ": " + String.join("; ", parts)));
        }
    }

    private static String format(Metric m, double v) {
        // CPU figures are a few units: two decimals show what one does not.
        boolean cpu = m.measure().equals("fanin_cpu") || m.measure().startsWith("cpu_");
        return cpu ? String.format(Locale.ROOT, "%.2f", v) : ReportGenerator.fmt(v);
    }
}
