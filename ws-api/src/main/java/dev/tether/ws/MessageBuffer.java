package dev.tether.ws;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Joins one message's payload chunks. The decoder has already bounded the message size, so the
 * array only grows as far as the configured limit. Between messages it keeps at most a small
 * array, so an idle connection holds next to nothing. Owned by the connection's reader.
 */
final class MessageBuffer {
    private static final byte[] EMPTY = new byte[0];
    /** Kept between messages; larger arrays are handed over or dropped. */
    private static final int KEEP = 1024;

    private byte[] data = EMPTY;
    private int size;
    private int opcode;

    void start(int opcode) {
        this.opcode = opcode;
        size = 0;
    }

    void append(ByteBuffer chunk) {
        int n = chunk.remaining();
        if (size + n > data.length) {
            data = Arrays.copyOf(data, Math.max(Math.max(size + n, 256), (int) Math.min(Integer.MAX_VALUE - 8, 2L * data.length)));
        }
        chunk.get(data, size, n);
        size += n;
    }

    /** The finished message: an exactly filled array is handed over, otherwise copied. */
    Message finish() {
        byte[] payload;
        if (size == data.length) {
            payload = data;
            data = EMPTY;
        } else {
            payload = Arrays.copyOf(data, size);
            if (data.length > KEEP) {
                data = EMPTY;  // do not pin a large array between large messages
            }
        }
        size = 0;
        return Message.wrap(opcode, payload);
    }
}
