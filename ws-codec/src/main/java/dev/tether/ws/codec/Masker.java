package dev.tether.ws.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Objects;

/**
 * XOR masking of payload bytes, RFC 6455 section 5.3: byte {@code i} of the payload is XORed
 * with byte {@code i % 4} of the 32-bit masking key. Masking and unmasking are the same
 * operation.
 *
 * <p>The key is held as an {@code int} in network order (its first byte is the most significant)
 * and widened to a {@code long} so that eight bytes are XORed at a time; on heap arrays four
 * words per step (which C2 turns into vector instructions), and the last 31 bytes or fewer
 * without a loop. When a payload is processed in several pieces, {@code payloadOffset} says where
 * the piece starts within the payload so the key is rotated to line up. Heap arrays are read and
 * written as little-endian words (the wide key built to match); buffers of either byte order
 * work, the wide key built in the buffer's own order.
 */
public final class Masker {
    /** Little-endian views: array byte {@code n} is byte {@code n} of a word from its low end. */
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORTS =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private Masker() {
    }

    /** The key rotated so that its first byte applies to payload position {@code payloadOffset}. */
    static int alignKey(int key, long payloadOffset) {
        return Integer.rotateLeft(key, (int) (payloadOffset & 3) << 3);
    }

    /** Eight key bytes in network order: for big-endian words. */
    private static long wideKey(int key) {
        return (key & 0xFFFF_FFFFL) | ((long) key << 32);
    }

