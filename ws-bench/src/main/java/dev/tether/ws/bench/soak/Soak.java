package dev.tether.ws.bench.soak;

import dev.tether.ws.Event;
import dev.tether.ws.WebSocket;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak of issue 18: many connections under {@code start} with keep-alive, each sending and
 * receiving, through a {@link SoakPeer} that breaks one random connection every few seconds. At
 * the end: messages sent, echoed back, and lost (sent on a connection that broke before the echo
 * came back), reconnects, and heap, file descriptors and platform threads before and after.
 *
 * <pre>java -cp benchmarks.jar dev.tether.ws.bench.soak.Soak OUT.md CONNECTIONS SECONDS FAULT_EVERY_MS TRANSPORT</pre>
 */
public final class Soak {
    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "soak.md");
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        long seconds = args.length > 2 ? Long.parseLong(args[2]) : 600;
        long faultEveryMillis = args.length > 3 ? Long.parseLong(args[3]) : 3000;
        String transport = args.length > 4 ? args[4] : "nio";

        Process peer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", System.getProperty("java.class.path"), SoakPeer.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader peerOut = new BufferedReader(new InputStreamReader(peer.getInputStream()));
        PrintStream peerIn = new PrintStream(peer.getOutputStream(), true);
        Matcher m = Pattern.compile("port (\\d+)").matcher(String.valueOf(peerOut.readLine()));
        if (!m.matches()) {
            throw new IllegalStateException("the soak peer did not report its port");
        }
        String url = "ws://127.0.0.1:" + m.group(1) + "/soak";

        warmUp(url, transport);  // the shared event loop, timer and watchdog threads start here, not inside the figures
        Sample before = Sample.take();
        LongAdder sent = new LongAdder();
        LongAdder refused = new LongAdder();
        LongAdder received = new LongAdder();
        LongAdder opens = new LongAdder();
        LongAdder closes = new LongAdder();
        List<WebSocket> sockets = new ArrayList<>();
        List<Thread> tasks = new ArrayList<>();
        Instant start = Instant.now();
        for (int i = 0; i < connections; i++) {
            WebSocket ws = WebSocket.builder(url).transport(transport)
                    .pingInterval(Duration.ofSeconds(5)).pongTimeout(Duration.ofSeconds(5))
                    .connectTimeout(Duration.ofSeconds(10)).closeTimeout(Duration.ofSeconds(2))
                    .writeTimeout(Duration.ofSeconds(10)).build();
            ws.on(Event.OPEN, opens::increment);
            ws.on(Event.CLOSE, (code, reason) -> closes.increment());
            sockets.add(ws);
            tasks.add(ws.startAsync(Duration.ofSeconds(5), msg -> received.increment(), Duration.ofSeconds(1)));
        }
        System.out.printf("%d connections started in %d ms%n", connections, Duration.between(start, Instant.now()).toMillis());

        AtomicBoolean running = new AtomicBoolean(true);
        // Every connection sends one small message a second, spread over the second.
        Thread senders = Thread.ofVirtual().start(() -> {
            Random r = new Random(1);
            long next = System.nanoTime();
            while (running.get()) {
                for (WebSocket ws : sockets) {
                    if (!running.get()) {
                        break;
                    }
                    if (ws.send("soak " + r.nextInt())) {
                        sent.increment();
                    } else {
                        refused.increment();  // not connected right now: reported to the caller, nothing lost
                    }
                    next += TimeUnit.SECONDS.toNanos(1) / connections;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }
        });
        Random faults = new Random(2);
        int injected = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            Thread.sleep(faultEveryMillis);
            peerIn.println(SoakPeer.FAULTS[faults.nextInt(SoakPeer.FAULTS.length)]);
            injected++;
            if (System.nanoTime() > nextReport) {
                nextReport += TimeUnit.SECONDS.toNanos(30);
                long online = sockets.stream().filter(WebSocket::online).count();
                System.out.printf("%4d s: online %d, sent %d, received %d, reconnects %d, faults %d%n",
                        Duration.between(start, Instant.now()).toSeconds(), online, sent.sum(), received.sum(),
                        opens.sum() - connections, injected);
            }
        }
        running.set(false);
        senders.join();
        Thread.sleep(3000);  // the last echoes come back
        long onlineAtEnd = sockets.stream().filter(WebSocket::online).count();
        sockets.forEach(ws -> ws.exit());
        int stuck = 0;
        for (Thread t : tasks) {
            if (!t.join(Duration.ofSeconds(30))) {
                stuck++;
            }
        }
        sockets.clear();
        tasks.clear();
        peerIn.close();
        peer.waitFor(30, TimeUnit.SECONDS);
        Thread.sleep(2000);
        Sample after = Sample.take();

        long lost = sent.sum() - received.sum();
        String report = String.format("""
                | measure | value |
                |---|---|
                | transport | %s |
                | connections | %d |
                | duration | %d s |
                | faults injected (one random connection, random direction) | %d, one every %d ms |
                | messages sent (send returned true) | %d |
                | messages echoed back to `proc` | %d |
                | lost (sent on a connection that broke before the echo) | %d (%.3f %%) |
                | sends refused while reconnecting (false to the caller) | %d |
                | reconnects (OPEN events after the first of each connection) | %d |
                | CLOSE events | %d |
                | online at the end, before exit | %d of %d |
                | `start` tasks still running 30 s after exit | %d |
                | heap after GC, before / after | %.1f MiB / %.1f MiB |
                | file descriptors, before / after | %d / %d |
                | platform threads, before / after | %d / %d |
                """, transport, connections, seconds, injected, faultEveryMillis, sent.sum(), received.sum(), lost,
                sent.sum() == 0 ? 0.0 : 100.0 * lost / sent.sum(), refused.sum(), opens.sum() - connections,
                closes.sum(), onlineAtEnd, connections, stuck, before.heapMiB, after.heapMiB, before.fds, after.fds,
                before.threads, after.threads);
        System.out.println(report);
        Files.writeString(out, report);
    }

    private static void warmUp(String url, String transport) throws InterruptedException {
        WebSocket ws = WebSocket.builder(url).transport(transport).pingInterval(Duration.ofMillis(100)).build();
        if (ws.connect(Duration.ofSeconds(10))) {
            ws.send("warm-up");
            Thread.sleep(500);
        }
        ws.close();
    }

    /** Heap after a full collection, open file descriptors, platform threads. */
    private record Sample(double heapMiB, long fds, int threads) {
        static Sample take() throws InterruptedException {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            String[] fds = new File("/proc/self/fd").list();
            return new Sample(memory.getHeapMemoryUsage().getUsed() / 1048576.0, fds == null ? -1 : fds.length,
                    ManagementFactory.getThreadMXBean().getThreadCount());
        }
    }
}
