package dev.tether.ws.bench.e2e;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fan-in rows of the end-to-end run: per client stack, in a fresh JVM of its own
 * ({@code -Xms1g -Xmx1g}), N connections through the stack's shared client object
 * ({@link Clients#fleet}) to the server's {@code /push}, which sends each connection
 * {@code hz} binary messages of {@code size} bytes per second stamped with its
 * {@link System#nanoTime()}. After a warm-up, for the measured seconds:
 *
 * <ul>
 *   <li>{@code fanin}: messages per second delivered to the handlers (the server offers
 *       N x hz; a client that falls behind makes the server skip ticks), with the p50 and p99
 *       delivery delay in microseconds ({@link Delays}: on Linux both JVMs' nanoTime read
 *       CLOCK_MONOTONIC, so server and client stamps compare on one machine);</li>
 *   <li>{@code fanin_cpu}: the client process's CPU seconds per million messages delivered
 *       ({@code com.sun.management.OperatingSystemMXBean.getProcessCpuTime}, its change over the
 *       measured seconds);</li>
 *   <li>{@code fanin_offered}: N x hz, and {@code fanin_connections}: N.</li>
 * </ul>
 *
 * Repeats go round all stacks in turn, as the other rows do.
 */
public final class FanIn {
    private FanIn() {
    }

    /** Every repeat of every stack, each a child JVM; its lines added to {@code lines}, saved after each repeat. */
    static void run(EchoServerMain.Running server, Settings s, List<String> lines, Checkpoint checkpoint) throws Exception {
        URI uri = server.uri("/push?hz=" + s.fanInHz() + "&size=" + s.fanInSize());
        long timeout = Math.round(s.fanInWarmup() + s.fanInSeconds()) + 180;
        for (int rep = 1; rep <= s.repeats(); rep++) {
            for (String stack : s.clients()) {
                int n = ChildJvm.maxConnections(stack, s.fanInConnections());
                System.out.println("== fan-in " + stack + " x " + n + ", repeat " + rep);
                ProcessBuilder child = ChildJvm.java(List.of("-Xms1g", "-Xmx1g"), FanIn.class, stack,
                        Integer.toString(n), Double.toString(s.fanInSeconds()), Double.toString(s.fanInWarmup()),
                        Integer.toString(s.fanInHz()), uri.toString());
                try {
                    Map<String, String> r = ChildJvm.run(child, timeout);
                    lines.add(line(stack, "fanin", rep, r.get("fanin"), r.get("fanin_p50_us"), r.get("fanin_p99_us")));
                    lines.add(line(stack, "fanin_cpu", rep, r.get("fanin_cpu"), "0", "0"));
                    lines.add(line(stack, "fanin_offered", rep, r.get("fanin_offered"), "0", "0"));
                    lines.add(line(stack, "fanin_connections", rep, r.get("fanin_connections"), "0", "0"));
                } catch (ChildJvm.Failed e) {
                    lines.add(String.format(Locale.ROOT, "%s\tfanin\t%d\tNaN\tNaN\tNaN\tfailed: %s", stack, rep,
                            e.getMessage().replace('\t', ' ')));
                }
                String key = stack + "\tfanin\t" + rep + "\t";
                lines.stream().filter(l -> l.startsWith(key)).forEach(System.out::println);
            }
            checkpoint.save();
        }
    }

    /** Saves what has been measured so far. */
    interface Checkpoint {
        void save() throws java.io.IOException;
    }

    private static String line(String stack, String measure, int rep, String value, String p50, String p99) {
        return String.join("\t", stack, measure, Integer.toString(rep), value, p50, p99, "");
    }

    /** The child: {@code FanIn STACK N SECONDS WARMUP_SECONDS HZ URI}. */
    public static void main(String[] args) {
        ChildJvm.report(() -> child(args[0], Integer.parseInt(args[1]), Double.parseDouble(args[2]),
                Double.parseDouble(args[3]), Integer.parseInt(args[4]), URI.create(args[5])));
    }

    private static String child(String stack, int n, double seconds, double warmup, int hz, URI uri) throws Exception {
        // Not closed: the process halts right after the figures, whatever the stack's threads.
        Clients.Fleet fleet = Clients.fleet(stack);
        long expected = Math.round(n * (double) hz * seconds);
        Delays delays = new Delays((int) Math.min(50_000_000L, expected + expected / 2 + 10_000));
        List<Client> clients = ChildJvm.openAll(fleet, n, uri, c -> c.delays = delays);
        Thread.sleep(Math.round(warmup * 1000));

        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        delays.start();
        Thread.sleep(Math.round(seconds * 1000));
        int count = delays.stop();
        long t1 = System.nanoTime();
        long cpu1 = os.getProcessCpuTime();
        Thread.sleep(100);  // the last samples counted are written by now
        if (count == 0) {
            throw new IllegalStateException("no message delivered in " + seconds + " s");
        }
        long[] d = delays.sorted(count);
        double secs = (t1 - t0) / 1e9;
        String result = String.format(Locale.ROOT,
                "fanin=%.1f fanin_p50_us=%.1f fanin_p99_us=%.1f fanin_cpu=%.3f fanin_offered=%d fanin_connections=%d",
                count / secs, d[d.length / 2] / 1e3, d[(int) (d.length * 0.99)] / 1e3,
                (cpu1 - cpu0) / 1e9 / (count / 1e6), (long) n * hz, n);
        for (Client c : clients) {
            c.delays = null;
        }
        ChildJvm.closeAll(clients);
        return result;
    }
}
