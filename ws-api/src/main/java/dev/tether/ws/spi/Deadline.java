package dev.tether.ws.spi;

import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * The one time budget that name resolution, TCP connect and TLS handshake share
 * ({@code Endpoint.timeoutNanos}): each step gets what the earlier ones left. Immutable.
 */
public final class Deadline {
    private final long budgetNanos;
    private final long endNanos;

    private Deadline(long budgetNanos, long endNanos) {
        this.budgetNanos = budgetNanos;
        this.endNanos = endNanos;
    }

    public static Deadline in(long nanos) {
        long budget = Math.max(0, nanos);
        long now = System.nanoTime();
        // Saturate rather than overflow for "practically forever" budgets such as Long.MAX_VALUE.
        long end = now + budget < now ? Long.MAX_VALUE : now + budget;
        return new Deadline(budget, end);
    }

    /** Nanoseconds left; 0 or less once expired. */
    public long remainingNanos() {
        return endNanos - System.nanoTime();
    }

    /**
     * Milliseconds left for APIs that take an int timeout, at least 1: for
     * {@code Socket.connect} and {@code setSoTimeout} a 0 would mean "wait forever".
     *
     * @throws SocketTimeoutException if no time is left, with {@code what} in the message
     */
    public int remainingMillis(String what) throws SocketTimeoutException {
        long nanos = remainingNanos();
        if (nanos <= 0) {
            throw expired(what);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos + 999_999);  // round up
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, millis));
    }

    public boolean expired() {
        return remainingNanos() <= 0;
    }

    /** The whole budget in milliseconds, for messages: "timed out after N ms". */
    public long budgetMillis() {
        return TimeUnit.NANOSECONDS.toMillis(budgetNanos);
    }

    /** The exception for {@code what} (e.g. "connect to host:443") running out of time. */
    public SocketTimeoutException expired(String what) {
        return new SocketTimeoutException(what + " timed out after " + budgetMillis() + " ms");
    }
}
