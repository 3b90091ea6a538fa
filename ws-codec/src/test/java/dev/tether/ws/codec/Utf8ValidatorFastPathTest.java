package dev.tether.ws.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time paths of the validator (ASCII 16 bytes per step, runs of 2-, 3- and
 * 4-byte characters checked eight at a time, 4-byte ones then two at a time) and the hand-over to the DFA at chunk
 * boundaries, against the JDK's strict decoder, in every kind of buffer a transport hands over.
 * The exhaustive tests of {@link Utf8ValidatorTest} use inputs too short for the word paths;
 * here every candidate sequence sits inside a run long enough to reach them.
 */
class Utf8ValidatorFastPathTest {
    /** One character of each length; runs of them drive the matching word path. */
    private static final String[] KINDS = {"a", "é", "世", "😀"};
    /** A sample of every range of table 3-7 and the bytes just outside them. */
    private static final int[] EDGES = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
    private static final int[] FEW_EDGES = {0x7F, 0x80, 0xBF, 0xC0};

    private static boolean jdkAccepts(byte[] a) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(a));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Every way the bytes can reach the validator; heap copies sit between guard bytes. */
    enum Shape { HEAP, HEAP_AT_OFFSET, HEAP_SLICE, READ_ONLY_HEAP, DIRECT, DIRECT_LITTLE_ENDIAN, ARRAY_AT_OFFSET }

    /**
     * Guard bytes are continuation bytes (A5): a validator that reads past the end of its range
     * would see a cut-off sequence completed and accept what it must refuse.
     */
    private static byte[] guarded(byte[] a, int off, int len, int front) {
        byte[] padded = new byte[front + len + 17];
        Arrays.fill(padded, (byte) 0xA5);
        System.arraycopy(a, off, padded, front, len);
        return padded;
    }

    private static ByteBuffer piece(byte[] a, int off, int len, Shape shape) {
        return switch (shape) {
            case HEAP -> ByteBuffer.wrap(Arrays.copyOfRange(a, off, off + len));
            case HEAP_AT_OFFSET, ARRAY_AT_OFFSET -> ByteBuffer.wrap(guarded(a, off, len, 3), 3, len);
            case HEAP_SLICE -> {
                ByteBuffer b = ByteBuffer.wrap(guarded(a, off, len, 5), 5, len).slice();
                assertThat(b.arrayOffset()).isEqualTo(5);
                yield b;
            }
            case READ_ONLY_HEAP -> {
                ByteBuffer b = ByteBuffer.wrap(guarded(a, off, len, 7), 7, len).asReadOnlyBuffer();
                assertThat(b.hasArray()).isFalse();
                yield b;
            }
            case DIRECT, DIRECT_LITTLE_ENDIAN -> {
                ByteBuffer d = ByteBuffer.allocateDirect(len + 9).position(9).slice();
                d.put(0, a, off, len);
                yield d.order(shape == Shape.DIRECT ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            }
        };
    }

    private static boolean feed(Utf8Validator v, byte[] a, int off, int len, Shape shape) {
        ByteBuffer b = piece(a, off, len, shape);
        if (shape == Shape.ARRAY_AT_OFFSET) {
            return v.update(b.array(), b.arrayOffset() + b.position(), b.remaining());
        }
        int position = b.position();
        boolean ok = v.update(b);
        assertThat(b.position()).isEqualTo(position);
        return ok;
    }

    /** The verdict on {@code a} in one piece, the same in every shape. */
    private static boolean ours(byte[] a) {
        Boolean verdict = null;
        for (Shape shape : Shape.values()) {
            Utf8Validator v = new Utf8Validator();
            boolean ok = feed(v, a, 0, a.length, shape) && v.isComplete();
            if (verdict != null && verdict != ok) {
                throw new AssertionError(shape + " disagrees on " + Hex.of(ByteBuffer.wrap(a)));
            }
            verdict = ok;
        }
        return verdict;
    }

    private static boolean oursOnHeap(byte[] a) {
        return Utf8Validator.isValid(ByteBuffer.wrap(a));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] run(String kind, int count) {
        return kind.repeat(count).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int... values) {
        byte[] a = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            a[i] = (byte) values[i];
        }
        return a;
    }

    /**
     * Every lead byte with every second byte, and a sample of third and fourth bytes, placed at
     * every position of a word-wide step inside a run of each kind of character.
     */
    @Test
    void agreesWithJdkOnEverySequenceInsideRunsOfEveryKind() {
        List<byte[]> candidates = new ArrayList<>();
        for (int b0 = 0x80; b0 < 0x100; b0++) {
            for (int b1 = 0; b1 < 0x100; b1++) {
                candidates.add(bytes(b0, b1));
                if (b0 < 0xE0) {
                    continue;
                }
                for (int b2 : EDGES) {
                    candidates.add(bytes(b0, b1, b2));
                    if (b0 >= 0xF0) {
                        for (int b3 : FEW_EDGES) {
                            candidates.add(bytes(b0, b1, b2, b3));
                        }
                    }
                }
            }
        }
        int checked = 0;
        for (byte[] candidate : candidates) {
            boolean expected = jdkAccepts(candidate);
            for (String kind : KINDS) {
                byte[] suffix = run(kind, 8);
                for (int before = 0; before < 5; before++) {
                    byte[] text = concat(run(kind, before), candidate, suffix);
                    if (oursOnHeap(text) != expected) {
                        throw new AssertionError(String.format("%s inside %d + 8 x %s: expected %b",
                                Hex.of(ByteBuffer.wrap(candidate)), before, kind, expected));
                    }
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(1_000_000);
    }

    /** An ASCII run of every length up to past four 16-byte steps, then every kind of ending. */
    @Test
    void asciiRunsOfEveryLengthThenAnyByte() {
        byte[][] endings = {
            {}, bytes(0x80), bytes(0xC0, 0x80), bytes(0xFF), bytes(0xC3), bytes(0xC3, 0xA9),
            bytes(0xE4, 0xB8), bytes(0xE4, 0xB8, 0x96), bytes(0xED, 0xA0, 0x80), bytes(0xF0, 0x9F, 0x98),
            bytes(0xF0, 0x9F, 0x98, 0x80), bytes(0xF4, 0x90, 0x80, 0x80), bytes(0xC3, 0xA9, 0x41),
        };
        for (int n = 0; n <= 80; n++) {
            for (byte[] ending : endings) {
                for (int after = 0; after <= 20; after += 4) {
                    byte[] text = concat("x".repeat(n).getBytes(StandardCharsets.US_ASCII), ending,
                            "y".repeat(after).getBytes(StandardCharsets.US_ASCII));
                    assertThat(ours(text)).as("%d ASCII, %s, %d ASCII", n, Hex.of(ByteBuffer.wrap(ending)), after)
                            .isEqualTo(jdkAccepts(text));
                }
            }
        }
    }

    /** One non-ASCII byte at every position of a long ASCII text: the skip must stop on it. */
    @Test
    void findsTheOneNonAsciiByteWhereverItIs() {
        for (int len = 1; len <= 70; len++) {
            for (int at = 0; at < len; at++) {
                for (int bad : new int[] {0x80, 0xBF, 0xC2, 0xFF}) {
                    byte[] text = "z".repeat(len).getBytes(StandardCharsets.US_ASCII);
                    text[at] = (byte) bad;
                    assertThat(ours(text)).as("len %d, %02x at %d", len, bad, at).isFalse();
                }
                byte[] good = concat("z".repeat(at).getBytes(StandardCharsets.US_ASCII), run("é", 1),
                        "z".repeat(len - at).getBytes(StandardCharsets.US_ASCII));
                assertThat(ours(good)).as("é at %d of %d", at, len).isTrue();
            }
        }
    }

    /**
     * Runs of each kind, at every alignment, with each character of the run replaced in turn by
     * each kind of damage: cut short, overlong, surrogate, past U+10FFFF, a stray continuation.
     */
    @Test
    void damageAtEveryPositionOfEveryRun() {
        byte[][] damage = {
            bytes(0xC0, 0xAF), bytes(0xC1, 0xBF), bytes(0xE0, 0x9F, 0xBF), bytes(0xED, 0xA0, 0x80),
            bytes(0xED, 0xBF, 0xBF), bytes(0xF0, 0x8F, 0xBF, 0xBF), bytes(0xF4, 0x90, 0x80, 0x80),
            bytes(0xF5, 0x80, 0x80, 0x80), bytes(0x80), bytes(0xC3), bytes(0xE4, 0xB8), bytes(0xF0, 0x9F, 0x98),
            bytes(0xE4, 0x38, 0x96), bytes(0xE4, 0xB8, 0x16), bytes(0xF0, 0x9F, 0x18, 0x80),
            bytes(0xF0, 0x9F, 0x98, 0x00), bytes(0xC3, 0xC3), bytes(0xF8, 0x88, 0x80, 0x80, 0x80),
        };
        byte[][] fine = {
            bytes(0xC2, 0x80), bytes(0xDF, 0xBF), bytes(0xE0, 0xA0, 0x80), bytes(0xED, 0x9F, 0xBF),
            bytes(0xEE, 0x80, 0x80), bytes(0xEF, 0xBF, 0xBF), bytes(0xF0, 0x90, 0x80, 0x80),
            bytes(0xF4, 0x8F, 0xBF, 0xBF), bytes(0xF3, 0xBF, 0xBF, 0xBF),
        };
        for (String kind : KINDS) {
            for (int lead = 0; lead < 4; lead++) {
                for (int length = 1; length <= 12; length++) {
                    for (int at = 0; at < length; at++) {
                        for (byte[] d : damage) {
                            byte[] text = concat("A".repeat(lead).getBytes(StandardCharsets.US_ASCII),
                                    run(kind, at), d, run(kind, length - at - 1));
                            assertThat(ours(text)).as("%s at %d of %d %s", Hex.of(ByteBuffer.wrap(d)), at, length, kind)
                                    .isEqualTo(jdkAccepts(text)).isFalse();
                        }
                        for (byte[] f : fine) {
                            byte[] text = concat(run(kind, at), f, run(kind, length - at - 1));
                            assertThat(ours(text)).as("%s at %d of %d %s", Hex.of(ByteBuffer.wrap(f)), at, length, kind)
                                    .isTrue();
                        }
                    }
                }
            }
        }
    }

    /**
     * Short words of each kind between ASCII (Chinese values in JSON, words between spaces, an
     * emoji in a chat line) are too short for a run's block and are checked a character at a
     * time: whole, they pass; with any byte replaced, at any position, they fail exactly where
     * the DFA does.
     */
    @Test
    void shortWordsBetweenAsciiFailWhereTheDfaFails() {
        int[] values = {0x41, 0x80, 0xBF, 0xC2, 0xE0, 0xED, 0xF0, 0xF4, 0xF5};
        for (String kind : KINDS) {
            for (int word = 1; word <= 9; word++) {
                for (String gap : new String[] {",", "\":\""}) {
                    byte[] w = run(kind, word);
                    byte[] g = gap.getBytes(StandardCharsets.US_ASCII);
                    byte[] text = concat(g, w, g, w, g, run(KINDS[(word + 1) % 4], 1), w, g);
                    assertThat(ours(text)).as("%d x %s", word, kind).isTrue();
                    for (int at = 0; at < text.length; at++) {
                        for (int value : values) {
                            byte[] damaged = text.clone();
                            damaged[at] = (byte) value;
                            failsAtTheSameByteAsTheDfa(damaged, String.format("%d x %s, %02X at %d", word, kind, value, at));
                        }
                    }
                }
            }
        }
    }

    /**
     * The 3-byte block check trusts the shape alone when no lead is E0 or ED; a block with one of
     * them (Devanagari is E0 A4.., the last Hangul syllables ED 9E..) must pass or fail on its
     * second bytes, wherever in the 24-byte block the character sits (including the lead in the
     * last byte of a word, whose second byte is in the next).
     */
    @Test
    void runsLedByE0AndEdKeepTheirSecondBytesInRange() {
        byte[][] fine = {bytes(0xE0, 0xA4, 0xB9), bytes(0xE0, 0xBF, 0xBF), bytes(0xED, 0x9E, 0xA3), bytes(0xED, 0x80, 0x80)};
        byte[][] bad = {bytes(0xE0, 0x9F, 0xBF), bytes(0xE0, 0x80, 0x80), bytes(0xED, 0xA0, 0x80), bytes(0xED, 0xBF, 0xBF)};
        for (byte[] unit : fine) {
            for (String around : new String[] {"世", "ह", "힣"}) {
                for (int length = 8; length <= 20; length++) {
                    for (int at = 0; at < length; at++) {
                        byte[] good = concat(run(around, at), unit, run(around, length - at - 1));
                        assertThat(ours(good)).as("%s at %d of %d %s", Hex.of(ByteBuffer.wrap(unit)), at, length, around)
                                .isTrue();
                        for (byte[] b : bad) {
                            byte[] text = concat(run(around, at), b, run(around, length - at - 1));
                            assertThat(ours(text)).as("%s at %d of %d %s", Hex.of(ByteBuffer.wrap(b)), at, length, around)
                                    .isFalse();
                        }
                    }
                }
            }
        }
    }

    /** Emoji with the extreme values of every byte: U+10000, U+10FFFF, the ends of planes 1-15. */
    private static final byte[] EMOJI_EDGES = concat(
            bytes(0xF0, 0x90, 0x80, 0x80), bytes(0xF4, 0x8F, 0xBF, 0xBF), bytes(0xF0, 0x9F, 0x98, 0x80),
            bytes(0xF3, 0xBF, 0xBF, 0xBF), bytes(0xF1, 0x80, 0x80, 0x80), bytes(0xF4, 0x80, 0x80, 0x80),
            bytes(0xF0, 0xBF, 0xBF, 0xBF), bytes(0xF2, 0xA0, 0x9F, 0xBF));

    /** {@code count} 4-byte characters, cycling through {@link #EMOJI_EDGES}. */
    private static byte[] emojiRun(int count) {
        byte[] a = new byte[4 * count];
        for (int i = 0; i < a.length; i++) {
            a[i] = EMOJI_EDGES[i % EMOJI_EDGES.length];
        }
        return a;
    }

    /**
     * The whole chunk must fail exactly where a byte-at-a-time feed does: the prefix before the
     * first refused byte passes, the prefix that includes it fails, in every shape.
     */
    private static void failsAtTheSameByteAsTheDfa(byte[] text, String what) {
        int failAt = firstRefusedByte(text);
        assertThat(ours(text)).as(what).isEqualTo(jdkAccepts(text));
        if (failAt < 0) {
            return;
        }
        for (Shape shape : Shape.values()) {
            assertThat(feed(new Utf8Validator(), text, 0, failAt, shape)).as("%s, %s, before %d", what, shape, failAt)
                    .isTrue();
            assertThat(feed(new Utf8Validator(), text, 0, failAt + 1, shape)).as("%s, %s, at %d", what, shape, failAt)
                    .isFalse();
        }
    }

    /**
     * Every byte value at every position of a run of 4-byte characters long enough for two
     * 32-byte blocks and the two-at-a-time steps behind them, after 0 to 3 ASCII bytes (so the
     * blocks start at every alignment): the verdict and the failing byte match the JDK's and the
     * DFA's.
     */
    @Test
    void fourByteRunsRefuseAnyDamagedByteAtEveryPositionOfABlock() {
        int checked = 0;
        for (int lead = 0; lead < 4; lead++) {
            byte[] clean = concat("A".repeat(lead).getBytes(StandardCharsets.US_ASCII), emojiRun(19));
            assertThat(ours(clean)).isTrue();
            for (int at = lead; at < clean.length; at++) {
                for (int value = 0; value < 0x100; value++) {
                    if ((byte) value == clean[at]) {
                        continue;
                    }
                    byte[] text = clean.clone();
                    text[at] = (byte) value;
                    failsAtTheSameByteAsTheDfa(text, String.format("%02x at %d after %d ASCII", value, at, lead));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(70_000);
    }

    /**
     * The range test of the 4-byte block on its boundaries: every lead from EF to F8 with every
     * second byte from 7F to C0 (F0 allows 90..BF, F4 80..8F, F5 and up nothing, RFC 3629
     * section 4), at each of the eight places of a 32-byte block and in the two-at-a-time steps
     * after it.
     */
    @Test
    void fourByteBlocksKeepF0AndF4ToTheirSecondBytes() {
        for (int b0 = 0xEF; b0 <= 0xF8; b0++) {
            for (int b1 = 0x7F; b1 <= 0xC0; b1++) {
                for (int[] rest : new int[][] {{0x80, 0x80}, {0xBF, 0xBF}, {0x80, 0xBF}}) {
                    byte[] unit = bytes(b0, b1, rest[0], rest[1]);
                    boolean expected = jdkAccepts(unit);
                    for (int at = 0; at < 12; at++) {
                        byte[] text = concat(emojiRun(at), unit, emojiRun(12 - at));
                        String what = String.format("%s as character %d of 13", Hex.of(ByteBuffer.wrap(unit)), at);
                        assertThat(jdkAccepts(text)).as(what).isEqualTo(expected);
                        failsAtTheSameByteAsTheDfa(text, what);
                    }
                }
            }
        }
    }

    /**
     * A run of 4-byte characters of every length up to three blocks, cut at every byte: what is
     * there passes, the text is complete only on a character boundary, and the rest, fed next,
     * completes it (a block never reaches past the end of its chunk, where the guard bytes would
     * complete a cut-off character).
     */
    @Test
    void fourByteRunsCutAtEveryByteCarryTheOpenCharacterOver() {
        for (int count = 1; count <= 24; count++) {
            byte[] text = emojiRun(count);
            for (int cut = 0; cut <= text.length; cut++) {
                for (Shape shape : Shape.values()) {
                    String what = String.format("%d characters cut at %d, %s", count, cut, shape);
                    Utf8Validator v = new Utf8Validator();
                    assertThat(feed(v, text, 0, cut, shape)).as(what).isTrue();
                    assertThat(v.isComplete()).as(what).isEqualTo(cut % 4 == 0);
                    assertThat(feed(v, text, cut, text.length - cut, shape)).as(what).isTrue();
                    assertThat(v.isComplete()).as(what).isTrue();
                }
            }
        }
    }

    /**
     * Texts made of runs, cut in two at every position: each piece says whether it holds an
     * impossible byte (the first piece fails exactly when the failure lies before the cut), and
     * the whole verdict matches the JDK's, in every shape.
     */
    @Test
    void splitAtEveryPositionOfTextsMadeOfRuns() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 300; round++) {
            byte[] text = textOfRuns(random, 40 + random.nextInt(160));
            boolean whole = jdkAccepts(text);
            int failAt = firstRefusedByte(text);
            assertThat(failAt < 0 && isCompleteAfter(text) == whole || failAt >= 0 && !whole)
                    .as("seed %d, %s", seed, Hex.of(ByteBuffer.wrap(text))).isTrue();
            Shape shape = Shape.values()[round % Shape.values().length];
            for (int cut = 0; cut <= text.length; cut++) {
                Utf8Validator v = new Utf8Validator();
                boolean first = feed(v, text, 0, cut, shape);
                String what = String.format("seed %d, %s, cut %d, %s", seed, Hex.of(ByteBuffer.wrap(text)), cut, shape);
                assertThat(first).as(what).isEqualTo(failAt < 0 || failAt >= cut);
                boolean second = feed(v, text, cut, text.length - cut, shape);
                assertThat(second).as(what).isEqualTo(failAt < 0);
                assertThat(second && v.isComplete()).as(what).isEqualTo(whole);
            }
        }
    }

    /** Three pieces, every pair of cuts, on shorter texts of runs. */
    @Test
    void splitInThreeAtEveryPairOfPositions() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 60; round++) {
            byte[] text = textOfRuns(random, 20 + random.nextInt(40));
            boolean whole = jdkAccepts(text);
            for (int cut1 = 0; cut1 <= text.length; cut1++) {
                for (int cut2 = cut1; cut2 <= text.length; cut2++) {
                    Utf8Validator v = new Utf8Validator();
                    boolean ok = feed(v, text, 0, cut1, Shape.HEAP_SLICE)
                            & feed(v, text, cut1, cut2 - cut1, Shape.HEAP_AT_OFFSET)
                            & feed(v, text, cut2, text.length - cut2, Shape.HEAP);
                    assertThat(ok && v.isComplete())
                            .as("seed %d, %s, cuts %d %d", seed, Hex.of(ByteBuffer.wrap(text)), cut1, cut2)
                            .isEqualTo(whole);
                }
            }
        }
    }

    @Test
    void longRandomTextsAgreeWithJdkInEveryShape() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 2000; round++) {
            byte[] text = textOfRuns(random, 1 + random.nextInt(400));
            assertThat(ours(text)).as("seed %d, %s", seed, Hex.of(ByteBuffer.wrap(text))).isEqualTo(jdkAccepts(text));
        }
    }

    @Test
    void staysFailedAndResetsInEveryShape() {
        byte[] bad = concat(run("世", 10), bytes(0xED, 0xA0, 0x80), run("世", 10));
        byte[] good = run("😀", 10);
        for (Shape shape : Shape.values()) {
            Utf8Validator v = new Utf8Validator();
            assertThat(feed(v, bad, 0, bad.length, shape)).as("%s", shape).isFalse();
            assertThat(v.hasFailed()).isTrue();
            assertThat(feed(v, good, 0, good.length, shape)).as("%s after failing", shape).isFalse();
            v.reset();
            assertThat(feed(v, good, 0, good.length, shape)).as("%s after reset", shape).isTrue();
            assertThat(v.isComplete()).isTrue();
        }
    }

    @Test
    void updateWithAnArrayRangeChecksTheRange() {
        Utf8Validator v = new Utf8Validator();
        byte[] a = new byte[8];
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> v.update(a, 4, 5))
                .isInstanceOf(IndexOutOfBoundsException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> v.update(a, -1, 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(v.update(a, 8, 0)).isTrue();
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

    private static boolean isCompleteAfter(byte[] text) {
        Utf8Validator v = new Utf8Validator();
        return v.update(text, 0, text.length) && v.isComplete();
    }

    /**
     * Runs of 1 to 20 characters of one length each (as real text has), then, half the time, a
     * damaged byte or a cut-off end, so both verdicts are common.
     */
    private static byte[] textOfRuns(Random random, int targetLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < targetLength) {
            int kind = random.nextInt(4);
            int count = 1 + random.nextInt(20);
            for (int i = 0; i < count; i++) {
                int cp = switch (kind) {
                    case 0 -> random.nextInt(0x80);
                    case 1 -> 0x80 + random.nextInt(0x800 - 0x80);
                    case 2 -> {
                        int c = 0x800 + random.nextInt(0x10000 - 0x800);
                        yield c >= 0xD800 && c <= 0xDFFF ? 0x4E16 : c;
                    }
                    default -> 0x10000 + random.nextInt(0x110000 - 0x10000);
                };
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] a = out.toByteArray();
        switch (random.nextInt(6)) {
            case 0 -> a[random.nextInt(a.length)] = (byte) random.nextInt(256);
            case 1 -> a[random.nextInt(a.length)] = (byte) (0x80 + random.nextInt(0x80));
            case 2 -> a = Arrays.copyOf(a, a.length - 1);
            default -> { }
        }
        return a;
    }
}
