package dev.tether.ws.testing;

import java.io.ByteArrayOutputStream;

/**
 * Frames encoded by hand, bypassing every rule {@code FrameWriter} enforces, so that tests can
 * send what a broken or hostile server would: reserved opcodes and RSV bits, fragmented or
 * oversized control frames, continuations out of place, masked server frames. The layout is
 * RFC 6455 section 5.2's; nothing else is checked.
 */
public final class RawFrames {
    private RawFrames() {
    }

    /** An unmasked frame, as a server sends. Any opcode (0-15) and RSV bits (0-7). */
    public static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload) {
        return frame(fin, rsv, opcode, payload, null);
    }

    /**
     * A frame masked with {@code maskKey} (4 bytes), which a server must never send (section
     * 5.1): for testing that a client refuses it. {@code null} for no mask.
     */
    public static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, byte[] maskKey) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | (opcode & 0xF));
        int mask = maskKey == null ? 0 : 0x80;
        long len = payload.length;
        if (len <= 125) {
            out.write(mask | (int) len);
        } else if (len <= 0xFFFF) {
            out.write(mask | 126);
            out.write((int) (len >>> 8));
            out.write((int) len);
        } else {
            out.write(mask | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (len >>> shift));
            }
        }
        if (maskKey == null) {
            out.writeBytes(payload);
        } else {
            out.writeBytes(maskKey);
            for (int i = 0; i < payload.length; i++) {
                out.write(payload[i] ^ maskKey[i & 3]);
            }
        }
        return out.toByteArray();
    }
}
