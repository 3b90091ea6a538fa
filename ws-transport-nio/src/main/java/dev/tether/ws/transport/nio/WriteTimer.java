package dev.tether.ws.transport.nio;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The write timeout's clock for every NIO connection in the JVM: one daemon thread, started on
 * the first queued write. Its tasks only look at a queue and, when a write is overdue, close a
 * channel: nothing that blocks.
 */
final class WriteTimer {
    private WriteTimer() {
    }

    private static final class Holder {
        private static final ScheduledThreadPoolExecutor TIMER = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
                Thread t = new Thread(task, "tether-nio-write-timer");
                t.setDaemon(true);
                return t;
            });
            // A queue that drains in time cancels its check: drop it now, not when it would fire.
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }
    }

    static ScheduledFuture<?> after(long nanos, Runnable task) {
        return Holder.TIMER.schedule(task, Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }
}