    /** Eight key bytes for little-endian words: the key's first byte in the low byte. */
    private static long wideKeyLittleEndian(int key) {
        return wideKey(Integer.reverseBytes(key));
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
            int at = buf.arrayOffset() + from;
            Objects.checkFromToIndex(from, to, buf.limit());
            xor(buf.array(), at, buf.array(), at, to - from, k);
            return;
        }
        long wide = buf.order() == ByteOrder.LITTLE_ENDIAN ? wideKeyLittleEndian(k) : wideKey(k);
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
        Objects.checkFromIndexSize(off, len, a.length);
        if (key == 0) {
            return;
        }
        xor(a, off, a, off, len, alignKey(key, payloadOffset));
    }

    /**
     * Copies {@code src}'s remaining bytes to {@code dst}, masked, advancing both positions. The
     * source is left as it was: this is how a client masks a payload it does not own. Heap to
     * heap is one pass over the arrays, 32 bytes per step; other buffers go through absolute
     * {@code getLong}/{@code putLong}, and must not overlap unless {@code dst} starts at or
     * before {@code src}.
     *
     * @param payloadOffset position of the first copied byte within the frame payload
     * @throws BufferOverflowException if {@code dst} has less room than {@code src} has bytes,
     *     before anything is copied
     * @throws ReadOnlyBufferException if {@code dst} is read-only
     */
    public static void maskCopy(ByteBuffer src, ByteBuffer dst, int key, long payloadOffset) {
        int from = src.position();
        int at = dst.position();
        int len = src.limit() - from;
        if (len > dst.limit() - at) {
            throw new BufferOverflowException();
        }
        // hasArray is false for a read-only buffer, so the common case (heap to heap, a client
        // masking into its write buffer) is settled with these two tests.
        if (src.hasArray() && dst.hasArray() && key != 0 && src.array() != dst.array()) {
            xor(src.array(), src.arrayOffset() + from, dst.array(), dst.arrayOffset() + at, len,
                    alignKey(key, payloadOffset));
        } else if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        } else if (key == 0) {
            dst.put(at, src, from, len);
        } else if (!src.hasArray() || !dst.hasArray()) {
            xor(src, from, dst, at, len, alignKey(key, payloadOffset));
        } else if (!overlapAhead(src, from, dst, at, len)) {
            xor(src.array(), src.arrayOffset() + from, dst.array(), dst.arrayOffset() + at, len,
                    alignKey(key, payloadOffset));
        } else {
            // The destination starts inside the source, after it: a forward pass would read
            // bytes it has already written. Copy (put moves overlapping ranges), then mask.
            dst.put(at, src, from, len);
            mask(dst, at, at + len, key, payloadOffset);
        }
        src.position(from + len);
        dst.position(at + len);
    }

    /** Whether {@code dst}'s range starts inside {@code src}'s, past its start, in one array. */
    private static boolean overlapAhead(ByteBuffer src, int from, ByteBuffer dst, int at, int len) {
        if (src.array() != dst.array()) {
            return false;
        }
        int s = src.arrayOffset() + from;
        int d = dst.arrayOffset() + at;
        return d > s && d < s + len;
    }

    /**
     * {@code dst[at, at + len) = src[from, from + len) ^ key}, one pass, key aligned to
     * {@code src[from]}. Safe in place ({@code dst == src, at == from}) and whenever the
     * destination does not start inside the source after its start.
     *
     * <p>Kept small enough for C2 to compile into its caller (under {@code -XX:FreqInlineSize},
     * 325 bytes of bytecode): as one 390-byte method it was a call per frame, which at 16 bytes
     * is a good part of the frame's cost. The 32-byte loop, which a short frame never enters,
     * is a method of its own.
     */
    static void xor(byte[] src, int from, byte[] dst, int at, int len, int k) {
        long wide = wideKeyLittleEndian(k);
        int i = len >= 32 ? xorBlocks(src, from, dst, at, len, wide) : 0;
        xorTail(src, from + i, dst, at + i, len - i, wide);
    }

    /**
     * The bulk of {@link #xor}: 32 bytes per step while at least 32 are left.
     *
     * @return the number of bytes done, a multiple of 32
     */
    private static int xorBlocks(byte[] src, int from, byte[] dst, int at, int len, long wide) {
        int i = 0;
        // Four loads, then four stores: C2 packs each group into one vector operation (it may
        // not move a load above a store that could alias it, so interleaving them, or leaving
        // the unrolling to C2, runs at half the speed or less).
        for (int end = len - 31; i < end; i += 32) {
            long w0 = (long) LONGS.get(src, from + i);
            long w1 = (long) LONGS.get(src, from + i + 8);
            long w2 = (long) LONGS.get(src, from + i + 16);
            long w3 = (long) LONGS.get(src, from + i + 24);
            LONGS.set(dst, at + i, w0 ^ wide);
            LONGS.set(dst, at + i + 8, w1 ^ wide);
            LONGS.set(dst, at + i + 16, w2 ^ wide);
            LONGS.set(dst, at + i + 24, w3 ^ wide);
        }
        return i;
    }

    /**
     * {@link #xor} for a short frame's payload, fewer than 128 bytes ({@code len <= 125} in
     * practice, section 5.2's 7-bit length): 64 and 32 bytes as the bits of the count say, then
     * {@link #xorTail}, all straight-line code. Without a loop the whole kernel is small enough
     * to be compiled into the frame writer, and that into its caller.
     */
    static void xorShort(byte[] src, int from, byte[] dst, int at, int len, int k) {
        assert len < 128 : len;
        long wide = wideKeyLittleEndian(k);
        int i = 0;
        if ((len & 64) != 0) {
            xor32(src, from, dst, at, wide);
            xor32(src, from + 32, dst, at + 32, wide);
            i = 64;
        }
        if ((len & 32) != 0) {
            xor32(src, from + i, dst, at + i, wide);
            i += 32;
        }
        xorTail(src, from + i, dst, at + i, len & 31, wide);
    }

    /** 32 bytes: four loads, then four stores (see {@link #xorBlocks} for why in that order). */
    private static void xor32(byte[] src, int from, byte[] dst, int at, long wide) {
        long w0 = (long) LONGS.get(src, from);
        long w1 = (long) LONGS.get(src, from + 8);
        long w2 = (long) LONGS.get(src, from + 16);
        long w3 = (long) LONGS.get(src, from + 24);
        LONGS.set(dst, at, w0 ^ wide);
        LONGS.set(dst, at + 8, w1 ^ wide);
        LONGS.set(dst, at + 16, w2 ^ wide);
        LONGS.set(dst, at + 24, w3 ^ wide);
    }

    /**
     * The last {@code rest} bytes of {@link #xor}, fewer than 32, starting at a multiple of 32
     * bytes into the payload (so {@code wide} still lines up): 16, 8, 4, 2 and 1 as the bits of
     * the count say, without a loop (a counted loop's set-up in C2 costs more than the work of a
     * short frame). A 16-byte frame is two long XORs.
     */
    private static void xorTail(byte[] src, int from, byte[] dst, int at, int rest, long wide) {
        int i = 0;
        if ((rest & 16) != 0) {
            long w0 = (long) LONGS.get(src, from);
            long w1 = (long) LONGS.get(src, from + 8);
            LONGS.set(dst, at, w0 ^ wide);
            LONGS.set(dst, at + 8, w1 ^ wide);
            i = 16;
        }
        if ((rest & 8) != 0) {
            LONGS.set(dst, at + i, (long) LONGS.get(src, from + i) ^ wide);
            i += 8;
        }
        // Every step so far was a multiple of 4 bytes, so the key's first byte is still the
        // low byte of wide.
        if ((rest & 4) != 0) {
            INTS.set(dst, at + i, (int) INTS.get(src, from + i) ^ (int) wide);
            i += 4;
        }
        if ((rest & 2) != 0) {
            SHORTS.set(dst, at + i, (short) ((short) SHORTS.get(src, from + i) ^ (short) wide));
            i += 2;
        }
        if ((rest & 1) != 0) {
            // At an offset of 0 or 2 (mod 4) from the key's start: byte 0 or byte 2 of wide.
            dst[at + i] = (byte) (src[from + i] ^ (wide >>> ((i & 2) << 3)));
        }
    }

    /**
     * The same over buffers of any kind and byte order: words are read in the source's order
     * against the key in that order, and swapped on the way out if the destination's differs.
     */
    private static void xor(ByteBuffer src, int from, ByteBuffer dst, int at, int len, int k) {
        boolean srcLittle = src.order() == ByteOrder.LITTLE_ENDIAN;
        long wide = srcLittle ? wideKeyLittleEndian(k) : wideKey(k);
        boolean swap = srcLittle != (dst.order() == ByteOrder.LITTLE_ENDIAN);
        int i = 0;
        for (int end = len - 7; i < end; i += 8) {
            long w = src.getLong(from + i) ^ wide;
            dst.putLong(at + i, swap ? Long.reverseBytes(w) : w);
        }
        for (int shift = 24; i < len; i++, shift = (shift - 8) & 31) {
            dst.put(at + i, (byte) (src.get(from + i) ^ (k >>> shift)));
        }
    }
}
