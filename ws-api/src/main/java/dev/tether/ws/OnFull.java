package dev.tether.ws;

import java.time.Duration;
import java.util.Objects;

/**
 * What a full outbox does with one more message ({@link WebSocket.Builder#outbox}): refuse it,
 * make room by dropping the oldest queued messages, or let the sender wait for room.
 */
public final class OnFull {
    /** The send returns false and the new message is not queued. */
    public static final OnFull REJECT = new OnFull("reject", null);
    /**
     * The oldest queued messages are dropped (each reported to {@link Event#DROPPED}) until the
     * new one fits; it is refused only when it alone exceeds the outbox's byte bound.
     */
    public static final OnFull DROP_OLDEST = new OnFull("drop oldest", null);

    private final String name;
    /** Null unless the sender waits. */
    private final Duration wait;

    private OnFull(String name, Duration wait) {
        this.name = name;
        this.wait = wait;
    }

    /**
     * The send waits up to {@code timeout} for room (the outbox drains once connected); past it,
     * the send returns false and the message is not queued.
     */
    public static OnFull waitUpTo(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the wait for room in the outbox must be positive: " + timeout);
        }
        return new OnFull("wait up to " + timeout, timeout);
    }

    boolean waits() {
        return wait != null;
    }

    long waitNanos() {
        return wait.toNanos();
    }

    boolean dropsOldest() {
        return this == DROP_OLDEST;
    }

    @Override
    public String toString() {
        return name;
    }
}
