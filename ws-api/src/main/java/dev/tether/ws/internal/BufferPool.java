package dev.tether.ws.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Buffers lent for one operation (a read, a frame being written) and returned: a connection
 * holds none while idle, which is what lets one process keep many thousands of connections in
 * little memory, and a busy process reuses the same few. Thread-safe.
 */
public final class BufferPool {
    private final int size;
    private final boolean direct;
    private final int maxPooled;
    private final ConcurrentLinkedQueue<ByteBuffer> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    /**
     * @param size bytes per buffer
     * @param direct direct buffers (for channel I/O) or heap buffers
     * @param maxPooled idle buffers kept for reuse at most; more are left to the collector
     */
    public BufferPool(int size, boolean direct, int maxPooled) {
        this.size = size;
        this.direct = direct;
        this.maxPooled = maxPooled;
    }

    /** A cleared buffer of {@link #size()} bytes. */
    public ByteBuffer take() {
        ByteBuffer b = free.poll();
        if (b == null) {
            return direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        }
        pooled.decrementAndGet();
        return b.clear();
    }

    /** Returns a buffer taken from this pool; the caller must not use it afterwards. */
    public void give(ByteBuffer b) {
        if (pooled.incrementAndGet() <= maxPooled) {
            free.add(b);
        } else {
            pooled.decrementAndGet();
        }
    }

    public int size() {
        return size;
    }
}
