package dev.tether.ws;

import dev.tether.ws.codec.Opcodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One received message as an {@link InputStream}, filled by the connection's reader while the
 * {@link StreamHandler} reads it. It holds at most about {@code bound} bytes: beyond that the
 * connection stops reading (as for a slow {@code recv}, see {@link ReadGate}) until the handler
 * has read some, so a message of any size passes through a small buffer.
 *
 * <p>Threads: the reader calls {@link #push}, {@link #end} and {@link #fail}, never waiting; the
 * handler reads. {@link #close} (also done when the handler returns) discards what is left.
 */
public final class MessageStream extends InputStream {
    private final int opcode;
    private final long bound;
    /** Called when the stream drops below half its bound after having been full. */
    private final Runnable relief;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    /** Guarded by lock: chunks not read yet, oldest first; the head may be partly read. */
    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
    /** Guarded by lock; volatile for the reader's look at {@link #behind}. */
    private volatile long queued;
    /** Guarded by lock: the whole message arrived. */
    private boolean complete;
    /** Guarded by lock: why the message will never be complete, or null. */
    private IOException failure;
    /** Guarded by lock: the handler is done with it; what arrives is dropped. */
    private boolean closed;

    MessageStream(int opcode, long bound, Runnable relief) {
        this.opcode = opcode;
        this.bound = bound;
        this.relief = relief;
    }

    /** {@link Opcode#TEXT} or {@link Opcode#BINARY}. */
    public int opcode() {
        return opcode;
    }

    /** True for a text message: its bytes are valid UTF-8 (checked as they arrive). */
    public boolean isText() {
        return opcode == Opcodes.TEXT;
    }

    // ---- The reader's side ------------------------------------------------------------------

    /** Copies {@code chunk} (valid only during the call) in; dropped once the handler closed. */
    void push(ByteBuffer chunk) {
        if (!chunk.hasRemaining()) {
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(chunk.remaining()).put(chunk).flip();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            chunks.addLast(copy);
            queued += copy.remaining();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void end() {
        lock.lock();
        try {
            complete = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The connection ended before the message did. */
    void fail(int code, String reason) {
        lock.lock();
        try {
            if (!complete && failure == null) {
                failure = new IOException("the connection ended before the message did: " + code
                        + (reason.isEmpty() ? "" : " " + reason));
                arrived.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** True while it holds its bound or more: the reader pauses. */
    boolean behind() {
        return queued >= bound;
    }

    // ---- The handler's side -----------------------------------------------------------------

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    /**
     * Waits until bytes arrive, the message ends (-1) or the connection ends (an
     * {@link IOException} with its close code). The keep-alive bounds the wait on a dead link.
     */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        boolean relieve = false;
        int n;
        lock.lock();
        try {
            while (chunks.isEmpty()) {
                if (closed) {
                    throw new IOException("stream closed");
                }
                if (complete) {
                    return -1;
                }
                if (failure != null) {
                    throw new IOException(failure.getMessage(), failure);
                }
                arrived.await();
            }
            ByteBuffer head = chunks.peekFirst();
            n = Math.min(len, head.remaining());
            head.get(b, off, n);
            if (!head.hasRemaining()) {
                chunks.removeFirst();
            }
            relieve = queued >= bound / 2 && queued - n < bound / 2;
            queued -= n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading a message stream");
        } finally {
            lock.unlock();
        }
        if (relieve) {
            relief.run();
        }
        return n;
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, queued);
        } finally {
            lock.unlock();
        }
    }

    /** Discards what is unread and what is still to come of this message. */
    @Override
    public void close() {
        boolean relieve;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            relieve = queued >= bound / 2;
            chunks.clear();
            queued = 0;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        if (relieve) {
            relief.run();
        }
    }
}
