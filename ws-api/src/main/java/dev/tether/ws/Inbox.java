package dev.tether.ws;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The messages waiting for {@link WebSocket#recv()} (and for {@code start}'s {@code proc}, which
 * reads through it). Bounded in bytes: when full, the connection stops reading until there is
 * room ({@link ReadGate}), which pushes back on the server through TCP instead of dropping
 * anything.
 *
 * <p>When a connection ends, what it delivered stays queued: {@code take} hands out every
 * complete message before it reports the close (a flaw of the seed's {@code recv}, fixed).
 *
 * <p>Who is served: every message is queued. While a {@link Event#MESSAGE} handler is registered
 * and neither {@code recv} nor {@code start} has been called yet, the handler has already had each
 * message and nobody may ever ask for them again: then only the most recent message is kept, so
 * that the seed's "on message, sendFrame, recv" still finds its reply. Keeping more (the last MiB
 * of each connection, until 2026-12-04) bought nothing a program could rely on, as a recv would
 * then get the oldest of them, and cost an event-driven program with many connections both the
 * memory and the collections: every message outlived a young collection, and with 1,000
 * connections pushed 20 messages/s each the pauses set the delivery delay's p99.
 */
final class Inbox {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final long maxBytes;
    private final Runnable relief;
    // All guarded by lock.
    /**
     * Made for the first message (kept after: a consumer of many messages must not make one per
     * message), so a connection that never received holds none; most never hold more than a
     * message or two.
     */
    private ArrayDeque<Message> queue;
    private long queuedBytes;
    /** Why no more messages will come until the next connection; null while one is open. */
    private Throwable ended = new IOException("not connected: call connect() first");
    /**
     * The connection that opened last, until it ends. An end is told by the connection that
     * ends, whenever that is: a newer connect() may already have replaced it (and failed), and
     * a {@code take} waiting since must still wake; an end that comes after a newer connection
     * opened is old news and must not cut that one's messages short.
     */
    private Object current;
    private boolean consumerSeen;
    /** The last put kept only the most recent message: the handler is the only consumer. */
    private boolean trimming;

    long queuedBytes() {
        lock.lock();
        try {
            return queuedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** @param relief called after each {@code take}, to let a paused reader go on */
    Inbox(long maxBytes, Runnable relief) {
        this.maxBytes = maxBytes;
        this.relief = relief;
    }

    /**
     * Queues a message; never waits (the reader may be an event loop). When the queue holds more
     * than its bound, {@link #behind} says so and the reader stops reading until {@code take}
     * makes room ({@link ReadGate}).
     */
    void put(Message m, boolean handlerRegistered) {
        lock.lock();
        try {
            if (queue == null) {
                queue = new ArrayDeque<>(4);
            }
            queue.add(m);
            queuedBytes += m.size();
            trimming = !consumerSeen && handlerRegistered;
            if (trimming) {
                while (queue.size() > 1) {
                    queuedBytes -= queue.poll().size();  // the handler had it; nobody asked for it
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * True when a message should be queued: no handler had it, or {@code recv} or {@code start}
     * has asked for messages. (Lent messages are only copied for the queue when this holds.)
     */
    boolean wants(boolean handlerRegistered) {
        lock.lock();
        try {
            return !handlerRegistered || consumerSeen;
        } finally {
            lock.unlock();
        }
    }

    /** Holds lock. */
    private boolean isEmpty() {
        return queue == null || queue.isEmpty();
    }

    /** True while more is queued than the bound: the reader should pause. */
    boolean behind() {
        lock.lock();
        try {
            // While trimming, nobody takes: the queue keeps itself small and must not hold the reader.
            return !trimming && queuedBytes > 0 && queuedBytes >= maxBytes;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next message; or, when none is queued, why none will come (the connection ended), or a
     * timeout. {@code timeoutNanos < 0} waits without limit.
     */
    Received take(long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            consumerSeen = true;
            trimming = false;
            long left = timeoutNanos;
            while (isEmpty() && ended == null) {
                if (timeoutNanos < 0) {
                    changed.await();
                } else if (left <= 0) {
                    return Received.failed(new TimeoutException("no message within "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
                } else {
                    left = changed.awaitNanos(left);
                }
            }
            Message m = queue == null ? null : queue.poll();
            if (m == null) {
                return Received.failed(ended);
            }
            queuedBytes -= m.size();
            return Received.of(m);
        } finally {
            lock.unlock();
            relief.run();  // outside the lock: the gate takes its own
        }
    }

    /** From now on, {@code recv} or {@code start} consumes: queue every message. */
    void consumerSeen() {
        lock.lock();
        try {
            consumerSeen = true;
            trimming = false;
        } finally {
            lock.unlock();
        }
    }

    /** {@code connection} opened: messages will come. */
    void opened(Object connection) {
        lock.lock();
        try {
            current = connection;
            ended = null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code connection}, which opened, ended: unless a newer one opened since, once the queue is
     * drained {@code take} reports {@code why}.
     */
    void ended(Object connection, Throwable why) {
        lock.lock();
        try {
            if (connection != current) {
                return;
            }
            current = null;
            ended = why;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

}
