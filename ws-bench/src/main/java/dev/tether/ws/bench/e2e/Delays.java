package dev.tether.ws.bench.e2e;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The fan-in run's record of delivery delays, shared by all connections of one stack: for each
 * message received while {@link #start() started}, now minus the server's {@link System#nanoTime()}
 * in its first 8 bytes. On Linux both JVMs' nanoTime read CLOCK_MONOTONIC, one clock for the
 * machine, so the difference is the delay from the server's write to the client's handler.
 * Written by any thread (each sample its own slot); read after {@link #stop()}.
 */
final class Delays {
    private final AtomicLongArray samples;
    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean on;

    /** Room for {@code capacity} samples; messages past it are counted, not kept. */
    Delays(int capacity) {
        samples = new AtomicLongArray(capacity);
    }

    void record(long sentNanos) {
        if (!on) {
            return;
        }
        long delay = System.nanoTime() - sentNanos;
        int i = count.getAndIncrement();
        if (i < samples.length()) {
            samples.set(i, delay);
        }
    }

    /** Starts counting from zero. */
    void start() {
        count.set(0);
        on = true;
    }

    /** Stops counting; returns the number of messages received since {@link #start()}. */
    int stop() {
        on = false;
        return count.get();
    }

    /** The first {@code n} delays kept, sorted, in nanoseconds. */
    long[] sorted(int n) {
        long[] v = new long[Math.min(n, samples.length())];
        for (int i = 0; i < v.length; i++) {
            v[i] = samples.get(i);
        }
        Arrays.sort(v);
        return v;
    }
}
