package dev.tether.ws.bench.e2e;

import dev.tether.ws.testing.Footprint;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The connection-scale run of the end-to-end group: N idle connections per client stack to the
 * same Netty server ({@link EchoServerMain}, its own process), for each N of a list, each stack in
 * a fresh JVM of its own so that one stack's heap, threads and native memory cannot count against
 * another's:
 *
 * <ul>
 *   <li>{@code scale_open_s}: seconds to open all N (64 at a time);</li>
 *   <li>{@code scale_heap_b}: Java heap per open connection, after a full GC, over the heap of
 *       the warmed-up stack with no connection;</li>
 *   <li>{@code scale_rss_b}: native memory per connection: the growth of the resident set,
 *       the heap being resident from the start ({@code -XX:+AlwaysPreTouch}, a fixed 2 GiB), so
 *       that it counts thread stacks, direct buffers and the stack's own native allocations, not
 *       heap pages first touched by garbage;</li>
 *   <li>{@code scale_threads}: platform threads alive while all N are open;
 *       {@code scale_all_threads}: the same with virtual threads counted.</li>
 * </ul>
 *
 * Every stack shares what it shares between connections ({@link Clients#fleet}). One message is
 * echoed on every connection before the figures are taken, so they are for connections that have
 * carried traffic both ways (a client that makes mask keys or buffers lazily shows it here). The
 * heap figure includes the harness's own handle per connection (a {@link Client} and its
 * semaphore, about 100 B), the same for every stack.
 *
 * <pre>java -cp ws-bench/target/benchmarks.jar dev.tether.ws.bench.e2e.ConnectionScale OUT.tsv [N[,N...] [client-name ...]]</pre>
 *
 * N defaults to 1000,5000,10000; repeats to {@code SCALE_REPEATS}, else {@code E2E_REPEATS},
 * else 5, going round every size and stack in turn. Writes {@code OUT.tsv} in the format of
 * {@link EndToEnd}'s plus a last column, the N asked for; a stack that could not hold N
 * connections gets a {@code scale_failed} line with the reason.
 */
public final class ConnectionScale {
    private static final long CHILD_TIMEOUT_SECONDS = 600;

    private ConnectionScale() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            ChildJvm.report(() -> child(args[1], Integer.parseInt(args[2]), URI.create(args[3])));
            return;
        }
        Path out = Path.of(args.length > 0 ? args[0] : "scale.tsv");
        List<Integer> sizes = Arrays.stream((args.length > 1 ? args[1] : "1000,5000,10000").split(","))
                .map(String::strip).filter(v -> !v.isEmpty()).map(Integer::valueOf).toList();
        // Idle connections run no handler: the queued-handler variant would only repeat tether-nio.
        List<String> only = args.length > 2 ? Arrays.asList(args).subList(2, args.length)
                : Clients.NAMES.stream().filter(c -> !c.equals("tether-nio-queued")).toList();
        Map<String, String> env = System.getenv();
        run(out, sizes, only, Integer.parseInt(env.getOrDefault("SCALE_REPEATS", env.getOrDefault("E2E_REPEATS", "5"))));
    }

    /** Every repeat of every size and stack, each a child JVM; {@code out} written after every repeat. */
    static void run(Path out, List<Integer> sizes, List<String> stacks, int repeats) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(EndToEnd.HEADER + "\tsize");
        try (EchoServerMain.Running server = EchoServerMain.start()) {
            String uri = server.uri("/echo").toString();
            // Repeats go round all sizes and stacks in turn, as in EndToEnd.
            for (int rep = 1; rep <= repeats; rep++) {
                for (int size : sizes) {
                    for (String stack : stacks) {
                        int count = ChildJvm.maxConnections(stack, size);
                        System.out.println("== " + stack + " x " + count + ", repeat " + rep);
                        lines.addAll(runChild(stack, count, size, uri, rep));
                    }
                }
                Files.write(out, lines);
            }
        }
        Files.write(out, lines);
        System.out.println("wrote " + out);
    }

    /** One stack in its own JVM; its figures as TSV lines, or one "failed" line saying why. */
    private static List<String> runChild(String stack, int n, int size, String uri, int rep) throws Exception {
        ProcessBuilder child = ChildJvm.java(List.of("-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"), ConnectionScale.class,
                "--child", stack, Integer.toString(n), uri);
        List<String> lines = new ArrayList<>();
        try {
            ChildJvm.run(child, CHILD_TIMEOUT_SECONDS).forEach((k, v) -> lines.add(String.format(Locale.ROOT,
                    "%s\t%s\t%d\t%s\t0\t0\t\t%d", stack, k, rep, v, size)));
        } catch (ChildJvm.Failed e) {
            lines.add(String.format(Locale.ROOT, "%s\tscale_failed\t%d\t%d\t0\t0\t%s\t%d", stack, rep, n,
                    e.getMessage().replace('\t', ' '), size));
        }
        return lines;
    }

    /** In the child JVM: open n connections of {@code stack}; the figures. */
    private static String child(String stack, int n, URI uri) throws Exception {
        // Not closed: the process halts right after the figures, whatever the stack's threads.
        Clients.Fleet fleet = Clients.fleet(stack);
        // Warm up: classes loaded, the stack's shared threads and pools started.
        Client warm = fleet.newClient();
        warm.connect(uri);
        echo(warm);
        warm.close();
        long heapBefore = Footprint.usedHeapAfterGc();
        long rssBefore = Footprint.residentBytes();

        long start = System.nanoTime();
        List<Client> clients = ChildJvm.openAll(fleet, n, uri, c -> { });
        double openSeconds = (System.nanoTime() - start) / 1e9;
        for (Client c : clients) {
            echo(c);
        }
        long heapOpen = Footprint.usedHeapAfterGc();
        long rssOpen = Footprint.residentBytes();
        int platform = ManagementFactory.getThreadMXBean().getThreadCount();
        int all = Footprint.allThreads();
        String result = String.format(Locale.ROOT, "scale_connections=%d scale_open_s=%.2f scale_heap_b=%d "
                        + "scale_rss_b=%d scale_threads=%d scale_all_threads=%d", n, openSeconds,
                (heapOpen - heapBefore) / n, (rssOpen - rssBefore) / n, platform, all);
        ChildJvm.closeAll(clients);
        return result;
    }

    private static void echo(Client c) throws Exception {
        c.send(new byte[64]);
        if (!c.replies.tryAcquire(1, 30, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException(c.name() + ": echo not received within 30 s");
        }
    }
}
