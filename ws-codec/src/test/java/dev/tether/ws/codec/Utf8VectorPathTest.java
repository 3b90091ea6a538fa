package dev.tether.ws.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Long texts (the vector kernel takes 64 bytes and more) with every kind of sequence placed
 * across the edges of 16-, 32- and 64-byte vectors and across the last window (one more vector
 * over the text's last full width, overlapping bytes already checked), against the JDK's strict
 * decoder. Surefire
 * runs this class twice: without {@code jdk.incubator.vector} (the scalar scan does it all) and
 * with it ({@code tether.expectVectors}, where {@link Utf8Vector} must be in use).
 */
class Utf8VectorPathTest {
    private static final int[] EDGES = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
    /** Where a candidate starts: around the edges of 16-, 32- and 64-byte vectors. */
    private static final int[] OFFSETS = {13, 14, 15, 16, 29, 30, 31, 32, 33, 61, 62, 63, 64, 65, 66, 125, 126, 127, 128};

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

    private static boolean ours(byte[] a) {
        return Utf8Validator.isValid(ByteBuffer.wrap(a));
    }

    /** {@code n} bytes of whole characters: Chinese, then ASCII to make up the length. */
    private static byte[] prefix(int n, boolean ascii) {
        String s = ascii ? "p".repeat(n) : "世".repeat(n / 3) + "p".repeat(n % 3);
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void theVectorPathRunsExactlyWhenTheModuleIsResolved() {
        boolean resolved = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertThat(Utf8Validator.usesVectors()).isEqualTo(resolved);
        if (Boolean.getBoolean("tether.expectVectors")) {
            assertThat(Utf8Validator.usesVectors()).as("run with --add-modules jdk.incubator.vector").isTrue();
        }
    }

    /** Every lead with every second byte and sampled third bytes, at every vector edge. */
    @Test
    void everyLeadAndSecondByteAcrossVectorEdges() {
        byte[][] suffixes = {"😀".repeat(20).getBytes(StandardCharsets.UTF_8), "q".repeat(80).getBytes(StandardCharsets.US_ASCII)};
        int checked = 0;
        for (int b0 = 0x80; b0 < 0x100; b0++) {
            for (int b1 = 0; b1 < 0x100; b1++) {
                for (int b2 : b0 >= 0xE0 ? EDGES : new int[] {-1}) {
                    byte[] candidate = b2 < 0 ? new byte[] {(byte) b0, (byte) b1}
                            : b0 >= 0xF0 ? new byte[] {(byte) b0, (byte) b1, (byte) b2, (byte) 0x80}
                            : new byte[] {(byte) b0, (byte) b1, (byte) b2};
                    boolean expected = jdkAccepts(candidate);
                    for (int i = 0; i < 3; i++) {
                        // Three offsets per candidate, cycling through them all, keep this to seconds.
                        int offset = OFFSETS[(b0 + b1 + Math.max(b2, 0) + 7 * i) % OFFSETS.length];
                        byte[] text = concat(prefix(offset, (i & 1) == 0), candidate, suffixes[i & 1]);
                        if (ours(text) != expected) {
                            throw new AssertionError(String.format("%s at %d: expected %b",
                                    Hex.of(ByteBuffer.wrap(candidate)), offset, expected));
                        }
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(200_000);
    }

    /** Sequences cut short, then ASCII or another lead, with the cut at every vector edge. */
    @Test
    void sequencesCutShortAtEveryVectorEdge() {
        int[][] cut = {{0xC3}, {0xE4}, {0xE4, 0xB8}, {0xF0}, {0xF0, 0x9F}, {0xF0, 0x9F, 0x98}, {0xED, 0x9F}};
        for (int[] c : cut) {
            byte[] partial = new byte[c.length];
            for (int i = 0; i < c.length; i++) {
                partial[i] = (byte) c[i];
            }
            for (int end = 60; end <= 200; end++) {
                for (boolean ascii : new boolean[] {true, false}) {
                    int start = end - partial.length;
                    for (byte[] after : new byte[][] {"r".repeat(100).getBytes(StandardCharsets.US_ASCII),
                            "é".repeat(50).getBytes(StandardCharsets.UTF_8), new byte[0]}) {
                        byte[] text = concat(prefix(start, ascii), partial, after);
                        assertThat(ours(text)).as("%s ending at %d, ascii %b", Hex.of(ByteBuffer.wrap(partial)), end, ascii)
                                .isFalse();
                    }
                }
            }
        }
    }

    /**
     * The vector kernel reads the bytes before each vector from the array, so the bytes before
     * the range handed over must not count: a lead just before it must not fail text that is
     * fine, and a lead just before it must not excuse continuation bytes at its start.
     */
    @Test
    void bytesBeforeTheRangeAreNoPartOfTheText() {
        byte[] text = "世界 and 😀, ".repeat(20).getBytes(StandardCharsets.UTF_8);
        byte[][] befores = {bytes(0xF0), bytes(0xE4, 0xB8), bytes(0xF0, 0x9F, 0x98), bytes(0xC3), bytes(0x41)};
        for (byte[] before : befores) {
            for (int lead = 0; lead < 4; lead++) {
                byte[] a = concat("x".repeat(lead).getBytes(StandardCharsets.US_ASCII), before, text);
                int off = lead + before.length;
                assertThat(new Utf8Validator().update(a, off, text.length)).as("after %s", Hex.of(ByteBuffer.wrap(before)))
                        .isTrue();
                for (int cont = 1; cont <= 3; cont++) {
                    // Bytes that would finish the sequence the bytes before the range began.
                    byte[] conts = new byte[cont];
                    java.util.Arrays.fill(conts, (byte) 0x80);
                    byte[] b = concat("x".repeat(lead).getBytes(StandardCharsets.US_ASCII), before, conts, text);
                    assertThat(new Utf8Validator().update(b, off, text.length + cont))
                            .as("continuations after %s", Hex.of(ByteBuffer.wrap(before))).isFalse();
                }
            }
        }
    }

    /**
     * The last window of the vector kernel overlaps bytes already checked: an ill-formed byte at
     * every position of the last 64 bytes, in texts of every length from 64 to 200, gets the
     * JDK's verdict, and the validator fails on exactly that byte (the prefix before it passes).
     */
    @Test
    void anImpossibleByteAnywhereInTheLastWindowFailsThere() {
        int[] impossible = {0x80, 0xBF, 0xC0, 0xFF, 0xF5};
        for (String unit : new String[] {"世", "a世", "ab世😀", "é"}) {
            for (int length = 64; length <= 200; length++) {
                byte[] text = fill(unit, length);
                assertThat(ours(text)).as("%s x %d", unit, length).isTrue();
                for (int at = Math.max(0, length - 64); at < length; at++) {
                    for (int bad : impossible) {
                        byte[] changed = text.clone();
                        changed[at] = (byte) bad;
                        assertThat(ours(changed)).as("%02X at %d of %d (%s)", bad, at, length, unit)
                                .isEqualTo(jdkAccepts(changed));
                        assertThat(failingByteWhole(changed)).as("%02X at %d of %d (%s): fails at", bad, at, length, unit)
                                .isEqualTo(failingByteOneAtATime(changed));
                    }
                }
            }
        }
    }

    /**
     * Sequences that straddle where the last whole vector ends and the overlapping last window
     * begins: every 2-, 3- and 4-byte sequence shape, well-formed and surrogate or overlong,
     * placed at every offset of the last 70 bytes of 64- to 200-byte texts.
     */
    @Test
    void sequencesStraddlingTheOverlapGetTheJdkVerdict() {
        int[][] candidates = {{0xC3, 0xA9}, {0xE4, 0xB8, 0x96}, {0xF0, 0x9F, 0x98, 0x80}, {0xED, 0xA0, 0x80},
                {0xE0, 0x80, 0x80}, {0xF4, 0x90, 0x80, 0x80}, {0xC1, 0xBF}, {0xE4, 0xB8}, {0xF0, 0x9F, 0x98}};
        for (int[] c : candidates) {
            byte[] candidate = bytes(c);
            for (int length = 64; length <= 200; length++) {
                for (int at = Math.max(0, length - 70); at + candidate.length <= length; at++) {
                    for (boolean ascii : new boolean[] {true, false}) {
                        byte[] text = concat(prefix(at, ascii), candidate,
                                "s".repeat(length - at - candidate.length).getBytes(StandardCharsets.US_ASCII));
                        assertThat(ours(text)).as("%s at %d of %d", Hex.of(ByteBuffer.wrap(candidate)), at, length)
                                .isEqualTo(jdkAccepts(text));
                    }
                }
            }
        }
    }

    /** {@code length} bytes of {@code unit} repeated, whole characters, padded with ASCII. */
    private static byte[] fill(String unit, int length) {
        byte[] one = unit.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[length];
        int n = 0;
        while (n + one.length <= length) {
            System.arraycopy(one, 0, out, n, one.length);
            n += one.length;
        }
        java.util.Arrays.fill(out, n, length, (byte) 't');
        return out;
    }

    /**
     * The index of the byte the validator fails on when given whole prefixes (the vector path
     * for 64 bytes and more), or -1: the shortest failing prefix, found by bisection (a text
     * fails exactly when a prefix up to its failing byte does).
     */
    private static int failingByteWhole(byte[] text) {
        if (new Utf8Validator().update(text, 0, text.length)) {
            return -1;
        }
        int lo = 0;              // update(text, 0, lo) passes
        int hi = text.length;    // update(text, 0, hi) fails
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (new Utf8Validator().update(text, 0, mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi - 1;
    }

    /** The index of the byte the DFA fails on, fed one byte per call (no fast scan), or -1. */
    private static int failingByteOneAtATime(byte[] text) {
        Utf8Validator v = new Utf8Validator();
        for (int i = 0; i < text.length; i++) {
            if (!v.update(text, i, 1)) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] bytes(int... values) {
        byte[] a = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            a[i] = (byte) values[i];
        }
        return a;
    }

    /** Long texts of runs, each byte in turn replaced: the verdict is the JDK's, whole and split. */
    @Test
    void longTextsWithOneByteChangedAnywhere() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 30; round++) {
            byte[] text = textOfRuns(random, 150 + random.nextInt(200));
            for (int at = 0; at < text.length; at++) {
                byte[] changed = text.clone();
                changed[at] = (byte) random.nextInt(256);
                boolean expected = jdkAccepts(changed);
                assertThat(ours(changed)).as("seed %d, byte %d of %s", seed, at, Hex.of(ByteBuffer.wrap(changed)))
                        .isEqualTo(expected);
                int cut = random.nextInt(changed.length + 1);
                Utf8Validator v = new Utf8Validator();
                boolean split = v.update(changed, 0, cut) & v.update(changed, cut, changed.length - cut) && v.isComplete();
                assertThat(split).as("seed %d, byte %d, cut %d of %s", seed, at, cut, Hex.of(ByteBuffer.wrap(changed)))
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void longValidTextsOfEveryKindPass() {
        for (String unit : new String[] {"a", "é", "世", "😀", "a世😀é", "ab世"}) {
            for (int n = 1; n < 300; n++) {
                byte[] text = unit.repeat(n).getBytes(StandardCharsets.UTF_8);
                assertThat(ours(text)).as("%d x %s", n, unit).isTrue();
                assertThat(ours(java.util.Arrays.copyOf(text, text.length - 1))).as("%d x %s cut", n, unit)
                        .isEqualTo(unit.charAt(unit.length() - 1) < 0x80);
            }
        }
    }

    private static byte[] textOfRuns(Random random, int targetLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < targetLength) {
            int kind = random.nextInt(4);
            int count = 1 + random.nextInt(30);
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
        return out.toByteArray();
    }
}
