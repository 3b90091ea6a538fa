package dev.tether.ws;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One timer thread for every connection in the JVM (keep-alive pings, pong and close
 * timeouts): no thread and no {@code java.util.Timer} per connection. The timer thread only
 * starts work: whatever may block (a write, a TLS close_notify, ending a connection) runs on a
 * virtual thread of its own, so that one slow connection never delays another's timers.
 */
final class Timers {
    private static final ScheduledThreadPoolExecutor TIMER = create();

    private Timers() {
    }

    private static ScheduledThreadPoolExecutor create() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tether-timer");
            t.setDaemon(true);
            return t;
        });
        // Most timers are cancelled (a close answered in time, a connection closed before its next
        // ping): drop them at once, so a cancelled timer keeps no connection reachable.
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Runs {@code task} on a fresh virtual thread after {@code nanos}. */
    static ScheduledFuture<?> afterOnVirtualThread(long nanos, Runnable task) {
        return TIMER.schedule(() -> {
            Thread.ofVirtual().name("tether-timer-task").start(task);
        }, Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }
}
