package dev.tether.ws.bench.e2e;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The end-to-end run: one Netty server in its own process on loopback ({@link BenchServer}:
 * plain, TLS 1.3 and permessage-deflate ports), every client stack in this process with one
 * connection per link it needs, and the rows of {@link #ROWS}, each at its in-flight window
 * (0: sequential round trips, giving p50 and p99 latency too):
 *
 * <ul>
 *   <li>64 B binary: round trips, and pipelined with 16, 128 and 1,024 in flight;</li>
 *   <li>1 MiB binary with 1, 4, 8 and 32 in flight, MB/s echoed;</li>
 *   <li>256 B JSON-like text: round trips, and pipelined with 128 in flight;</li>
 *   <li>wss: 64 B round trips, 64 B with 128 in flight, 1 MiB with 4 in flight;</li>
 *   <li>permessage-deflate: 1 KiB JSON-like text with 128 in flight (stacks that have it);</li>
 *   <li>allocation: the bytes this JVM allocates per 64 B round trip, all threads together
 *       ({@link Allocation}); only the client under measurement is busy then, and the server is
 *       in its own process, so the figure is that client's (and the runner's own wait);</li>
 *   <li>client CPU: this process's CPU time per 64 B round trip, and per message with 64 B,
 *       256 B text, 64 B over wss and 1 KiB compressed, 128 in flight, and 1 MiB, 4 in flight,
 *       measured the same way: what the client spends, where the rates above also count the
 *       time everyone waits for the kernel to wake a thread (and the server's share of the
 *       machine's two cores);</li>
 *   <li>fan-in ({@link FanIn}): many connections per stack receiving pushed messages, each
 *       stack in a JVM of its own.</li>
 * </ul>
 *
 * Every connection is warmed up on all its rows first. Then each repeat goes row by row, and
 * within a row through every client in turn (A B C ... A B C ...), after a full GC, so that a
 * disturbance on the machine spreads over all clients rather than landing on one. Writes one
 * tab-separated line per client, row and repeat: {@code client measure repeat value p50_us
 * p99_us note}, the note saying why a cell has no figure ({@code failed: ...}, {@code n/a: ...});
 * lines starting with {@code #} describe the run. Sizes come from {@link Settings} (environment
 * variables); client names given as arguments override {@code E2E_CLIENTS}.
 *
 * <pre>java -cp ws-bench/target/benchmarks.jar dev.tether.ws.bench.e2e.EndToEnd OUT.tsv [client-name ...]</pre>
 */
public final class EndToEnd {
    static final String HEADER = "client\tmeasure\trepeat\tvalue\tp50_us\tp99_us\tnote";

    enum Link { PLAIN, TLS, DEFLATE }

    /** What a row measures. */
    enum Figure {
        /** Round trips, messages or MB per second (with p50 and p99 for round trips). */
        RATE,
        /** Bytes this JVM allocates per round trip ({@link Allocation}); sequential only. */
        ALLOCATED,
        /**
         * Microseconds of this process's CPU time per round trip or message
         * ({@code getProcessCpuTime}): the client's work, its waits not counted.
         */
        CPU
    }

    /**
     * One row of the report.
     *
     * @param window messages in flight at most; 0 for sequential round trips
     * @param count messages per measurement at {@code E2E_SCALE=1}
     */
    record Row(String id, Link link, Payloads payload, int window, int count, Figure figure) {
        Row(String id, Link link, Payloads payload, int window, int count) {
            this(id, link, payload, window, count, Figure.RATE);
        }

        /** The count after {@code E2E_SCALE}, at least enough to fill the window twice (1 MiB: once). */
        int scaled(Settings s) {
            return s.count(count, window == 0 ? 50 : payload == Payloads.BIN1M ? window + 4 : 2 * window + 20);
        }
    }

    static final List<Row> ROWS = List.of(
            new Row("rtt", Link.PLAIN, Payloads.BIN64, 0, 10_000),
            new Row("pipe_w16", Link.PLAIN, Payloads.BIN64, 16, 100_000),
            new Row("pipe_w128", Link.PLAIN, Payloads.BIN64, 128, 100_000),
            new Row("pipe_w1024", Link.PLAIN, Payloads.BIN64, 1024, 100_000),
            new Row("large_w1", Link.PLAIN, Payloads.BIN1M, 1, 128),
            new Row("large_w4", Link.PLAIN, Payloads.BIN1M, 4, 128),
            new Row("large_w8", Link.PLAIN, Payloads.BIN1M, 8, 128),
            new Row("large_w32", Link.PLAIN, Payloads.BIN1M, 32, 128),
            new Row("text_rtt", Link.PLAIN, Payloads.TEXT256, 0, 10_000),
            new Row("text_w128", Link.PLAIN, Payloads.TEXT256, 128, 100_000),
            new Row("wss_rtt", Link.TLS, Payloads.BIN64, 0, 10_000),
            new Row("wss_w128", Link.TLS, Payloads.BIN64, 128, 100_000),
            new Row("wss_large_w4", Link.TLS, Payloads.BIN1M, 4, 64),
            new Row("deflate_w128", Link.DEFLATE, Payloads.TEXT1K, 128, 20_000),
            new Row("alloc_rtt", Link.PLAIN, Payloads.BIN64, 0, 10_000, Figure.ALLOCATED),
            new Row("cpu_rtt", Link.PLAIN, Payloads.BIN64, 0, 10_000, Figure.CPU),
            new Row("cpu_w128", Link.PLAIN, Payloads.BIN64, 128, 100_000, Figure.CPU),
            // The rows whose rates the shared machine leaves as ties, by what the client spends:
            // 1 MiB with more messages than its rate row, as a clock tick is the figure's step.
            new Row("cpu_large_w4", Link.PLAIN, Payloads.BIN1M, 4, 512, Figure.CPU),
            new Row("cpu_text_w128", Link.PLAIN, Payloads.TEXT256, 128, 100_000, Figure.CPU),
            new Row("cpu_wss_w128", Link.TLS, Payloads.BIN64, 128, 100_000, Figure.CPU),
            new Row("cpu_deflate_w128", Link.DEFLATE, Payloads.TEXT1K, 128, 20_000, Figure.CPU));

    private EndToEnd() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "e2e.tsv");
        Settings s = Settings.fromEnv(System.getenv());
        if (args.length > 1) {
            s = new Settings(s.repeats(), s.scale(), s.minSeconds(), Arrays.asList(args).subList(1, args.length), s.rows(),
                    s.fanInConnections(), s.fanInSeconds(), s.fanInWarmup(), s.fanInHz(), s.fanInSize());
        }
        run(out, s);
    }

    /** The whole run, writing {@code out} after every repeat (a run cut short keeps what it had). */
    static void run(Path out, Settings s) throws Exception {
        List<Row> rows = ROWS.stream().filter(r -> s.selects(r.id())).toList();
        List<String> lines = new ArrayList<>();
        lines.add("# settings " + s.describe());
        lines.add("# counts " + rows.stream().map(r -> r.id() + "=" + r.scaled(s)).collect(Collectors.joining(" ")));
        lines.add(HEADER);
        try (EchoServerMain.Running server = EchoServerMain.start()) {
            Trust trust = Trust.fromPem(server.caPem());
            Map<Link, List<Lane>> lanes = new LinkedHashMap<>();
            for (Link link : Link.values()) {
                if (rows.stream().noneMatch(r -> r.link() == link)) {
                    continue;
                }
                URI uri = switch (link) {
                    case PLAIN -> server.uri("/echo");
                    case TLS -> server.tlsUri("/echo");
                    case DEFLATE -> server.deflateUri("/echo");
                };
                Client.Options options = switch (link) {
                    case PLAIN -> Client.Options.PLAIN;
                    case TLS -> Client.Options.tls(trust);
                    case DEFLATE -> Client.Options.DEFLATE;
                };
                List<Lane> onLink = new ArrayList<>();
                for (String stack : s.clients()) {
                    onLink.add(new Lane(stack, link, uri, options));
                }
                lanes.put(link, onLink);
            }
            try {
                for (List<Lane> onLink : lanes.values()) {
                    for (Lane lane : onLink) {
                        System.out.println("== " + lane.stack + " " + lane.link + ": connect, warm up");
                        lane.open();
                        for (Row row : rows) {
                            if (row.link() == lane.link) {
                                lane.warmUp(row, Math.max(row.scaled(s) / 4, Math.min(row.scaled(s), 2 * row.window() + 20)));
                            }
                        }
                    }
                }
                for (int rep = 1; rep <= s.repeats(); rep++) {
                    for (Row row : rows) {
                        for (Lane lane : lanes.get(row.link())) {
                            System.gc();  // every client starts with the same empty heap
                            String line = lane.measure(row, rep, row.scaled(s), s.minNanos());
                            System.out.println(line);
                            lines.add(line);
                        }
                    }
                    write(out, lines);
                }
            } finally {
                lanes.values().forEach(onLink -> onLink.forEach(Lane::close));
            }
            if (s.selects("fanin")) {
                FanIn.run(server, s, lines, () -> write(out, lines));
            }
        }
        write(out, lines);
        System.out.println("wrote " + out);
    }

    private static void write(Path out, List<String> lines) throws IOException {
        Files.write(out, lines);
    }
}
