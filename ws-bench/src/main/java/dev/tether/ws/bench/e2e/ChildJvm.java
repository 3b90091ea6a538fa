package dev.tether.ws.bench.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The runs that give each client stack a fresh JVM (connection scale, fan-in), so that one
 * stack's heap, threads and CPU cannot count against another's: launching the child on this
 * JVM's class path, bounding it in time, and reading the one {@code RESULT k=v ...} line it
 * prints, or why it printed none.
 */
final class ChildJvm {
    /** Connections opened at once by {@link #openAll}. */
    static final int CONCURRENT_OPENS = 64;

    /**
     * Platform threads per connection of the stacks that start their own (Java-WebSocket: a
     * reader, a writer and a connect thread; OkHttp: a reader on its dispatcher), measured at
     * 1,000 connections. Such a stack is run with at most half of the machine's process ids
     * ({@code /proc/sys/kernel/pid_max}) in threads, so that it cannot starve every other process
     * of them; its N is then smaller, and the report says so.
     */
    private static final Map<String, Integer> THREADS_PER_CONNECTION = Map.of("java-websocket", 3, "okhttp", 1);

    private ChildJvm() {
    }

    /** {@code n}, or fewer for a stack whose threads for n connections would take more than half the process ids. */
    static int maxConnections(String stack, int n) throws IOException {
        return Math.min(n, threadBudget() / THREADS_PER_CONNECTION.getOrDefault(stack, 1));
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

    /** A child process: this JVM's java and class path, the given JVM options, main class and arguments. */
    static ProcessBuilder java(List<String> jvmArgs, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** A child that did not report its figures; the message says why. */
    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;

        Failed(String why) {
            super(why);
        }
    }

    /**
     * Runs a child made by {@link #java}, echoing its output indented, and returns the key=value
     * pairs of its {@code RESULT} line in order.
     *
     * @throws Failed when it printed {@code FAILED reason}, exited without a result, or ran past
     *     {@code timeoutSeconds} (then it is killed)
     */
    static Map<String, String> run(ProcessBuilder child, long timeoutSeconds) throws Failed, IOException, InterruptedException {
        Process p = child.redirectErrorStream(true).start();
        Map<String, String> result = new LinkedHashMap<>();
        AtomicReference<String> failure = new AtomicReference<>();
        // Read on another thread, so that a child that hangs is bounded by waitFor below.
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("RESULT ")) {
                        synchronized (result) {
                            for (String kv : line.substring(7).trim().split(" ")) {
                                String[] pair = kv.split("=", 2);
                                result.put(pair[0], pair[1]);
                            }
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
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            failure.set("did not finish within " + timeoutSeconds + " s");
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        synchronized (result) {
            if (result.isEmpty()) {
                throw new Failed(failure.get() != null ? failure.get() : "exit code " + p.exitValue());
            }
            return new LinkedHashMap<>(result);
        }
    }

    /**
     * The body of a child's main: prints {@code RESULT} and what {@code body} returns (space
     * separated key=value pairs), or {@code FAILED} and the throwable; then halts, as some stacks
     * leave non-daemon threads behind.
     */
    static void report(Callable<String> body) {
        try {
            String result = body.call();
            System.out.println("RESULT " + result);
            System.out.flush();
        } catch (Throwable t) {
            System.out.println("FAILED " + String.valueOf(t).replace('\n', ' ').replace('\t', ' '));
            t.printStackTrace(System.out);
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
        Runtime.getRuntime().halt(0);
    }

    /**
     * Opens {@code n} connections of {@code fleet} to {@code uri}, {@value #CONCURRENT_OPENS} at
     * a time on virtual threads; each client is passed to {@code prepare} before it connects.
     */
    static List<Client> openAll(Clients.Fleet fleet, int n, URI uri, Consumer<Client> prepare) throws Exception {
        List<Client> clients = new ArrayList<>(n);
        try (ExecutorService openers = Executors.newFixedThreadPool(CONCURRENT_OPENS, Thread.ofVirtual().factory())) {
            List<Future<?>> opened = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Client c = fleet.newClient();
                prepare.accept(c);
                clients.add(c);
                opened.add(openers.submit(() -> {
                    c.connect(uri);
                    return null;
                }));
            }
            for (Future<?> f : opened) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        return clients;
    }

    /** Closes them politely (so the server is not left with broken connections), within a minute. */
    static void closeAll(List<Client> clients) throws InterruptedException {
        ExecutorService closers = Executors.newFixedThreadPool(CONCURRENT_OPENS, Thread.ofVirtual().factory());
        for (Client c : clients) {
            closers.submit(() -> {
                c.close();
                return null;
            });
        }
        closers.shutdown();
        closers.awaitTermination(60, TimeUnit.SECONDS);
    }
}
