package dev.tether.ws.cli.demo;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Prints the demo's story: steps, the Java code each one runs beside the seed's Lua, what came
 * back, and what the handlers saw (from Tether's event thread) as they saw it. Handlers also
 * report their events here, so a step can wait for the one it expects before the story goes on.
 */
final class Narrator {
    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private final long started = System.nanoTime();
    /** Events the handlers saw, by name ("open", "close", ...), oldest first. */
    private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

    synchronized void title(String text) {
        out.println(text);
    }

    synchronized void step(String number, String seed, String what) {
        out.println();
        out.printf("%s %s%n", number, what);
        out.printf("   -- seed: %s%n", seed);
    }

    /** A line of Java, as the demo runs it. */
    synchronized void code(String java) {
        out.println("   " + java);
    }

    /** What a call returned, or what the demo observed. */
    synchronized void result(String text) {
        out.println("     => " + text);
    }

    synchronized void note(String text) {
        out.println("   (" + text + ")");
    }

    /** A handler ran: print it, and let a waiting step know. */
    void event(String name, String detail) {
        synchronized (this) {
            out.printf("     [%s]%s%n", name, detail.isEmpty() ? "" : " " + detail);
        }
        seen.add(name);
    }

    /** The echo server's own log line. */
    synchronized void server(String line) {
        out.println("     (echo server: " + line + ")");
    }

    /** Waits for the handler of {@code name} to run, dropping other events seen before it. */
    void await(String name, Duration within) throws TimeoutException, InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (true) {
            String e = seen.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new TimeoutException("no " + name + " event within " + within.toMillis() + " ms");
            }
            if (e.equals(name)) {
                return;
            }
        }
    }

    /** Forgets events seen so far. */
    void clearEvents() {
        seen.clear();
    }

    double elapsedSeconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
