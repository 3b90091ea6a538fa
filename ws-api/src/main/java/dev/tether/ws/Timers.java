package dev.tether.ws;

import dev.tether.ws.internal.DaemonTimer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The engine's timers (keep-alive pings, pong and close timeouts) for every connection in the
 * JVM. The timer thread only starts work: whatever may block (a write, a TLS close_notify,
 * ending a connection) runs on a virtual thread of its own, so that one slow connection never
 * delays another's timers.
 */
final class Timers {
    private static final ScheduledThreadPoolExecutor TIMER = DaemonTimer.create("tether-timer");

    private Timers() {
    }

    /** Runs {@code task}, which must be brief and never block, on the timer thread after {@code nanos}. */
    static void after(long nanos, Runnable task) {
        TIMER.schedule(task, Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} on a fresh virtual thread after {@code nanos}. */
    static ScheduledFuture<?> afterOnVirtualThread(long nanos, Runnable task) {
        return TIMER.schedule(() -> {
            Thread.ofVirtual().name("tether-timer-task").start(task);
        }, Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }
}
