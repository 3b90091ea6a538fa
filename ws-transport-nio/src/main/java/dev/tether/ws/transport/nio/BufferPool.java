package dev.tether.ws.transport.nio;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct read buffers lent to a connection for one read and its processing, then returned. An idle
 * connection holds none, which is what lets one loop keep thousands of connections in little
 * memory; a busy JVM reuses the same few instead of allocating one per read.
 */
final class BufferPool {
    static final int BUFFER_SIZE = 64 * 1024;
    /** Kept for reuse at most; the rest are left to the garbage collector. */
    private static final int MAX_POOLED = 64;

    private static final ConcurrentLinkedQueue<ByteBuffer> FREE = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger POOLED = new AtomicInteger();

    private BufferPool() {
    }

    static ByteBuffer take() {
        ByteBuffer b = FREE.poll();
        if (b == null) {
            return ByteBuffer.allocateDirect(BUFFER_SIZE);
        }
        POOLED.decrementAndGet();
        return b.clear();
    }

    static void give(ByteBuffer b) {
        if (POOLED.incrementAndGet() <= MAX_POOLED) {
            FREE.add(b);
        } else {
            POOLED.decrementAndGet();
        }
    }
}
