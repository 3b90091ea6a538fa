package dev.tether.ws;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keep-alive for one connection: a ping every {@code interval}, and a dead link declared when
 * nothing at all arrives within {@code pongTimeout} of a ping (RFC 6455 section 5.5.2: a pong,
 * or any other frame, shows the peer is there). A reader held back by a slow consumer does not
 * count as silence. The ping and the verdict run on virtual threads: the shared timer thread only
 * starts them.
 */
final class KeepAlive {
    private final Session session;
    private final long intervalNanos;
    private final long pongTimeoutNanos;
    /** The next ping and the pending pong check; replaced by the timer threads, cancelled by stop. */
    private volatile ScheduledFuture<?> nextPing;
    private volatile ScheduledFuture<?> pongCheck;
    private volatile boolean stopped;

    KeepAlive(Session session, Duration interval, Duration pongTimeout) {
        this.session = session;
        this.intervalNanos = interval.toNanos();
        this.pongTimeoutNanos = pongTimeout.toNanos();
    }

    void start() {
        nextPing = Timers.afterOnVirtualThread(intervalNanos, this::ping);
        stopIfStopped();
    }

    /** Idempotent; no timer of this connection fires afterwards (a running one finds it stopped). */
    void stop() {
        stopped = true;
        cancel(nextPing);
        cancel(pongCheck);
    }

    private void ping() {
        if (stopped) {
            return;
        }
        long sentAt = System.nanoTime();
        if (!session.sendPing()) {
            return;  // closing or over
        }
        pongCheck = Timers.afterOnVirtualThread(pongTimeoutNanos, () -> checkPong(sentAt));
        nextPing = Timers.afterOnVirtualThread(intervalNanos, this::ping);
        stopIfStopped();
    }

    private void checkPong(long sentAt) {
        if (!stopped && session.silentSince(sentAt)) {
            String why = "no pong or other frame within " + TimeUnit.NANOSECONDS.toMillis(pongTimeoutNanos)
                    + " ms of a ping: the link is dead";
            session.abort(dev.tether.ws.codec.CloseCodes.ABNORMAL, why, new TimeoutException(why));
        }
    }

    /** A timer armed just as stop() ran is cancelled here, so that none outlives the connection. */
    private void stopIfStopped() {
        if (stopped) {
            cancel(nextPing);
            cancel(pongCheck);
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
