package dev.tether.ws.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Incremental UTF-8 validation (RFC 3629, as required of text messages and close reasons by
 * RFC 6455 sections 5.6 and 8.1). A sequence may be split across any number of chunks; the
 * validator keeps its state between them and fails at the first byte that cannot start or
 * continue a well-formed sequence: overlong forms, surrogates (U+D800-U+DFFF) and code points
 * past U+10FFFF are refused as soon as their second byte is seen, as Autobahn's fail-fast cases
 * (6.x) expect.
 *
 * <p>On heap buffers and arrays the work is done by {@link Utf8Scalar}, which checks whole
 * characters (and runs of them a word at a time) on the backing array, behind {@link Utf8Vector}
 * when the application resolved {@code jdk.incubator.vector}. A small DFA over byte classes,
 * built from the table of well-formed byte sequences in Unicode section 3.9 (table 3-7), holds
 * the state between chunks: it takes the sequence a chunk ends inside, the start of the next
 * chunk that finishes it, and any sequence the fast scan would not vouch for, so the failure
 * lands on the exact byte that proves the text ill-formed. Direct and read-only buffers (no
 * accessible array) go through the DFA byte by byte behind a word-wide ASCII skip.
 *
 * <p>Not thread-safe; one per message stream.
 */
public final class Utf8Validator {
    // Byte classes: which rows of table 3-7 a byte can play a part in.
    private static final int C_ASCII = 0;      // 00..7F
    private static final int C_80_8F = 1;      // continuation, low
    private static final int C_90_9F = 2;      // continuation, middle
    private static final int C_A0_BF = 3;      // continuation, high
    private static final int C_INVALID = 4;    // C0, C1, F5..FF: never appear in UTF-8
    private static final int C_LEAD2 = 5;      // C2..DF
    private static final int C_E0 = 6;         // E0: second byte A0..BF (no overlongs)
    private static final int C_LEAD3 = 7;      // E1..EC, EE..EF
    private static final int C_ED = 8;         // ED: second byte 80..9F (no surrogates)
    private static final int C_F0 = 9;         // F0: second byte 90..BF (no overlongs)
    private static final int C_LEAD4 = 10;     // F1..F3
    private static final int C_F4 = 11;        // F4: second byte 80..8F (nothing past U+10FFFF)
    private static final int CLASSES = 12;

    // States: how much of a sequence is still expected, and in which range its next byte lies.
    private static final int ACCEPT = 0;
    private static final int REJECT = 1;
    private static final int NEED1 = 2;        // one more 80..BF
    private static final int NEED2 = 3;        // two more 80..BF
    private static final int NEED3 = 4;        // three more 80..BF
    private static final int AFTER_E0 = 5;     // A0..BF, then one more
    private static final int AFTER_ED = 6;     // 80..9F, then one more
    private static final int AFTER_F0 = 7;     // 90..BF, then two more
    private static final int AFTER_F4 = 8;     // 80..8F, then two more
    private static final int STATES = 9;

    private static final byte[] CLASS = new byte[256];
    private static final byte[] NEXT = new byte[STATES * CLASSES];

    static {
        for (int b = 0; b < 256; b++) {
            CLASS[b] = (byte) classOf(b);
        }
        for (int s = 0; s < STATES; s++) {
            for (int c = 0; c < CLASSES; c++) {
                NEXT[s * CLASSES + c] = (byte) transition(s, c);
            }
        }
    }

    private static int classOf(int b) {
        if (b <= 0x7F) return C_ASCII;
        if (b <= 0x8F) return C_80_8F;
        if (b <= 0x9F) return C_90_9F;
        if (b <= 0xBF) return C_A0_BF;
        if (b <= 0xC1) return C_INVALID;
        if (b <= 0xDF) return C_LEAD2;
        if (b == 0xE0) return C_E0;
        if (b == 0xED) return C_ED;
        if (b <= 0xEF) return C_LEAD3;
        if (b == 0xF0) return C_F0;
        if (b <= 0xF3) return C_LEAD4;
        if (b == 0xF4) return C_F4;
        return C_INVALID;
    }

    private static int transition(int state, int cls) {
        boolean cont = cls == C_80_8F || cls == C_90_9F || cls == C_A0_BF;
        return switch (state) {
            case ACCEPT -> switch (cls) {
                case C_ASCII -> ACCEPT;
                case C_LEAD2 -> NEED1;
                case C_E0 -> AFTER_E0;
                case C_LEAD3 -> NEED2;
                case C_ED -> AFTER_ED;
                case C_F0 -> AFTER_F0;
                case C_LEAD4 -> NEED3;
                case C_F4 -> AFTER_F4;
                default -> REJECT;
            };
            case NEED1 -> cont ? ACCEPT : REJECT;
            case NEED2 -> cont ? NEED1 : REJECT;
            case NEED3 -> cont ? NEED2 : REJECT;
            case AFTER_E0 -> cls == C_A0_BF ? NEED1 : REJECT;
            case AFTER_ED -> cls == C_80_8F || cls == C_90_9F ? NEED1 : REJECT;
            case AFTER_F0 -> cls == C_90_9F || cls == C_A0_BF ? NEED2 : REJECT;
            case AFTER_F4 -> cls == C_80_8F ? NEED2 : REJECT;
            default -> REJECT;
        };
    }

    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    /**
     * Whether {@link Utf8Vector} runs in front of the scalar scan: only when the application
     * resolved {@code jdk.incubator.vector} (for example {@code --add-modules
     * jdk.incubator.vector}); the module is optional and the vector class is never loaded
     * without it.
     */
    private static final boolean VECTORS = vectorsAvailable();
    /** Below this many bytes the scalar scan alone is as fast. */
    private static final int VECTOR_MIN_BYTES = 64;

