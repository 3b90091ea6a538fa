package dev.tether.ws.bench.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fixed peer of the end-to-end and connection-scale runs, in its own process: a
 * {@link BenchServer} (plain, TLS and deflate ports). Prints
 * {@code ports plain=P tls=T deflate=D ca=PEM} and serves until its standard input closes.
 * {@link #start()} launches it from a runner.
 */
public final class EchoServerMain {
    private static final Pattern READY = Pattern.compile("ports plain=(\\d+) tls=(\\d+) deflate=(\\d+) ca=(.+)");

    private EchoServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("tether-bench-tls");
        try (BenchServer server = new BenchServer(dir)) {
            System.out.println("ports plain=" + server.port() + " tls=" + server.tlsPort() + " deflate="
                    + server.deflatePort() + " ca=" + server.caPem());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to go away
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The server process as a runner sees it; closing it stops the server. */
    record Running(Process process, int port, int tlsPort, int deflatePort, Path caPem) implements AutoCloseable {
        URI uri(String path) {
            return URI.create("ws://127.0.0.1:" + port + path);
        }

        URI tlsUri(String path) {
            return URI.create("wss://127.0.0.1:" + tlsPort + path);
        }

        URI deflateUri(String path) {
            return URI.create("ws://127.0.0.1:" + deflatePort + path);
        }

        /** Closes the server's standard input, which stops it; kills it if it has not ended within 5 s. */
        @Override
        public void close() throws IOException {
            process.getOutputStream().close();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroy();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts the server in a JVM of its own (1 GiB heap) and waits for its ports. */
    static Running start() throws IOException, InterruptedException {
        Process p = ChildJvm.java(List.of("-Xmx1g"), EchoServerMain.class)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
        Matcher m = READY.matcher(String.valueOf(line));
        if (!m.matches()) {
            p.destroyForcibly();
            throw new IllegalStateException("the echo server did not report its ports: " + line);
        }
        return new Running(p, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), Path.of(m.group(4)));
    }
}
