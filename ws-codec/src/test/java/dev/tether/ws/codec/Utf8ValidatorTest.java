package dev.tether.ws.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The validator agrees with the JDK's strict UTF-8 decoder, whole, split, and byte by byte. */
class Utf8ValidatorTest {
    private static final int[] EDGES = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};

    private static boolean jdkAccepts(byte[] a) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            d.decode(ByteBuffer.wrap(a));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** Index of the first byte at which the JDK's decoder reports malformed input, or -1. */
    private static int jdkFirstError(byte[] a) {
        for (int n = 1; n <= a.length; n++) {
            CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT);
            CoderResult r = d.decode(ByteBuffer.wrap(a, 0, n), CharBuffer.allocate(2 * n + 2), false);
            if (r.isError()) {
                return n - 1;
            }
        }
        return -1;
    }

    /** One continuation byte from each range table 3-7 distinguishes. */
    private static final int[] CONTINUATIONS = {0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF};

    /** Whether some ending of up to three continuation bytes makes {@code a[0, n)} valid. */
    private static boolean canComplete(byte[] a, int n) {
        byte[] buf = java.util.Arrays.copyOf(a, n + 3);
        return canComplete(buf, n, 0);
    }

    private static boolean canComplete(byte[] buf, int n, int added) {
        if (jdkAccepts(java.util.Arrays.copyOf(buf, n + added))) {
            return true;
        }
        if (added == 3) {
            return false;
        }
        for (int c : CONTINUATIONS) {
            buf[n + added] = (byte) c;
            if (canComplete(buf, n, added + 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first byte after which no valid text can follow, or -1. The JDK's decoder can report
     * a bad sequence a byte later than that (it notices an encoded surrogate only once the
     * sequence is whole), so the answer is searched among the few bytes before the JDK's.
     */
    private static int firstImpossibleByte(byte[] a) {
        int jdk = jdkFirstError(a);
        int last = jdk < 0 ? a.length - 1 : jdk;
        for (int n = Math.max(0, last - 3); n <= last; n++) {
            if (!canComplete(a, n + 1)) {
                return n;
            }
        }
        return -1;
    }

    private static boolean ours(byte[] a) {
        return Utf8Validator.isValid(ByteBuffer.wrap(a));
    }

    @Test
    void agreesWithJdkOnEveryOneAndTwoByteSequence() {
        for (int b0 = 0; b0 < 256; b0++) {
            byte[] one = {(byte) b0};
            assertThat(ours(one)).as("%02x", b0).isEqualTo(jdkAccepts(one));
            for (int b1 = 0; b1 < 256; b1++) {
                byte[] two = {(byte) b0, (byte) b1};
                assertThat(ours(two)).as("%02x %02x", b0, b1).isEqualTo(jdkAccepts(two));
            }
        }
    }

    @Test
    void agreesWithJdkOnThreeByteSequencesOverEveryLeadAndSecondByte() {
        for (int b0 = 0x80; b0 < 256; b0++) {
            for (int b1 = 0; b1 < 256; b1++) {
                for (int b2 : EDGES) {
                    byte[] a = {(byte) b0, (byte) b1, (byte) b2};
                    if (ours(a) != jdkAccepts(a)) {
                        throw new AssertionError(String.format("%02x %02x %02x", b0, b1, b2));
                    }
                }
            }
        }
    }

    @Test
    void agreesWithJdkOnFourByteSequencesOverEveryLeadAndSecondByte() {
        for (int b0 = 0xC0; b0 < 256; b0++) {
            for (int b1 = 0; b1 < 256; b1++) {
                for (int b2 : EDGES) {
                    for (int b3 : EDGES) {
                        byte[] a = {(byte) b0, (byte) b1, (byte) b2, (byte) b3};
                        if (ours(a) != jdkAccepts(a)) {
                            throw new AssertionError(String.format("%02x %02x %02x %02x", b0, b1, b2, b3));
                        }
                    }
                }
            }
        }
    }

    @Test
    void acceptsBoundaryCodePointsAndRefusesWhatLiesBeyond() {
        assertThat(ours(Hex.bytes("f48fbfbf"))).as("U+10FFFF").isTrue();
        assertThat(ours(Hex.bytes("f4908080"))).as("U+110000").isFalse();
        assertThat(ours(Hex.bytes("ed9fbf"))).as("U+D7FF").isTrue();
        assertThat(ours(Hex.bytes("eda080"))).as("U+D800").isFalse();
        assertThat(ours(Hex.bytes("edbfbf"))).as("U+DFFF").isFalse();
        assertThat(ours(Hex.bytes("ee8080"))).as("U+E000").isTrue();
        assertThat(ours(Hex.bytes("c080"))).as("overlong NUL").isFalse();
        assertThat(ours(Hex.bytes("e08080"))).as("overlong 3-byte").isFalse();
        assertThat(ours(Hex.bytes("f0808080"))).as("overlong 4-byte").isFalse();
        assertThat(ours(Hex.bytes("cebae1bdb9cf83cebcceb5"))).as("κόσμε").isTrue();
    }

    @Test
    void failsAtTheFirstByteThatNoValidTextCanContain() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 1500; round++) {
            byte[] a = randomText(random, 1 + random.nextInt(30));
            int expected = firstImpossibleByte(a);
            Utf8Validator v = new Utf8Validator();
            int failedAt = -1;
            for (int i = 0; i < a.length && failedAt < 0; i++) {
                if (!v.update(ByteBuffer.wrap(a, i, 1))) {
                    failedAt = i;
                }
            }
            assertThat(failedAt).as("seed %d, input %s", seed, Hex.of(ByteBuffer.wrap(a))).isEqualTo(expected);
        }
    }

    @Test
    void givesTheSameAnswerWhenSplitAtEveryPosition() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 2000; round++) {
            byte[] a = randomText(random, 1 + random.nextInt(60));
            boolean whole = jdkAccepts(a);
            for (int cut = 0; cut <= a.length; cut++) {
                Utf8Validator v = new Utf8Validator();
                boolean ok = v.update(ByteBuffer.wrap(a, 0, cut)) & v.update(ByteBuffer.wrap(a, cut, a.length - cut))
                        && v.isComplete();
                assertThat(ok).as("seed %d, input %s, cut %d", seed, Hex.of(ByteBuffer.wrap(a)), cut).isEqualTo(whole);
            }
        }
    }

    @Test
    void asciiFastPathHandlesLongRunsInBothByteOrdersAndDirectBuffers() {
        byte[] text = ("abcdefgh".repeat(100) + "κόσμε" + "xyz".repeat(33)).getBytes(StandardCharsets.UTF_8);
        for (ByteBuffer buf : new ByteBuffer[] {
                ByteBuffer.wrap(text), ByteBuffer.allocateDirect(text.length).put(text).flip(),
                ByteBuffer.wrap(text).order(java.nio.ByteOrder.LITTLE_ENDIAN)}) {
            assertThat(Utf8Validator.isValid(buf)).isTrue();
            byte[] bad = text.clone();
            bad[799] = (byte) 0xFF;
            assertThat(Utf8Validator.isValid(ByteBuffer.wrap(bad))).isFalse();
        }
    }

    /** Mostly well-formed text with random damage, so both outcomes are common. */
    private static byte[] randomText(Random random, int codePoints) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            int kind = random.nextInt(4);
            int cp = switch (kind) {
                case 0 -> random.nextInt(0x80);
                case 1 -> 0x80 + random.nextInt(0x800 - 0x80);
                case 2 -> { int c = 0x800 + random.nextInt(0x10000 - 0x800); yield c >= 0xD800 && c <= 0xDFFF ? 0x41 : c; }
                default -> 0x10000 + random.nextInt(0x110000 - 0x10000);
            };
            sb.appendCodePoint(cp);
        }
        byte[] a = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (random.nextBoolean() && a.length > 0) {
            int damage = 1 + random.nextInt(2);
            for (int d = 0; d < damage; d++) {
                a[random.nextInt(a.length)] = (byte) random.nextInt(256);
            }
        }
        if (random.nextInt(4) == 0 && a.length > 1) {
            a = java.util.Arrays.copyOf(a, a.length - 1);
        }
        return a;
    }
}
