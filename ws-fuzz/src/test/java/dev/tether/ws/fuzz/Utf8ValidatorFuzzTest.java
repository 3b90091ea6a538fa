package dev.tether.ws.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tether.ws.codec.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * {@link Utf8Validator} against the JDK's strict UTF-8 decoder ({@link CodingErrorAction#REPORT}),
 * which refuses overlong forms, surrogates and code points past U+10FFFF as RFC 3629 does.
 * The input is fed in the fuzzer's pieces, as frames and TCP would split a text message. For
 * every input:
 *
 * <ul>
 *   <li>the validator accepts it (every piece accepted, and complete at the end) exactly when
 *       the JDK decodes it, and {@link Utf8Validator#isValid} agrees;</li>
 *   <li>where both find a bad byte, the validator fails inside the ill-formed sequence the JDK
 *       reports: at or after its first byte, and no later than the byte after it (the JDK
 *       reports the maximal ill-formed subpart, the validator the byte that proved it bad);</li>
 *   <li>once failed, the validator stays failed.</li>
 * </ul>
 *
 * <p>Input: {@code options} (bits 0-1 the buffer shape, bit 2 also feed through
 * {@code update(byte[], int, int)}), the cut list of {@link FuzzInput#cuts()}, then the text.
 */
class Utf8ValidatorFuzzTest {

    @FuzzTest
    void validate(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        int options = in.u8();
        int[] cuts = in.cuts();
        byte[] text = in.rest();

        Jdk jdk = Jdk.decode(text);
        List<ByteBuffer> pieces = FuzzInput.split(text, cuts, FuzzInput.shape(options));
        Utf8Validator validator = new Utf8Validator();
        boolean accepted = true;
        for (ByteBuffer piece : pieces) {
            int position = piece.position();
            boolean ok = validator.update(piece);
            if (piece.position() != position) {
                throw new AssertionError("update moved the buffer's position");
            }
            if (!ok && accepted) {
                accepted = false;
            } else if (ok && !accepted) {
                throw new AssertionError("the validator accepted more bytes after failing");
            }
        }
        boolean valid = accepted && validator.isComplete();
        check(valid == jdk.valid, text, "pieces " + (valid ? "accepted" : "refused") + ", " + jdk);
        check(valid == Utf8Validator.isValid(ByteBuffer.wrap(text)), text, "isValid disagrees with update");
        check(validator.hasFailed() == !accepted, text, "hasFailed " + validator.hasFailed());

        if ((options & 4) != 0) {
            Utf8Validator arrays = new Utf8Validator();
            boolean ok = true;
            for (ByteBuffer piece : FuzzInput.split(text, cuts, FuzzInput.Shape.HEAP_AT_OFFSET)) {
                ok &= arrays.update(piece.array(), piece.arrayOffset() + piece.position(), piece.remaining());
            }
            check((ok && arrays.isComplete()) == valid, text, "update(byte[], int, int) disagrees with update(ByteBuffer)");
        }

        int failAt = firstRefusedByte(text);
        check((failAt >= 0) == !accepted, text, "byte-at-a-time failure at " + failAt + ", pieces accepted: " + accepted);
        if (failAt >= 0 && jdk.malformedAt >= 0) {
            check(failAt >= jdk.malformedAt && failAt <= jdk.malformedAt + jdk.malformedLength, text,
                    "the validator refused byte " + failAt + "; " + jdk);
        }
    }

    /** Index of the byte at which a validator fed one byte at a time first refuses, or -1. */
    private static int firstRefusedByte(byte[] text) {
        Utf8Validator v = new Utf8Validator();
        for (int i = 0; i < text.length; i++) {
            if (!v.update(text, i, 1)) {
                return i;
            }
        }
        return -1;
    }

    private static void check(boolean ok, byte[] text, String what) {
        if (!ok) {
            String hex = HexFormat.ofDelimiter(" ").formatHex(text, 0, Math.min(text.length, 64));
            throw new AssertionError(what + " for " + hex + (text.length > 64 ? " ..." : ""));
        }
    }

    /** The JDK's verdict: valid, or where its first ill-formed sequence starts and how long it is. */
    private record Jdk(boolean valid, int malformedAt, int malformedLength) {
        static Jdk decode(byte[] text) {
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            ByteBuffer in = ByteBuffer.wrap(text);
            CharBuffer out = CharBuffer.allocate(text.length + 1);
            CoderResult r = decoder.decode(in, out, true);
            if (r.isUnderflow()) {
                r = decoder.flush(out);
            }
            if (r.isUnderflow()) {
                return new Jdk(true, -1, 0);
            }
            if (r.isMalformed() || r.isUnmappable()) {
                return new Jdk(false, in.position(), r.length());
            }
            throw new AssertionError("the JDK decoder overflowed a buffer of one char per byte: " + r);
        }

        @Override
        public String toString() {
            return valid ? "the JDK decodes it" : "the JDK refuses " + malformedLength + " byte(s) at " + malformedAt;
        }
    }
}
