package dev.tether.ws;

import dev.tether.ws.codec.CloseCodes;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keep-alive for one connection: a ping every {@code interval}, and a dead link declared when
 * nothing at all arrives within {@code pongTimeout} of the oldest ping not yet followed by a read
 * (RFC 6455 section 5.5.2: a pong, or any other frame, shows the peer is there). A reader held
 * back by a slow consumer does not count as silence.
 *
 * <p>At most two timers at a time, the next ping and one pong check, both cancelled by
 * {@link #stop}: a pong timeout longer than the ping interval does not pile up one pending check
 * per ping, and no timer keeps an ended connection reachable. Their work runs on virtual threads;
 * the shared timer thread only starts it.
 */
final class KeepAlive {
    private final Session session;
    private final long intervalNanos;
    private final long pongTimeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    // All guarded by lock.
    private ScheduledFuture<?> nextPing;
    private ScheduledFuture<?> pongCheck;
    /** A ping is out that no read has followed yet; sent at {@link #oldestUnanswered}. */
    private boolean awaiting;
    private long oldestUnanswered;
    private boolean stopped;

    KeepAlive(Session session, Duration interval, Duration pongTimeout) {
        this.session = session;
        this.intervalNanos = interval.toNanos();
        this.pongTimeoutNanos = pongTimeout.toNanos();
    }

    void start() {
        lock.lock();
        try {
            if (!stopped) {
                nextPing = Timers.afterOnVirtualThread(intervalNanos, this::ping);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Idempotent; no timer of this connection fires afterwards. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            cancel(nextPing);
            cancel(pongCheck);
        } finally {
            lock.unlock();
        }
    }

    private void ping() {
        long sentAt = System.nanoTime();
        if (!session.sendPing()) {  // outside the lock: a send may wait for the write lock
            return;  // closing or over
        }
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            if (!awaiting || session.readSince(oldestUnanswered)) {
                awaiting = true;
                oldestUnanswered = sentAt;
            }
            if (pongCheck == null) {
                pongCheck = Timers.afterOnVirtualThread(oldestUnanswered + pongTimeoutNanos - System.nanoTime(),
                        this::checkPong);
            }
            nextPing = Timers.afterOnVirtualThread(intervalNanos, this::ping);
        } finally {
            lock.unlock();
        }
    }

    private void checkPong() {
        lock.lock();
        try {
            pongCheck = null;
            if (stopped || !awaiting) {
                return;
            }
            if (!session.silentSince(oldestUnanswered)) {
                awaiting = false;  // answered (or the reader is busy): the next ping arms a new check
                return;
            }
        } finally {
            lock.unlock();
        }
        String why = "no pong or other frame within " + TimeUnit.NANOSECONDS.toMillis(pongTimeoutNanos)
                + " ms of a ping: the link is dead";
        session.abort(CloseCodes.ABNORMAL, why, new TimeoutException(why));  // outside the lock: it ends the session
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
