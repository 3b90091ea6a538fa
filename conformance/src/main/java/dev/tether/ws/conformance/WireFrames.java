package dev.tether.ws.conformance;

/**
 * Frame headers as bytes (RFC 6455 section 5.2), for any combination of bits a case asks for:
 * the codec's writer refuses reserved opcodes, RSV bits and oversized control frames, which is
 * what a fuzzing peer must be able to send. Lengths use the shortest form, as the RFC
 * requires, so that only the intended violation is on the wire.
 */
final class WireFrames {
    private WireFrames() {
    }

    /**
     * @param maskKey null for an unmasked (server) frame, else the 32-bit key, most
     *     significant byte first on the wire
     */
    static byte[] header(boolean fin, int rsv, int opcode, long length, Integer maskKey) {
        int lengthBytes = length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8;
        byte[] h = new byte[2 + lengthBytes + (maskKey == null ? 0 : 4)];
        h[0] = (byte) ((fin ? 0x80 : 0) | (rsv & 7) << 4 | (opcode & 0xF));
        int maskBit = maskKey == null ? 0 : 0x80;
        if (lengthBytes == 0) {
            h[1] = (byte) (maskBit | length);
        } else {
            h[1] = (byte) (maskBit | (lengthBytes == 2 ? 126 : 127));
            for (int i = 0; i < lengthBytes; i++) {
                h[2 + i] = (byte) (length >>> (8 * (lengthBytes - 1 - i)));
            }
        }
        if (maskKey != null) {
            int k = maskKey;
            int at = 2 + lengthBytes;
            h[at] = (byte) (k >>> 24);
            h[at + 1] = (byte) (k >>> 16);
            h[at + 2] = (byte) (k >>> 8);
            h[at + 3] = (byte) k;
        }
        return h;
    }

    static byte[] header(boolean fin, int opcode, long length) {
        return header(fin, 0, opcode, length, null);
    }

    /**
     * A close body as a case gives it (section 5.5.1): the code in two bytes when there is one
     * (any 16-bit value, valid or not), then the reason bytes as they are (UTF-8 or not, any
     * length).
     */
    static Slice closeBody(Integer code, Slice reason) {
        if (code == null) {
            return reason;
        }
        byte[] b = new byte[2 + reason.length()];
        b[0] = (byte) (code >>> 8);
        b[1] = (byte) (int) code;
        System.arraycopy(reason.array(), reason.offset(), b, 2, reason.length());
        return Slice.of(b);
    }
}
