package dev.tether.ws.transport.nio;

import dev.tether.ws.internal.BufferPool;

/**
 * Direct read buffers lent to a connection for one read and its processing: an idle connection
 * holds none, which is what lets one loop keep thousands of connections in little memory.
 */
final class ReadBuffers {
    static final BufferPool POOL = new BufferPool(64 * 1024, true, 64);

    private ReadBuffers() {
    }
}
