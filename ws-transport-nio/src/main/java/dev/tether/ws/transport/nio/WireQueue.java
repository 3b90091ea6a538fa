package dev.tether.ws.transport.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;

/**
 * A connection's queue of buffers waiting for the socket, each with the time it was queued, in
 * two parallel arrays: the live part is one run that a gathering write takes as it is, and adding
 * or removing makes no object (no node or record per queued write, no array per gathering write).
 * Not thread-safe: its connection guards it with its write lock.
 */
final class WireQueue {
    // One entry at first, doubled as needed: a connection keeps its queue once it has queued a
    // write, and most only ever queue one buffer at a time.
    private ByteBuffer[] buffers = new ByteBuffer[1];
    /** System.nanoTime when each buffer was queued. */
    private long[] queuedAt = new long[1];
    /** The live entries are [head, end). */
    private int head;
    private int end;
    /** A queued buffer that is its writer's, not the queue's (see {@link #lend}); else null. */
    private ByteBuffer lent;

    boolean isEmpty() {
        return head == end;
    }

    void add(ByteBuffer b, long at) {
        if (end == buffers.length) {
            makeRoom();
        }
        buffers[end] = b;
        queuedAt[end] = at;
        end++;
    }

    /**
     * Queues a buffer that stays its writer's: whoever drops it must not give it to a pool. One
     * at a time; {@link #endLoan} once it has left the queue.
     */
    void lend(ByteBuffer b, long at) {
        add(b, at);
        lent = b;
    }

    /** Whether a buffer may be lent now: none is. */
    boolean canLend() {
        return lent == null;
    }

    /** Whether {@code b} is the writer's buffer (lent), not one of the queue's own. */
    boolean isLent(ByteBuffer b) {
        return b == lent;
    }

    void endLoan() {
        lent = null;
    }

    /** Moves the live run to the front, or doubles the arrays when it fills them. */
    private void makeRoom() {
        int n = end - head;
        if (head > 0) {
            System.arraycopy(buffers, head, buffers, 0, n);
            System.arraycopy(queuedAt, head, queuedAt, 0, n);
            Arrays.fill(buffers, n, end, null);
        } else {
            buffers = Arrays.copyOf(buffers, 2 * buffers.length);
            queuedAt = Arrays.copyOf(queuedAt, 2 * queuedAt.length);
        }
        head = 0;
        end = n;
    }

    /** The newest buffer; null when empty. */
    ByteBuffer last() {
        return isEmpty() ? null : buffers[end - 1];
    }

    /** When the oldest buffer was queued; only when not empty. */
    long oldestAt() {
        return queuedAt[head];
    }

    /** One gathering write of everything queued, as far as the channel takes it. */
    long writeTo(GatheringByteChannel channel) throws IOException {
        return channel.write(buffers, head, end - head);
    }

    /** Removes and returns the oldest buffer if the socket has taken all of it; else null. */
    ByteBuffer pollWritten() {
        if (isEmpty() || buffers[head].hasRemaining()) {
            return null;
        }
        return poll();
    }

    /** Removes and returns the oldest buffer; null when empty. */
    ByteBuffer poll() {
        if (isEmpty()) {
            return null;
        }
        ByteBuffer b = buffers[head];
        buffers[head] = null;  // the queue must not keep a pooled buffer it gave back
        head++;
        if (head == end) {
            head = 0;
            end = 0;
        }
        return b;
    }
}
