package dev.tether.ws.internal;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The one way Tether makes a timer thread: a single daemon platform thread per purpose, shared by
 * every connection in the JVM (no thread or {@code java.util.Timer} per connection), whose
 * cancelled tasks leave the queue at once, so that a timer cancelled because its connection
 * ended does not keep that connection reachable until it would have fired. Tasks run on it must
 * not block: whatever may wait goes to a virtual thread.
 */
public final class DaemonTimer {
    private DaemonTimer() {
    }

    public static ScheduledThreadPoolExecutor create(String threadName) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, threadName);
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
