package dev.tether.ws.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Buffers lent for one operation (a read, a frame being written) and returned: a connection
 * holds none while idle, which is what lets one process keep many thousands of connections in
 * little memory, and a busy process reuses the same few. Thread-safe and lock-free.
 *
 * <p>The idle buffers sit in a fixed array of slots, not a linked queue: taking and giving back
 * happen for every frame written and every read, and a queue node per give was garbage per
 * message. Both scan from the first slot, so the few buffers a process keeps cycling stay in the
 * first slots and are found at once; a scan of the whole array happens only when the pool is
 * empty (a new buffer is made then, which costs far more) or full (the buffer is dropped).
 */
public final class BufferPool {
    private final int size;
    private final boolean direct;
    /** Idle buffers; null slots are free. */
    private final AtomicReferenceArray<ByteBuffer> slots;

    /**
     * @param size bytes per buffer
     * @param direct direct buffers (for channel I/O) or heap buffers
     * @param maxPooled idle buffers kept for reuse at most; more are left to the collector
     */
    public BufferPool(int size, boolean direct, int maxPooled) {
        this.size = size;
        this.direct = direct;
        this.slots = new AtomicReferenceArray<>(maxPooled);
    }

    /** A cleared buffer of {@link #size()} bytes. */
    public ByteBuffer take() {
        for (int i = 0, n = slots.length(); i < n; i++) {
            ByteBuffer b = slots.get(i);
            if (b != null && slots.compareAndSet(i, b, null)) {
                return b.clear();
            }
        }
        return direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
    }

    /** Returns a buffer taken from this pool; the caller must not use it afterwards. */
    public void give(ByteBuffer b) {
        for (int i = 0, n = slots.length(); i < n; i++) {
            if (slots.get(i) == null && slots.compareAndSet(i, null, b)) {
                return;
            }
        }
        // Full: left to the collector.
    }

    public int size() {
        return size;
    }
}
