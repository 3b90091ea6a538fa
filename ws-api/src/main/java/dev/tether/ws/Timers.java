package dev.tether.ws;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One timer thread for every connection in the JVM (keep-alive pings, pong and close
 * timeouts): no thread and no {@code java.util.Timer} per connection. Timer tasks only flip
 * state or hand work to a virtual thread; they never block.
 */
final class Timers {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tether-timer");
        t.setDaemon(true);
        return t;
    });

    private Timers() {
    }

    static ScheduledFuture<?> after(long nanos, Runnable task) {
        return TIMER.schedule(task, Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} on a fresh virtual thread after {@code nanos}: for work that may block. */
    static ScheduledFuture<?> afterOnVirtualThread(long nanos, Runnable task) {
        return after(nanos, () -> Thread.ofVirtual().name("tether-timer-task").start(task));
    }
}
