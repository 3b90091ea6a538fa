package dev.tether.ws.transport.blocking;

import dev.tether.ws.internal.DaemonTimer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long one blocking socket write may wait for the peer. A socket has no write
 * timeout (SO_TIMEOUT applies to reads only), so a write to a peer that stopped reading blocks
 * once both TCP buffers are full; the only way to end it is to close the socket from elsewhere.
 *
 * <p>One per connection, and lazy: a write only records when it began. The timer is armed by
 * the first write and, when it fires, looks at the write in flight then: one overdue is timed
 * out, one still in time gets the timer again for what it has left, and with none in flight the
 * timer stays off until the next write. So a connection writing thousands of frames a second
 * sets one timer per timeout period, not one per frame, and an idle connection none.
 *
 * <p>The write and the timer race for the write's ticket: whoever takes it first decides, so a
 * write either completes in time or fails as timed out, never both.
 *
 * <p>One daemon thread serves every connection of every {@link BlockingTransport} instance
 * (ServiceLoader makes a new instance per lookup, so the thread cannot live in one). Its tasks
 * only close sockets, which does not block.
 */
final class WriteWatchdog {
    /** No write in flight. Tickets are odd, so neither state is ever a ticket. */
    private static final long IDLE = 0;
    /** The write in flight was timed out and {@code onTimeout} ran; the watchdog is done. */
    private static final long TIMED_OUT = 2;

    private static final VarHandle IN_FLIGHT;
    private static final VarHandle ARMED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            IN_FLIGHT = lookup.findVarHandle(WriteWatchdog.class, "inFlight", long.class);
            ARMED = lookup.findVarHandle(WriteWatchdog.class, "armed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Started on the first write with a timeout. */
    private static final class Holder {
        private static final ScheduledThreadPoolExecutor TIMER = DaemonTimer.create("tether-write-watchdog");
    }

    private final long timeoutNanos;
    private final Runnable onTimeout;
    /** {@link #IDLE}, {@link #TIMED_OUT}, or the ticket of the write in flight: its start, odd. */
    private volatile long inFlight;
    /** Whether a timer task is scheduled or running; whoever sets it schedules one. */
    private volatile boolean armed;
    private volatile boolean stopped;
    /** The task last scheduled, for {@link #stop()}. */
    private volatile ScheduledFuture<?> timer;

    /**
     * @param onTimeout closes the connection; runs on the timer thread, at most once, and must
     *     not block
     */
    WriteWatchdog(long timeoutMillis, Runnable onTimeout) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.onTimeout = onTimeout;
    }

    /** Runs {@code task} on the watchdog's thread after {@code millis}: a one-off bound. */
    static ScheduledFuture<?> after(long millis, Runnable task) {
        return Holder.TIMER.schedule(task, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * A write begins; writes are serialised by the caller.
     *
     * @return the write's ticket, for {@link #end}
     */
    long begin() {
        long ticket = System.nanoTime() | 1;
        inFlight = ticket;
        // After the store: a timer that disarms itself re-reads inFlight afterwards, so one of
        // the two sees the other and the write is never left without a timer.
        if (!armed && ARMED.compareAndSet(this, false, true)) {
            schedule(timeoutNanos);
        }
        return ticket;
    }

    /**
     * The write with {@code ticket} ended, in success or failure.
     *
     * @return false if the watchdog had already timed it out (and closed the connection)
     */
    boolean end(long ticket) {
        return IN_FLIGHT.compareAndSet(this, ticket, IDLE);
    }

    /** The connection is over: cancels the timer, and no write is timed out from now on. */
    void stop() {
        stopped = true;
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }

    /** Whether a timer task is scheduled and not cancelled: for tests. */
    boolean timerPending() {
        ScheduledFuture<?> t = timer;
        return t != null && !t.isDone();
    }

    private void schedule(long delayNanos) {
        ScheduledFuture<?> t = Holder.TIMER.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
        timer = t;
        if (stopped) {
            t.cancel(false);  // stop() may have read the previous task
        }
    }

    /** The timer fired. */
    private void check() {
        while (!stopped) {
            long ticket = inFlight;
            if (ticket == TIMED_OUT) {
                return;
            }
            if (ticket == IDLE) {
                armed = false;
                if (inFlight == IDLE || !ARMED.compareAndSet(this, false, true)) {
                    return;  // off until the next write, or a write that began just now armed it
                }
                continue;  // a write began as the timer went off; this task still serves it
            }
            long left = ticket + timeoutNanos - System.nanoTime();
            if (left > 0) {
                schedule(left);
                return;
            }
            if (IN_FLIGHT.compareAndSet(this, ticket, TIMED_OUT)) {
                onTimeout.run();
                return;
            }
            // The write ended (and maybe another began) just now: look again.
        }
    }
}
