package dev.tether.ws.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tether.ws.codec.Masker;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * {@link Masker} against the definition of RFC 6455 section 5.3: payload byte {@code i} is XORed
 * with byte {@code (payloadOffset + i) % 4} of the key, the key's first byte being its most
 * significant (the codec holds keys in network order). A payload masked in two pieces, the
 * second resuming at its offset, equals the definition; masking again restores it; in every
 * buffer shape, through {@code mask(byte[])}, {@code mask(ByteBuffer)} and {@code maskCopy}, and
 * no byte outside the range given is touched.
 *
 * <p>Input: {@code key} (4 bytes), {@code payloadOffset} (8 bytes, any long), {@code split}
 * (2 bytes, taken modulo the payload length + 1), {@code options} (bits 0-1 the buffer shape,
 * bits 2-4 where the payload starts in its array), then the payload.
 */
class MaskerFuzzTest {

    @FuzzTest
    void mask(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        int key = in.s32();
        long payloadOffset = in.s64();
        int split = in.u16();
        int options = in.u8();
        byte[] payload = in.rest();
        split %= payload.length + 1;
        int start = options >>> 2 & 7;
        byte[] expected = reference(payload, key, payloadOffset);

        // byte[]: the payload at an offset, in two pieces.
        byte[] array = new byte[start + payload.length + 8];
        Arrays.fill(array, (byte) 0x5A);
        System.arraycopy(payload, 0, array, start, payload.length);
        byte[] before = array.clone();
        Masker.mask(array, start, split, key, payloadOffset);
        Masker.mask(array, start + split, payload.length - split, key, payloadOffset + split);
        same(Arrays.copyOfRange(array, start, start + payload.length), expected, "mask(byte[]) in two pieces", key, payloadOffset, split);
        untouchedOutside(array, before, start, start + payload.length, "mask(byte[])");
        Masker.mask(array, start, payload.length, key, payloadOffset);
        same(array, before, "mask(byte[]) twice", key, payloadOffset, split);

        // ByteBuffer: absolute indices, position and limit left alone.
        ByteBuffer buf = FuzzInput.piece(payload, 0, payload.length, FuzzInput.shape(options));
        int from = buf.position();
        ByteBuffer view = buf.duplicate();
        Masker.mask(buf, from, from + split, key, payloadOffset);
        Masker.mask(buf, from + split, from + payload.length, key, payloadOffset + split);
        if (buf.position() != from || buf.limit() != from + payload.length) {
            throw new AssertionError("mask(ByteBuffer) moved the position or limit");
        }
        same(bytes(view), expected, "mask(" + FuzzInput.shape(options) + ") in two pieces", key, payloadOffset, split);
        if (buf.hasArray()) {
            byte[] backing = buf.array();
            int base = buf.arrayOffset() + from;
            for (int i = 0; i < backing.length; i++) {
                if ((i < base || i >= base + payload.length) && backing[i] != (byte) 0xA5) {
                    throw new AssertionError("mask(ByteBuffer) changed byte " + i + " of the backing array, outside the range");
                }
            }
        }

        // maskCopy: the source stays as it was, the destination gets the masked bytes.
        ByteBuffer src = FuzzInput.piece(payload, 0, payload.length, FuzzInput.shape(options + 1));
        ByteBuffer dst = FuzzInput.piece(new byte[payload.length + 3], 0, payload.length + 3, FuzzInput.shape(options + 2));
        ByteBuffer srcView = src.duplicate();
        dst.position(dst.position() + 3);
        ByteBuffer dstView = dst.duplicate();
        Masker.maskCopy(src, dst, key, payloadOffset);
        if (src.hasRemaining() || dst.hasRemaining()) {
            throw new AssertionError("maskCopy left " + src.remaining() + " source and " + dst.remaining() + " destination bytes");
        }
        same(bytes(srcView), payload, "maskCopy's source", key, payloadOffset, split);
        same(bytes(dstView), expected, "maskCopy", key, payloadOffset, split);
    }

    /** Section 5.3, byte by byte: {@code j = (payloadOffset + i) mod 4}, key byte j from the top. */
    private static byte[] reference(byte[] payload, int key, long payloadOffset) {
        byte[] out = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            int j = (int) Math.floorMod(payloadOffset + i, 4L);
            out[i] = (byte) (payload[i] ^ key >>> 24 - 8 * j);
        }
        return out;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    private static void untouchedOutside(byte[] now, byte[] before, int from, int to, String what) {
        for (int i = 0; i < now.length; i++) {
            if ((i < from || i >= to) && now[i] != before[i]) {
                throw new AssertionError(what + " changed byte " + i + ", outside [" + from + ", " + to + ")");
            }
        }
    }

    private static void same(byte[] got, byte[] expected, String what, int key, long payloadOffset, int split) {
        if (!Arrays.equals(got, expected)) {
            throw new AssertionError(what + " differs from section 5.3 (key " + Integer.toHexString(key)
                    + ", payload offset " + payloadOffset + ", split at " + split + ")\n  got:      "
                    + HexFormat.of().formatHex(got) + "\n  expected: " + HexFormat.of().formatHex(expected));
        }
    }
}
