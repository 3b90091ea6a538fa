package dev.tether.ws.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fuzzer's bytes, read front to back: a few header fields chosen by each target, then the
 * payload. A header field past the end reads as 0, so any input is a valid one, and a seed is
 * written by hand as header bytes followed by the payload (the layouts are in README.md).
 *
 * <p>Most targets end their header with a list of chunk sizes, {@link #cuts()}: the payload is
 * fed in pieces of those sizes, cycled, so the fuzzer chooses every split point, including
 * empty pieces. Pieces are copies, laid out as a transport might hand them over
 * ({@link #piece}). Owned by the fuzzing thread, one per input.
 */
final class FuzzInput {
    /** How a piece of input is presented: the ways a transport's buffers differ. */
    enum Shape { HEAP_AT_OFFSET, HEAP_SLICE, DIRECT, DIRECT_LITTLE_ENDIAN }

    private final byte[] data;
    private int pos;

    FuzzInput(byte[] data) {
        this.data = data;
    }

    int u8() {
        return pos < data.length ? data[pos++] & 0xFF : 0;
    }

    int u16() {
        return u8() << 8 | u8();
    }

    int s32() {
        return u16() << 16 | u16();
    }

    long s64() {
        return (long) s32() << 32 | (s32() & 0xFFFF_FFFFL);
    }

    /** A count byte, then that many chunk sizes of one byte each; empty means "one piece". */
    int[] cuts() {
        int n = u8();
        int[] sizes = new int[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = u8();
        }
        return sizes;
    }

    /** Everything after the header. */
    byte[] rest() {
        return Arrays.copyOfRange(data, Math.min(pos, data.length), data.length);
    }

    /**
     * {@code payload} cut into pieces of {@code sizes} (cycled; all of it in one piece when the
     * list is empty or all zero), each a fresh buffer of the given shape.
     */
    static List<ByteBuffer> split(byte[] payload, int[] sizes, Shape shape) {
        List<ByteBuffer> pieces = new ArrayList<>();
        boolean progress = Arrays.stream(sizes).anyMatch(s -> s > 0);
        if (!progress) {
            pieces.add(piece(payload, 0, payload.length, shape));
            return pieces;
        }
        int off = 0;
        for (int i = 0; off < payload.length; i = (i + 1) % sizes.length) {
            int n = Math.min(sizes[i], payload.length - off);
            pieces.add(piece(payload, off, n, shape));
            off += n;
        }
        return pieces;
    }

    /**
     * A copy of {@code a[off, off + len)} as the buffer's remaining bytes. Heap buffers sit in a
     * larger array between guard bytes, so a reader that ignores position, limit or array offset
     * sees the wrong bytes rather than the right ones by luck.
     */
    static ByteBuffer piece(byte[] a, int off, int len, Shape shape) {
        return switch (shape) {
            case HEAP_AT_OFFSET -> {
                byte[] padded = guarded(a, off, len, 3);
                yield ByteBuffer.wrap(padded, 3, len);
            }
            case HEAP_SLICE -> {
                byte[] padded = guarded(a, off, len, 5);
                yield ByteBuffer.wrap(padded, 5, len).slice();
            }
            case DIRECT, DIRECT_LITTLE_ENDIAN -> {
                ByteBuffer d = ByteBuffer.allocateDirect(len + 7).position(7).slice();
                d.put(0, a, off, len);
                yield d.order(shape == Shape.DIRECT ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            }
        };
    }

    private static byte[] guarded(byte[] a, int off, int len, int front) {
        byte[] padded = new byte[front + len + 9];
        Arrays.fill(padded, (byte) 0xA5);
        System.arraycopy(a, off, padded, front, len);
        return padded;
    }

    static Shape shape(int bits) {
        return Shape.values()[bits & 3];
    }
}