    private static boolean vectorsAvailable() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            // Links every part of the API the kernel uses (the incubating API changes between
            // releases) and checks it on text it must stop in and text it must pass.
            int repeats = 40;
            byte[] text = "ascii, é, 世界, 😀; ".repeat(repeats)
                    .getBytes(StandardCharsets.UTF_8);
            int passed = Utf8Vector.skipWellFormed(text, 0, text.length);
            int bad = text.length / repeats * (repeats / 2);  // "asc" at the start of a repeat
            text[bad] = (byte) 0xED;  // becomes a surrogate, U+D800
            text[bad + 1] = (byte) 0xA0;
            text[bad + 2] = (byte) 0x80;
            return Utf8Vector.worthIt()
                    && passed >= text.length - 256 && passed <= text.length
                    && Utf8Vector.skipWellFormed(text, 0, text.length) <= bad;
        } catch (LinkageError | RuntimeException e) {
            return false;  // present but unusable here (no readability, a changed API): stay scalar
        }
    }

    /** Whether this JVM validates heap text with the Vector API (for tests). */
    static boolean usesVectors() {
        return VECTORS;
    }

    /** Owned by the decoding thread. */
    private int state = ACCEPT;

    /**
     * Validates {@code buf}'s remaining bytes as the continuation of the text seen so far,
     * without moving its position.
     *
     * @return false as soon as a byte is found that no well-formed text can contain here; the
     *     validator then stays failed until {@link #reset()}
     */
    public boolean update(ByteBuffer buf) {
        if (buf.hasArray()) {
            int base = buf.arrayOffset();
            return updateArray(buf.array(), base + buf.position(), base + buf.limit());
        }
        return updateWithoutArray(buf);
    }

    /** Validates {@code a[off, off + len)} as the continuation of the text seen so far. */
    public boolean update(byte[] a, int off, int len) {
        Objects.checkFromIndexSize(off, len, a.length);
        return updateArray(a, off, off + len);
    }

    /**
     * Heap bytes: the fast scan between characters, the DFA for a sequence left open by the
     * previous chunk and for the one the scan stopped at (ill-formed, or cut off by {@code to}),
     * then the scan again.
     */
    private boolean updateArray(byte[] a, int i, int to) {
        int s = state;
        while (i < to && s != REJECT) {
            if (s == ACCEPT) {
                if (VECTORS && to - i >= VECTOR_MIN_BYTES) {
                    i = Utf8Vector.skipWellFormed(a, i, to);
                }
                i = Utf8Scalar.skipWellFormed(a, i, to);
                if (i == to) {
                    break;
                }
            }
            do {
                s = NEXT[s * CLASSES + CLASS[a[i] & 0xFF]];
                i++;
            } while (s > REJECT && i < to);
        }
        state = s;
        return s != REJECT;
    }

    /**
     * Direct and read-only buffers: the DFA byte by byte, behind a 16-byte ASCII skip with
     * absolute {@code getLong}s (whatever the buffer's byte order, a word is ASCII when no byte
     * has its top bit set).
     */
    private boolean updateWithoutArray(ByteBuffer buf) {
        int s = state;
        int i = buf.position();
        int end = buf.limit();
        while (i < end && s != REJECT) {
            if (s == ACCEPT) {
                while (i + 16 <= end && ((buf.getLong(i) | buf.getLong(i + 8)) & HIGH_BITS) == 0) {
                    i += 16;
                }
                if (i == end) {
                    break;
                }
            }
            s = NEXT[s * CLASSES + CLASS[buf.get(i) & 0xFF]];
            i++;
        }
        state = s;
        return s != REJECT;
    }

    /** True when the bytes seen so far end on a character boundary (no sequence left open). */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /** True once an impossible byte has been seen. */
    public boolean hasFailed() {
        return state == REJECT;
    }

    /** Forgets everything: ready for the next message. */
    public void reset() {
        state = ACCEPT;
    }

    /** Whether {@code buf}'s remaining bytes are, on their own, complete well-formed UTF-8. */
    public static boolean isValid(ByteBuffer buf) {
        Utf8Validator v = new Utf8Validator();
        return v.update(buf) && v.isComplete();
    }
}
