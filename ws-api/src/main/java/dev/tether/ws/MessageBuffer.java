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
    /** The message's size when its first frame told it, else -1. */
    private int expected;

    /** @param expected the message's size when its first frame told it, else -1 */
    void start(long expected) {
        this.expected = (int) Math.min(expected, Integer.MAX_VALUE - 8);
        size = 0;
    }

    void append(ByteBuffer chunk) {
        int n = chunk.remaining();
        if (size + n > data.length) {
            data = Arrays.copyOf(data, grownLength(size + n));
        }
        chunk.get(data, size, n);
        size += n;
    }

    /**
     * Without a told size, doubling, so that joining costs a copy per byte at most. With one,
     * straight to at most 32 times what has arrived, never past the told size: a 1 MiB message
     * whose first read brought 64 KiB of it goes into its exact array at once, which is then
     * handed over without a copy (at 16 times, that first array fell a few bytes short of 1 MiB,
     * and a second one was made). Not to the told size at once: a header alone must not make the
     * client allocate up to its limit (64 MiB by default); the array stays within 32 times the
     * bytes the peer has sent.
     */
    private int grownLength(int needed) {
        if (expected >= needed) {
            return (int) Math.min(expected, 32L * needed);
        }
        return (int) Math.max(Math.max(needed, 256), Math.min(Integer.MAX_VALUE - 8, 2L * data.length));
    }

    /** The array's length (for tests). */
    int capacity() {
        return data.length;
    }

    /** The finished message: an exactly filled array is handed over, otherwise copied. */
    Message finish(int opcode) {
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
