package dev.tether.ws;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Joins one message's payload chunks. The decoder has already bounded the message size, so the
 * array only grows as far as the configured limit. Owned by the connection's reader.
 */
final class MessageBuffer {
    private static final int INITIAL = 4096;

    private byte[] data = new byte[INITIAL];
    private int size;
    private int opcode;

    void start(int opcode) {
        this.opcode = opcode;
        size = 0;
    }

    void append(ByteBuffer chunk) {
        int n = chunk.remaining();
        if (size + n > data.length) {
            data = Arrays.copyOf(data, Math.max(size + n, (int) Math.min(Integer.MAX_VALUE - 8, 2L * data.length)));
        }
        chunk.get(data, size, n);
        size += n;
    }

    /** The finished message; a large array is handed over, a small one copied and kept for reuse. */
    Message finish() {
        byte[] payload;
        if (data.length > INITIAL && size == data.length) {
            payload = data;
            data = new byte[INITIAL];
        } else {
            payload = Arrays.copyOf(data, size);
            if (data.length > 16 * INITIAL) {
                data = new byte[INITIAL];  // do not pin a large array between large messages
            }
        }
        size = 0;
        return Message.wrap(opcode, payload);
    }
}
