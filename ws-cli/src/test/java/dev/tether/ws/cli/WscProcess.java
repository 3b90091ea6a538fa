package dev.tether.ws.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code wsc} as a separate process, started the way {@code ./wsc} starts it: the JDK's
 * {@code java} with {@code ws-cli/target/modules} as the module path. Output is captured line by
 * line as it comes, so a test can wait for a line (a server's URL) while the process runs. Every
 * wait is bounded; {@link #close()} kills what is left.
 */
final class WscProcess implements AutoCloseable {
    /** Filled by the build (failsafe's systemPropertyVariables); the default fits a run from ws-cli/. */
    static final Path MODULES = Path.of(System.getProperty("wsc.modules", "target/modules"));
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(20);
    /** As ./wsc starts it: a short-lived tool starts faster with C1 only and the serial collector. */
    static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final Process process;
    private final List<String> args;
    private final BlockingQueue<String> outLines = new LinkedBlockingQueue<>();
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final Thread outReader;
    private final Thread errReader;

    private WscProcess(List<String> args) throws IOException {
        assertThat(hasModule("dev.tether.ws.cli")).as("wsc's modules in " + MODULES + ", made by package").isTrue();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("--module-path");
        command.add(MODULES.toString());
        command.add("-m");
        command.add("dev.tether.ws.cli/dev.tether.ws.cli.Wsc");
        command.addAll(args);
        this.args = List.copyOf(args);
        this.process = new ProcessBuilder(command).start();
        this.outReader = pump(process.getInputStream(), out, outLines, "out");
        this.errReader = pump(process.getErrorStream(), err, null, "err");
    }

    /** Starts {@code wsc args...}. */
    static WscProcess start(String... args) throws IOException {
        return new WscProcess(List.of(args));
    }

    /** Runs {@code wsc args...} with no input (stdin closed at once) to its end. */
    static Result run(String... args) throws IOException {
        return runWithInput("", args);
    }

    /** Runs {@code wsc args...}, writing {@code input} to its stdin and then closing it. */
    static Result runWithInput(String input, String... args) throws IOException {
        try (WscProcess p = start(args)) {
            p.write(input);
            p.closeInput();
            return p.await(DEFAULT_WAIT);
        }
    }

    /** Whether a module is among wsc's modules (the TLS module arrives separately). */
    static boolean hasModule(String name) {
        return ModuleFinder.of(MODULES).find(name).isPresent();
    }

    void write(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    void closeInput() throws IOException {
        process.getOutputStream().close();
    }

    /** The first group of {@code pattern} in the next stdout line that matches it, within {@code wait}. */
    String awaitLine(Pattern pattern, Duration wait) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            String line = outLines.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no line matching " + pattern + " within " + wait + " from wsc " + args
                        + "; stdout:\n" + out + "stderr:\n" + err);
            }
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m.groupCount() > 0 ? m.group(1) : line;
            }
        }
    }

    /** Waits until {@code text} appears on stderr, within {@code wait}. */
    void awaitErr(String text, Duration wait) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        while (!err.toString().contains(text)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no '" + text + "' on stderr within " + wait + " from wsc " + args
                        + "; stdout:\n" + out + "stderr:\n" + err);
            }
            Thread.sleep(20);
        }
    }

    /** Waits for the process to end, at most {@code wait}; fails (and kills it) if it does not. */
    Result await(Duration wait) {
        try {
            if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("wsc " + args + " did not end within " + wait + "; stdout:\n" + out
                        + "stderr:\n" + err);
            }
            outReader.join(5_000);
            errReader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return new Result(process.exitValue(), out.toString(), err.toString());
    }

    /** SIGTERM: the JVM runs wsc's shutdown hooks, as for Ctrl-C. */
    void terminate() {
        process.destroy();
    }

    String stdout() {
        return out.toString();
    }

    String stderr() {
        return err.toString();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Thread pump(InputStream stream, StringBuffer all, BlockingQueue<String> lines, String name) {
        return Thread.ofPlatform().daemon().name("wsc-" + name).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    all.append(line).append('\n');
                    if (lines != null) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** How a run ended: exit code, stdout, stderr. */
    record Result(int exit, String out, String err) {
        List<String> outLines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }
}
