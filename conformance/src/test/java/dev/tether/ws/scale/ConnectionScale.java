package dev.tether.ws.scale;

import dev.tether.ws.Received;
import dev.tether.ws.WebSocket;
import dev.tether.ws.codec.deflate.DeflateOffer;
import dev.tether.ws.testing.Footprint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A measurement, not a test: opens N idle connections on one transport to an echo server in
 * another process and reports the time to open them all, the heap each idle connection holds
 * after a full GC, and the threads (platform and virtual) alive while they are open.
 *
 * <pre>
 * ./mvnw -q -pl conformance -am install -DskipTests
 * ./mvnw -q -pl conformance exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.tether.ws.scale.ConnectionScale -Dexec.args="nio 10000"
 * </pre>
 *
 * <p>A third argument {@code compress} turns permessage-deflate on (against Jetty), and the
 * report adds the process's resident memory per connection: zlib's native memory is not on the
 * Java heap. The same measurement across the other JVM clients, without compression, is
 * ws-bench's {@code ConnectionScale} ({@code ws-bench/run.sh scale}).
 */
public final class ConnectionScale {
    private static DeflateOffer offer = DeflateOffer.DEFAULT;
    private ConnectionScale() {
    }

    public static void main(String[] args) throws Exception {
        String transport = args.length > 0 ? args[0] : "nio";
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        String mode = args.length > 2 ? args[2] : "none";
        boolean compress = mode.startsWith("compress");
        // "compress-nocontext": no context takeover both ways, so zlib streams are pooled per message.
        offer = mode.equals("compress-nocontext") ? new DeflateOffer(0, -1, true, true) : DeflateOffer.DEFAULT;
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ScaleServer.class.getName(), compress ? "jetty" : "codec")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream()));
            Matcher m = Pattern.compile("port (\\d+)").matcher(String.valueOf(out.readLine()));
            if (!m.matches()) {
                throw new IllegalStateException("the scale server did not report its port");
            }
            run(transport, count, "ws://127.0.0.1:" + m.group(1) + (compress ? "/echo" : "/"), compress);
        } finally {
            server.getOutputStream().close();
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void run(String transport, int count, String url, boolean compress) throws Exception {
        // Warm up: load classes, start the transport's loop and the shared timer.
        WebSocket warm = compress ? WebSocket.builder(url).transport(transport).compression(offer).build()
                : WebSocket.builder(url).transport(transport).build();
        if (!warm.connect(Duration.ofSeconds(10))) {
            throw new IllegalStateException("cannot connect: " + warm.lastError());
        }
        warm.send("warm");
        warm.recv(Duration.ofSeconds(10));
        warm.close();
        long heapBefore = Footprint.usedHeapAfterGc();
        long rssBefore = Footprint.residentBytes();
        int platformBefore = ManagementFactory.getThreadMXBean().getThreadCount();

        List<WebSocket> sockets = new ArrayList<>(count);
        long start = System.nanoTime();
        try (ExecutorService connectors = Executors.newFixedThreadPool(64, Thread.ofVirtual().factory())) {
            List<Future<Boolean>> results = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                WebSocket ws = compress ? WebSocket.builder(url).transport(transport).compression(offer).build()
                : WebSocket.builder(url).transport(transport).build();
                sockets.add(ws);
                results.add(connectors.submit(() -> ws.connect(Duration.ofSeconds(60))));
            }
            for (int i = 0; i < count; i++) {
                if (!results.get(i).get()) {
                    throw new IllegalStateException("connection " + i + " failed: " + sockets.get(i).lastError());
                }
            }
        }
        long openMillis = (System.nanoTime() - start) / 1_000_000;
        // One round trip on a sample, so the figure is for connections that have carried traffic.
        // With compression every connection sends a compressible message, so its zlib streams are in use.
        for (int i = 0; i < count; i += compress ? 1 : Math.max(1, count / 100)) {
            sockets.get(i).send("ping " + i + " " + "x".repeat(compress ? 200 : 0));
            Received r = sockets.get(i).recv(Duration.ofSeconds(10));
            if (!r.ok()) {
                throw new IllegalStateException("echo failed on " + i + ": " + r.error());
            }
        }
        long heapOpen = Footprint.usedHeapAfterGc();
        long rssOpen = Footprint.residentBytes();
        int platformOpen = ManagementFactory.getThreadMXBean().getThreadCount();
        int allThreads = Footprint.allThreads();

        System.out.printf("transport=%s compression=%s connections=%d open_ms=%d heap_per_idle_connection_bytes=%d "
                        + "rss_per_connection_bytes=%d platform_threads_before=%d platform_threads_open=%d "
                        + "all_threads_open=%d (virtual included)%n",
                transport, compress ? offer.toHeaderValue() : "off", count, openMillis, (heapOpen - heapBefore) / count, (rssOpen - rssBefore) / count,
                platformBefore, platformOpen, allThreads);

        try (ExecutorService closers = Executors.newFixedThreadPool(64, Thread.ofVirtual().factory())) {
            for (WebSocket ws : sockets) {
                closers.submit(() -> ws.close());
            }
        }
    }



}
