package dev.tether.ws.spi;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets the engine call off a connect that is still in progress: a {@code close()} or
 * {@code exit()} while DNS, the TCP connect or the TLS handshake runs. A transport registers
 * what it opens ({@link #closeOnAbort}) and lets go of it once the connection is handed to the
 * engine ({@link #release}); {@link #abort} closes everything still registered at once, which
 * ends a blocked connect or handshake with an exception, so nothing opened is left behind.
 * Thread-safe.
 */
public final class ConnectAbort {
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private final List<Closeable> open = new ArrayList<>(2);
    /** Guarded by lock; set once. */
    private String reason;

    /** Closes everything registered, now and from now on. Idempotent; never blocks on I/O. */
    public void abort(String why) {
        List<Closeable> toClose;
        lock.lock();
        try {
            if (reason != null) {
                return;
            }
            reason = why;
            toClose = new ArrayList<>(open);
            open.clear();
        } finally {
            lock.unlock();
        }
        toClose.forEach(ConnectAbort::closeQuietly);
    }

    public boolean aborted() {
        lock.lock();
        try {
            return reason != null;
        } finally {
            lock.unlock();
        }
    }

    /** @throws InterruptedIOException naming why, if the connect was called off */
    public void check() throws InterruptedIOException {
        lock.lock();
        try {
            if (reason != null) {
                throw new InterruptedIOException("connect called off: " + reason);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Registers {@code c} to be closed if the connect is called off; if it already was, closes
     * {@code c} now and throws.
     */
    public void closeOnAbort(Closeable c) throws InterruptedIOException {
        lock.lock();
        try {
            if (reason == null) {
                open.add(c);
                return;
            }
        } finally {
            lock.unlock();
        }
        closeQuietly(c);
        check();
    }

    /** {@code c} is no longer this connect's to close: it was closed, or handed on. */
    public void release(Closeable c) {
        lock.lock();
        try {
            open.remove(c);
        } finally {
            lock.unlock();
        }
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // Being abandoned: nothing more to do with it.
        }
    }
}
