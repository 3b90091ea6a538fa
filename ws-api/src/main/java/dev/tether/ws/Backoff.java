package dev.tether.ws;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long {@code start} waits before reconnecting. About the seed's {@code reconnTime} by
 * default, drawn at random within 20 % of it; with a cap, it doubles per failed attempt up to the
 * cap, and takes a random point in the upper half of that. Either way many clients dropped
 * together (a server restart) do not all come back in the same instant.
 *
 * @param cap null for a delay that does not grow
 */
record Backoff(Duration cap) {

    long delayNanos(Duration base, int failedAttempts) {
        long baseNanos = base.toNanos();
        if (cap == null) {
            long spread = baseNanos / 5;
            return baseNanos - spread + ThreadLocalRandom.current().nextLong(2 * spread + 1);
        }
        long capNanos = Math.max(baseNanos, cap.toNanos());
        int shift = Math.min(failedAttempts, 30);
        long delay = baseNanos > (capNanos >> shift) ? capNanos : Math.min(capNanos, baseNanos << shift);
        long half = delay / 2;
        return half + ThreadLocalRandom.current().nextLong(delay - half + 1);
    }
}
