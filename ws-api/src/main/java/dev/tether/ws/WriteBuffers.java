package dev.tether.ws;

import dev.tether.ws.codec.FrameWriter;
import dev.tether.ws.internal.BufferPool;

/**
 * The buffers in which frames are assembled and masked on their way to the transport, lent for
 * one frame: ten thousand idle connections must not each keep 64 KiB.
 */
final class WriteBuffers {
    /** Frames larger than this are masked and written in pieces of this size. */
    static final int CHUNK = 64 * 1024;
    static final BufferPool POOL = new BufferPool(FrameWriter.MAX_HEADER_SIZE + CHUNK, false, 64);

    private WriteBuffers() {
    }
}
