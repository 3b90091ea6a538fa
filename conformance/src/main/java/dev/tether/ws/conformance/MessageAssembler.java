package dev.tether.ws.conformance;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Joins the payload chunks of one received message (up to the 16 MiB echoes of 9.1.6). */
final class MessageAssembler {
    private static final int INITIAL = 1024;

    private byte[] buf = new byte[INITIAL];
    private int length;

    void append(ByteBuffer chunk) {
        int n = chunk.remaining();
        if (length + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(length + n, buf.length * 2));
        }
        chunk.get(chunk.position(), buf, length, n);
        length += n;
    }

    /** The message so far, handed over without a copy; the assembler starts afresh. */
    Slice take() {
        Slice s = new Slice(buf, 0, length);
        buf = new byte[INITIAL];
        length = 0;
        return s;
    }
}
