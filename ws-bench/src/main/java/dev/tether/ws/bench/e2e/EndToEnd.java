package dev.tether.ws.bench.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end-to-end run: one Netty echo server in its own process on loopback, and each client
 * stack in this process, one after the other, on one connection each:
 *
 * <ul>
 *   <li>{@code rtt}: sequential round trips of 64-byte binary messages (send, await the echo):
 *       round trips per second, p50 and p99 latency;</li>
 *   <li>{@code pipelined}: 64-byte messages with up to {@value #WINDOW} in flight: echoes per
 *       second;</li>
 *   <li>{@code large}: 1 MiB messages, up to 4 in flight: MB/s echoed.</li>
 * </ul>
 *
 * Each client connects and warms up first; then {@value #REPEATS} rounds measure every client in
 * turn (so a disturbance on the machine spreads over all of them); the report takes the median.
 * Writes one tab-separated line per client, measurement and repeat.
 *
 * <pre>java -cp ws-bench/target/benchmarks.jar dev.tether.ws.bench.e2e.EndToEnd OUT.tsv [client-name ...]</pre>
 */
public final class EndToEnd {
    static final int REPEATS = 3;
    static final int WINDOW = 128;
    private static final int SMALL = 64;
    private static final int RTT_COUNT = 10_000;
    private static final int PIPELINED_COUNT = 100_000;
    private static final int LARGE = 1 << 20;
    private static final int LARGE_COUNT = 64;

    private EndToEnd() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "e2e.tsv");
        List<String> only = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of();
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), EchoServerMain.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new ArrayList<>();
        lines.add("client\tmeasure\trepeat\tvalue\tp50_us\tp99_us");
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream()));
            Matcher m = Pattern.compile("port (\\d+)").matcher(String.valueOf(r.readLine()));
            if (!m.matches()) {
                throw new IllegalStateException("the echo server did not report its port");
            }
            URI uri = URI.create("ws://127.0.0.1:" + m.group(1) + "/echo");
            // Every client connects and warms up first; then the repeats go round all clients in
            // turn, so that any disturbance on the machine spreads over all of them.
            List<Client> clients = new ArrayList<>();
            for (Supplier<Client> make : Clients.all()) {
                Client c = make.get();
                if (!only.isEmpty() && !only.contains(c.name())) {
                    continue;
                }
                System.out.println("== " + c.name());
                try {
                    c.connect(uri);
                    warmUp(c);
                    clients.add(c);
                } catch (Exception | Error e) {
                    System.out.println(c.name() + " failed: " + e);
                    e.printStackTrace(System.out);
                    lines.add(c.name() + "\tfailed\t0\t0\t0\t0");
                }
            }
            for (int rep = 1; rep <= REPEATS; rep++) {
                for (Client c : clients) {
                    measure(c, rep, lines);
                }
            }
            for (Client c : clients) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.out.println(c.name() + ": close failed: " + e);
                }
            }
        } finally {
            server.getOutputStream().close();
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
        Files.write(out, lines);
        System.out.println("wrote " + out);
    }

    private static final byte[] SMALL_MSG = new byte[SMALL];
    private static final byte[] LARGE_MSG = new byte[LARGE];

    static {
        ThreadLocalRandom.current().nextBytes(SMALL_MSG);
        ThreadLocalRandom.current().nextBytes(LARGE_MSG);
    }

    /** Every code path, enough for the JIT. */
    private static void warmUp(Client c) throws Exception {
        rtt(c, SMALL_MSG, 5_000);
        pipelined(c, SMALL_MSG, 20_000);
        pipelined(c, LARGE_MSG, 16, 4);
    }

    private static void measure(Client c, int rep, List<String> lines) throws Exception {
        long[] lat = rtt(c, SMALL_MSG, RTT_COUNT);
        long total = Arrays.stream(lat).sum();
        Arrays.sort(lat);
        add(lines, c, "rtt", rep, RTT_COUNT / (total / 1e9),
                lat[lat.length / 2] / 1e3, lat[(int) (lat.length * 0.99)] / 1e3);
        double secs = pipelined(c, SMALL_MSG, PIPELINED_COUNT);
        add(lines, c, "pipelined", rep, PIPELINED_COUNT / secs, 0, 0);
        secs = pipelined(c, LARGE_MSG, LARGE_COUNT, 4);
        add(lines, c, "large", rep, (double) LARGE * LARGE_COUNT / secs / 1e6, 0, 0);
    }

    private static void add(List<String> lines, Client c, String measure, int rep, double value, double p50, double p99) {
        String line = String.format(Locale.ROOT, "%s\t%s\t%d\t%.1f\t%.1f\t%.1f", c.name(), measure, rep, value, p50, p99);
        System.out.println(line);
        lines.add(line);
    }

    private static long[] rtt(Client c, byte[] msg, int n) throws Exception {
        long[] lat = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            c.send(msg);
            await(c, 1);
            lat[i] = System.nanoTime() - t0;
        }
        return lat;
    }

    private static double pipelined(Client c, byte[] msg, int n) throws Exception {
        return pipelined(c, msg, n, WINDOW);
    }

    /** Sends n messages keeping at most {@code window} unanswered; seconds until the last echo. */
    private static double pipelined(Client c, byte[] msg, int n, int window) throws Exception {
        long t0 = System.nanoTime();
        int received = 0;
        for (int i = 0; i < n; i++) {
            if (i - received >= window) {
                await(c, 1);
                received++;
            }
            c.send(msg);
        }
        await(c, n - received);
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void await(Client c, int n) throws InterruptedException {
        if (!c.replies.tryAcquire(n, 30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(c.name() + ": echo not received within 30 s");
        }
    }
}
