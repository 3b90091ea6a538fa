package dev.tether.ws.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * XOR masking of payload bytes, RFC 6455 section 5.3: byte {@code i} of the payload is XORed
 * with byte {@code i % 4} of the 32-bit masking key. Masking and unmasking are the same
 * operation.
 *
 * <p>The key is held as an {@code int} in network order (its first byte is the most significant)
 * and widened to a {@code long} so that eight bytes are XORed per step; only the tail is done
 * byte by byte. When a payload is processed in several pieces, {@code payloadOffset} says where
 * the piece starts within the payload so the key is rotated to line up. Buffers of either byte
 * order work: the wide key is built in the buffer's own order.
 */
public final class Masker {
    private static final VarHandle LONGS_BE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Masker() {
    }

    /** The key rotated so that its first byte applies to payload position {@code payloadOffset}. */
    static int alignKey(int key, long payloadOffset) {
        return Integer.rotateLeft(key, (int) (payloadOffset & 3) << 3);
    }

    private static long wideKey(int key) {
        return (key & 0xFFFF_FFFFL) | ((long) key << 32);
    }

    /**
     * Masks {@code buf[from, to)} in place (absolute indices; position and limit untouched).
     *
     * @param payloadOffset position of {@code buf[from]} within the frame payload
     */
    public static void mask(ByteBuffer buf, int from, int to, int key, long payloadOffset) {
        if (key == 0) {
            return;
        }
        int k = alignKey(key, payloadOffset);
        if (buf.hasArray()) {
            mask(buf.array(), buf.arrayOffset() + from, to - from, k, 0);
            return;
        }
        long wide = wideKey(k);
        if (buf.order() == ByteOrder.LITTLE_ENDIAN) {
            wide = Long.reverseBytes(wide);
        }
        int i = from;
        for (int end = to - 7; i < end; i += 8) {
            buf.putLong(i, buf.getLong(i) ^ wide);
        }
        for (int shift = 24; i < to; i++, shift = (shift - 8) & 31) {
            buf.put(i, (byte) (buf.get(i) ^ (k >>> shift)));
        }
    }

    /**
     * Masks {@code a[off, off + len)} in place.
     *
     * @param payloadOffset position of {@code a[off]} within the frame payload
     */
    public static void mask(byte[] a, int off, int len, int key, long payloadOffset) {
        if (key == 0) {
            return;
        }
        int k = alignKey(key, payloadOffset);
        long wide = wideKey(k);
        int i = off;
        int to = off + len;
        for (int end = to - 7; i < end; i += 8) {
            LONGS_BE.set(a, i, (long) LONGS_BE.get(a, i) ^ wide);
        }
        for (int shift = 24; i < to; i++, shift = (shift - 8) & 31) {
            a[i] ^= (byte) (k >>> shift);
        }
    }

    /**
     * Copies {@code src}'s remaining bytes to {@code dst}, masked, advancing both positions. The
     * source is left as it was: this is how a client masks a payload it does not own.
     *
     * @param payloadOffset position of the first copied byte within the frame payload
     */
    public static void maskCopy(ByteBuffer src, ByteBuffer dst, int key, long payloadOffset) {
        int len = src.remaining();
        int start = dst.position();
        dst.put(dst.position(), src, src.position(), len);
        mask(dst, start, start + len, key, payloadOffset);
        src.position(src.position() + len);
        dst.position(start + len);
    }
}
