package dev.tether.ws.bench.e2e;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One client stack on one link of the end-to-end run (plain, TLS or deflate): its connection,
 * its ways of measuring it, and one TSV line per measurement. A measurement that fails (a
 * timeout, a refused message) is a {@code failed} line for that repeat, and the connection is
 * made again for the next one, so that late echoes of the failed run cannot count in it.
 */
final class Lane {
    /** How long one awaited echo may take before the measurement fails. */
    private static final long REPLY_TIMEOUT_SECONDS = 30;
    /** This process's CPU time, for the client CPU rows (the server runs in a process of its own). */
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    // Used by the runner's one thread only.
    final String stack;
    final EndToEnd.Link link;
    private final Supplier<Client> make;
    private final URI uri;
    private final Client.Options options;
    private Client client;
    /** Why there is no connection (it failed to open), or null. */
    private String down;
    /** Why this stack cannot do this link at all (no permessage-deflate), or null. */
    private final String unsupported;

    Lane(String stack, EndToEnd.Link link, URI uri, Client.Options options) {
        this.stack = stack;
        this.link = link;
        this.make = Clients.maker(stack);
        this.uri = uri;
        this.options = options;
        this.unsupported = options.deflate() && !make.get().canDeflate()
                ? "n/a: " + stack + " has no permessage-deflate" : null;
    }

    /** Connects, unless the stack cannot do this link; a failure is kept as the reason. */
    void open() {
        if (unsupported != null) {
            return;
        }
        try {
            Client c = make.get();
            c.connect(uri, options);
            client = c;
            down = null;
        } catch (Exception | Error e) {
            down = "failed: connect: " + oneLine(e);
            System.out.println(stack + " " + link + ": " + down);
        }
    }

    /** Runs the row once untimed, for the JIT and the stack's buffers. */
    void warmUp(EndToEnd.Row row, int count) {
        if (client == null) {
            return;
        }
        try {
            run(row, count, 0);
        } catch (Exception | Error e) {
            System.out.println(stack + " " + row.id() + ": warm-up failed: " + oneLine(e));
            reopen();
        }
    }

    /**
     * Measures the row once: its TSV line (a {@code failed} or {@code n/a} line when it cannot).
     * A row with messages in flight sends past {@code count} until {@code minNanos} have passed.
     */
    String measure(EndToEnd.Row row, int rep, int count, long minNanos) {
        if (unsupported != null) {
            return line(row, rep, Double.NaN, Double.NaN, Double.NaN, unsupported);
        }
        if (client == null) {
            return line(row, rep, Double.NaN, Double.NaN, Double.NaN, down);
        }
        try {
            double[] r = run(row, count, minNanos);
            return line(row, rep, r[0], r[1], r[2], "");
        } catch (Exception | Error e) {
            String why = "failed: " + oneLine(e);
            reopen();
            return line(row, rep, Double.NaN, Double.NaN, Double.NaN, why);
        }
    }

    /**
     * value (per second: round trips, messages, or MB for 1 MiB messages; or bytes or CPU
     * microseconds per round trip or message, as the row's figure says), p50 and p99 in microseconds.
     */
    private double[] run(EndToEnd.Row row, int count, long minNanos) throws Exception {
        client.replies.drainPermits();
        if (row.figure() == EndToEnd.Figure.ALLOCATED) {
            return new double[] {allocatedPerRoundTrip(row.payload(), count), 0, 0};
        }
        if (row.figure() == EndToEnd.Figure.CPU) {
            long cpu0 = PROCESS.getProcessCpuTime();
            long sent = count;
            if (row.window() == 0) {
                roundTrips(row.payload(), count);
            } else {
                sent = pipelined(row.payload(), count, row.window(), minNanos).sent();
            }
            return new double[] {(PROCESS.getProcessCpuTime() - cpu0) / 1e3 / sent, 0, 0};
        }
        if (row.window() == 0) {
            long[] lat = roundTrips(row.payload(), count);
            long total = Arrays.stream(lat).sum();
            Arrays.sort(lat);
            return new double[] {count / (total / 1e9), lat[lat.length / 2] / 1e3, lat[(int) (lat.length * 0.99)] / 1e3};
        }
        Pipelined p = pipelined(row.payload(), count, row.window(), minNanos);
        double secs = p.nanos() / 1e9;
        double value = row.payload() == Payloads.BIN1M ? (double) row.payload().size * p.sent() / secs / 1e6 : p.sent() / secs;
        return new double[] {value, 0, 0};
    }

    private long[] roundTrips(Payloads payload, int n) throws Exception {
        long[] lat = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            payload.send(client, i);
            await(1);
            lat[i] = System.nanoTime() - t0;
        }
        return lat;
    }

    /**
     * Bytes allocated in this JVM per sequential round trip, over n of them. Nothing is recorded
     * per round trip (no latency array), so that the runner adds only its wait for the echo.
     * HotSpot's total over all threads is an approximation, and has gone backwards while a
     * stack's threads ended (OkHttp, 2026-12-04: -164 MB over one measurement): such a
     * measurement is taken again, and a cell that cannot be measured fails rather than count.
     */
    private double allocatedPerRoundTrip(Payloads payload, int n) throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            long before = Allocation.total();
            for (int i = 0; i < n; i++) {
                payload.send(client, i);
                await(1);
            }
            long allocated = Allocation.total() - before;
            if (allocated >= 0) {
                return (double) allocated / n;
            }
        }
        throw new IllegalStateException("the JVM's count of allocated bytes went backwards in three measurements");
    }

    /** What {@link #pipelined} did: messages sent (and echoed), and nanoseconds until the last echo. */
    private record Pipelined(long sent, long nanos) {
    }

    /**
     * Sends at least n messages, and more until {@code minNanos} have passed, keeping at most
     * {@code window} unanswered; then waits for the last echoes.
     */
    private Pipelined pipelined(Payloads payload, int n, int window, long minNanos) throws Exception {
        long t0 = System.nanoTime();
        int received = 0;
        int i = 0;
        for (; i < n || System.nanoTime() - t0 < minNanos; i++) {
            if (i - received >= window) {
                await(1);
                received++;
            }
            payload.send(client, i);
        }
        await(i - received);
        return new Pipelined(i, System.nanoTime() - t0);
    }

    private void await(int n) throws InterruptedException {
        if (!client.replies.tryAcquire(n, REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("echo not received within " + REPLY_TIMEOUT_SECONDS + " s");
        }
    }

    private void reopen() {
        close();
        open();
    }

    /** Closes the connection, giving the stack at most 10 s. */
    void close() {
        Client c = client;
        client = null;
        if (c == null) {
            return;
        }
        Thread closer = Thread.ofVirtual().start(() -> {
            try {
                c.close();
            } catch (Exception e) {
                System.out.println(stack + " " + link + ": close failed: " + oneLine(e));
            }
        });
        try {
            if (!closer.join(java.time.Duration.ofSeconds(10))) {
                System.out.println(stack + " " + link + ": close did not finish within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String line(EndToEnd.Row row, int rep, double value, double p50, double p99, String note) {
        return String.format(Locale.ROOT, "%s\t%s\t%d\t%.1f\t%.1f\t%.1f\t%s", stack, row.id(), rep, value, p50, p99, note);
    }

    static String oneLine(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String s = root == t ? String.valueOf(t) : t.getClass().getSimpleName() + ": " + root;
        return s.replace('\t', ' ').replace('\n', ' ');
    }
}
