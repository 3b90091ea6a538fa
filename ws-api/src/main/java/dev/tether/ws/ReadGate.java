package dev.tether.ws;

import dev.tether.ws.spi.Connection;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Backpressure without blocking the reader: once what was read is more than the consumers (the
 * {@code recv} queue, the MESSAGE handler) hold, the connection stops reading until they catch
 * up, and TCP's window pushes back on the server. The reader never waits, which matters because
 * on the NIO transport it is an event loop serving other connections too.
 *
 * <p>What is in flight when the reader pauses is still delivered: the consumers may hold up to
 * one read buffer and one message more than their bound, never more.
 *
 * <p>The pause and the resume race: the reader may find the consumers behind just as they catch
 * up. {@link #afterRead} looks again after pausing and {@link #relieved} only acts on a pause it
 * sees, so one of the two always resumes a pause that is no longer needed. Pausing and resuming
 * happen under one lock, so the connection sees them in the order they were decided.
 */
final class ReadGate {
    private final BooleanSupplier behind;
    private final ReentrantLock lock = new ReentrantLock();
    /** Written under lock; read without it on the consumers' fast path. */
    private volatile boolean paused;
    /** Set once, before reading starts. */
    private volatile Connection connection;

    /** @param behind true while the consumers hold more than they should */
    ReadGate(BooleanSupplier behind) {
        this.behind = behind;
    }

    void attach(Connection connection) {
        this.connection = connection;
    }

    /** True while reading is paused for the consumers (the link is not silent then, only held). */
    boolean paused() {
        return paused;
    }

    /** The reader, after each delivery: pause if the consumers are behind. Never blocks for long. */
    void afterRead() {
        if (!behind.getAsBoolean()) {
            return;
        }
        lock.lock();
        try {
            Connection c = connection;
            if (paused || c == null) {
                return;
            }
            paused = true;
            c.pauseReading();
            // A consumer that caught up between the first look and the pause saw no pause to lift.
            if (!behind.getAsBoolean()) {
                paused = false;
                c.resumeReading();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A consumer took or handled a message: read again if they have caught up. */
    void relieved() {
        if (!paused) {
            return;
        }
        lock.lock();
        try {
            if (paused && !behind.getAsBoolean()) {
                paused = false;
                connection.resumeReading();
            }
        } finally {
            lock.unlock();
        }
    }
}
