package dev.tether.ws;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long {@code start} waits before reconnecting. Fixed (the seed's {@code reconnTime}) by
 * default; with a cap, it doubles per failed attempt up to the cap, and takes a random point in
 * the upper half of that so that many clients dropped together do not return together.
 *
 * @param cap null for a fixed delay
 */
record Backoff(Duration cap) {

    long delayNanos(Duration base, int failedAttempts) {
        long baseNanos = base.toNanos();
        if (cap == null) {
            return baseNanos;
        }
        long capNanos = Math.max(baseNanos, cap.toNanos());
        int shift = Math.min(failedAttempts, 30);
        long delay = baseNanos > (capNanos >> shift) ? capNanos : Math.min(capNanos, baseNanos << shift);
        long half = delay / 2;
        return half + ThreadLocalRandom.current().nextLong(delay - half + 1);
    }
}
