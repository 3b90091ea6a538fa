package dev.tether.ws.transport.blocking;

import dev.tether.ws.internal.DaemonTimer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long a blocking socket write may wait for the peer. A socket has no write timeout
 * (SO_TIMEOUT applies to reads only), so a write to a peer that stopped reading blocks once
 * both TCP buffers are full; the only way to end it is to close the socket from elsewhere.
 *
 * <p>One daemon thread serves every connection of every {@link BlockingTransport} instance
 * (ServiceLoader makes a new instance per lookup, so the thread cannot live in one). Its tasks
 * only close sockets, which does not block.
 */
final class WriteWatchdog {
    private WriteWatchdog() {
    }

    /** Started on the first write with a timeout. */
    private static final class Holder {
        private static final ScheduledThreadPoolExecutor TIMER = DaemonTimer.create("tether-write-watchdog");
    }

    static ScheduledFuture<?> after(long millis, Runnable task) {
        return Holder.TIMER.schedule(task, millis, TimeUnit.MILLISECONDS);
    }
}
