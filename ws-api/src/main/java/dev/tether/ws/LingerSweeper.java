package dev.tether.ws;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ends the drain threads of {@link SerialExecutor}s that have waited idle for a while: one sweep
 * per {@link #PERIOD_NANOS} for the whole JVM, on the timer thread, while any drain thread is
 * known to it; a thread that two sweeps in a row find waiting, with no task between them, ends
 * at the second.
 *
 * <p>So a waiting drain thread parks with no timeout of its own. A virtual thread's timed park
 * schedules a task on a JDK timer, and cancels or fires it: once per message in a request and
 * response exchange, which cost more than lingering saved (queued handlers, 64 B round trips,
 * 2026-12-04: 61 us of client CPU each with a 2 ms timed wait, 48 us with no lingering at all,
 * 42 us with an untimed wait).
 *
 * <p>An executor is registered once per drain thread, when that thread starts, and leaves when
 * it ends: nothing is registered or allocated per message.
 */
final class LingerSweeper {
    /**
     * A drain thread lingers idle at least this long and less than twice it. Long enough for the
     * next message of a request and response exchange over loopback or a LAN, short enough that
     * an idle WebSocket soon holds no thread.
     */
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private static final Set<SerialExecutor> WAITING = ConcurrentHashMap.newKeySet();
    /** A sweep is scheduled. */
    private static final AtomicBoolean SCHEDULED = new AtomicBoolean();

    private LingerSweeper() {
    }

    /** {@code executor}'s drain thread starts: sweep it until {@link #leave}. */
    static void enter(SerialExecutor executor) {
        WAITING.add(executor);
        scheduleIfNeeded();
    }

    /** {@code executor}'s drain thread ends. */
    static void leave(SerialExecutor executor) {
        WAITING.remove(executor);
    }

    /** Whether {@code executor}'s drain thread is swept (for tests). */
    static boolean knows(SerialExecutor executor) {
        return WAITING.contains(executor);
    }

    private static void scheduleIfNeeded() {
        if (!WAITING.isEmpty() && SCHEDULED.compareAndSet(false, true)) {
            Timers.after(PERIOD_NANOS, LingerSweeper::sweep);
        }
    }

    private static void sweep() {
        try {
            for (SerialExecutor e : WAITING) {
                e.sweep();
            }
        } finally {
            // Cleared before the check: an executor entering after the check finds it clear and
            // schedules the next sweep itself. In a finally block: a sweep that failed must not
            // leave the sweeps stopped, and drain threads waiting for ever.
            SCHEDULED.set(false);
            scheduleIfNeeded();
        }
    }
}
