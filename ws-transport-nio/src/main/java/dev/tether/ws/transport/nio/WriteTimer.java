package dev.tether.ws.transport.nio;

import dev.tether.ws.internal.DaemonTimer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The write timeout's clock for every NIO connection in the JVM, started on the first queued
 * write. Its tasks only look at a queue and, when a write is overdue, close a channel: nothing
 * that blocks.
 */
final class WriteTimer {
    private WriteTimer() {
    }

    private static final class Holder {
        private static final ScheduledThreadPoolExecutor TIMER = DaemonTimer.create("tether-nio-write-timer");
    }

    static ScheduledFuture<?> after(long nanos, Runnable task) {
        return Holder.TIMER.schedule(task, Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }
}
