package dev.tether.ws;

import dev.tether.ws.codec.FrameWriter;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Buffers in which frames are assembled and masked on their way to the transport, lent for one
 * frame and returned. A connection holds none while idle: ten thousand idle connections must
 * not each keep 64 KiB.
 */
final class WriteBuffers {
    /** Frames larger than this are masked and written in pieces of this size. */
    static final int CHUNK = 64 * 1024;
    static final int SIZE = FrameWriter.MAX_HEADER_SIZE + CHUNK;
    /** Kept for reuse at most; more in use at once are allocated and left to the collector. */
    private static final int MAX_POOLED = 64;

    private static final ConcurrentLinkedQueue<ByteBuffer> FREE = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger POOLED = new AtomicInteger();

    private WriteBuffers() {
    }

    static ByteBuffer take() {
        ByteBuffer b = FREE.poll();
        if (b == null) {
            return ByteBuffer.allocate(SIZE);
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
