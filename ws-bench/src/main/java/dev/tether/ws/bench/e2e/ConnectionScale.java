package dev.tether.ws.bench.e2e;

import dev.tether.ws.testing.Footprint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The connection-scale run of the end-to-end group: N idle connections per client stack to the
 * same Netty echo server (its own process), each stack in a fresh JVM of its own so that one
 * stack's heap, threads and native memory cannot count against another's:
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
 * <pre>java -cp ws-bench/target/benchmarks.jar dev.tether.ws.bench.e2e.ConnectionScale OUT.tsv [N [client-name ...]]</pre>
 *
 * Writes {@code OUT.tsv} in the format of {@link EndToEnd}'s (client, measure, repeat, value);
 * a stack that could not hold N connections gets a {@code scale_failed} line with the reason.
 */
public final class ConnectionScale {
    private static final int CONCURRENT_OPENS = 64;
    private static final long CHILD_TIMEOUT_MINUTES = 10;
    /**
     * Platform threads per connection of the stacks that start their own (Java-WebSocket: a
     * reader, a writer and a connect thread; OkHttp: a reader on its dispatcher), measured at
     * 1,000 connections. Such a stack is run with at most half of the machine's process ids
     * ({@code /proc/sys/kernel/pid_max}) in threads, so that it cannot starve every other process
     * of them; its N is then smaller, and the report says so.
     */
    private static final Map<String, Integer> THREADS_PER_CONNECTION = Map.of("java-websocket", 3, "okhttp", 1);

    private ConnectionScale() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args[1], Integer.parseInt(args[2]), URI.create(args[3]));
            return;
        }
        Path out = Path.of(args.length > 0 ? args[0] : "e2e.tsv");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        List<String> only = args.length > 2 ? Arrays.asList(args).subList(2, args.length) : Clients.NAMES;
        Process server = java(EchoServerMain.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new ArrayList<>();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream()));
            Matcher m = Pattern.compile("port (\\d+)").matcher(String.valueOf(r.readLine()));
            if (!m.matches()) {
                throw new IllegalStateException("the echo server did not report its port");
            }
            String uri = "ws://127.0.0.1:" + m.group(1) + "/echo";
            // Repeats go round all stacks in turn, as in EndToEnd.
            for (int rep = 1; rep <= EndToEnd.REPEATS; rep++) {
                for (String stack : only) {
                    int count = Math.min(n, threadBudget() / THREADS_PER_CONNECTION.getOrDefault(stack, 1));
                    System.out.println("== " + stack + " x " + count + ", repeat " + rep);
                    lines.addAll(runChild(stack, count, uri, rep));
                }
            }
        } finally {
            server.getOutputStream().close();
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
        lines.addFirst("client\tmeasure\trepeat\tvalue\tp50_us\tp99_us\treason");
        Files.write(out, lines);
        System.out.println("wrote " + out);
    }

    /** Half of the process ids this machine hands out (threads take them too). */
    private static int threadBudget() throws IOException {
        Path pidMax = Path.of("/proc/sys/kernel/pid_max");
        if (!Files.exists(pidMax)) {
            return Integer.MAX_VALUE;
        }
        // Not Files.readString: /proc reports a size of 0, and it read only the first byte here.
        try (BufferedReader r = Files.newBufferedReader(pidMax)) {
            return Integer.parseInt(r.readLine().strip()) / 2;
        }
    }

    private static ProcessBuilder java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** One stack in its own JVM; its figures as TSV lines, or one "failed" line saying why. */
    private static List<String> runChild(String stack, int n, String uri, int rep) throws Exception {
        Process child = java(ConnectionScale.class.getName(), "--child", stack, Integer.toString(n), uri)
                .redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicReference<String> failure = new AtomicReference<>();
        // Read on another thread, so that a child that hangs is bounded by waitFor below.
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("RESULT ")) {
                        for (String kv : line.substring(7).split(" ")) {
                            String[] p = kv.split("=");
                            lines.add(String.format(Locale.ROOT, "%s\t%s\t%d\t%s\t0\t0", stack, p[0], rep, p[1]));
                        }
                    } else if (line.startsWith("FAILED ")) {
                        failure.set(line.substring(7));
                    }
                    System.out.println("  " + line);
                }
            } catch (IOException e) {
                failure.compareAndSet(null, "its output could not be read: " + e);
            }
        });
        if (!child.waitFor(CHILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            failure.set("did not finish within " + CHILD_TIMEOUT_MINUTES + " minutes");
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        if (lines.isEmpty()) {
            String why = failure.get() != null ? failure.get() : "exit code " + child.exitValue();
            lines.add(String.format(Locale.ROOT, "%s\tscale_failed\t%d\t%d\t0\t0\t%s", stack, rep, n,
                    why.replace('\t', ' ')));
        }
        return List.copyOf(lines);
    }

    /** In the child JVM: open n connections of {@code stack}, print the figures, exit. */
    private static void child(String stack, int n, URI uri) {
        try {
            // Not closed: the process ends right after the figures (halt), whatever the stack's threads.
            Clients.Fleet fleet = Clients.fleet(stack);
            // Warm up: classes loaded, the stack's shared threads and pools started.
            Client warm = fleet.newClient();
            warm.connect(uri);
            echo(warm);
            warm.close();
            long heapBefore = Footprint.usedHeapAfterGc();
            long rssBefore = Footprint.residentBytes();

            List<Client> clients = new ArrayList<>(n);
            long start = System.nanoTime();
            try (ExecutorService openers = Executors.newFixedThreadPool(CONCURRENT_OPENS, Thread.ofVirtual().factory())) {
                List<Future<?>> opened = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    Client c = fleet.newClient();
                    clients.add(c);
                    opened.add(openers.submit(() -> {
                        c.connect(uri);
                        return null;
                    }));
                }
                for (int i = 0; i < n; i++) {
                    opened.get(i).get(60, TimeUnit.SECONDS);
                }
            }
            double openSeconds = (System.nanoTime() - start) / 1e9;
            for (Client c : clients) {
                echo(c);
            }
            long heapOpen = Footprint.usedHeapAfterGc();
            long rssOpen = Footprint.residentBytes();
            int platform = ManagementFactory.getThreadMXBean().getThreadCount();
            int all = Footprint.allThreads();
            System.out.printf(Locale.ROOT, "RESULT scale_connections=%d scale_open_s=%.2f scale_heap_b=%d scale_rss_b=%d "
                            + "scale_threads=%d scale_all_threads=%d%n", n, openSeconds, (heapOpen - heapBefore) / n,
                    (rssOpen - rssBefore) / n, platform, all);
            System.out.flush();
            // Closed politely, so the server is not left with 10,000 broken connections, within a bound.
            ExecutorService closers = Executors.newFixedThreadPool(CONCURRENT_OPENS, Thread.ofVirtual().factory());
            for (Client c : clients) {
                closers.submit(() -> {
                    c.close();
                    return null;
                });
            }
            closers.shutdown();
            closers.awaitTermination(60, TimeUnit.SECONDS);
        } catch (Throwable t) {
            System.out.println("FAILED " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
        // Some stacks leave non-daemon threads behind; the figures are out.
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    private static void echo(Client c) throws Exception {
        c.send(new byte[64]);
        if (!c.replies.tryAcquire(1, 30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(c.name() + ": echo not received within 30 s");
        }
    }



}
