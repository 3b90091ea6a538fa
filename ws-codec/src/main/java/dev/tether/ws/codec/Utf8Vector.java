package dev.tether.ws.codec;

import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.NE;
import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The lookup algorithm of Keiser and Lemire ("Validating UTF-8 in less than one instruction per
 * byte", Software: Practice and Experience 51(5), 2021), as simdjson and simdutf run it, on the
 * incubating Vector API: a whole vector of bytes per step, no branch per character.
 *
 * <p>Each byte is classified together with the byte before it by three 16-entry table lookups
 * (high nibble of the previous byte, its low nibble, high nibble of this byte), whose AND is
 * non-zero exactly for the two-byte patterns that can never occur in UTF-8 (a lead without its
 * continuation, a stray continuation, overlong forms, surrogates, code points past U+10FFFF); a
 * second test says which bytes must be the third or fourth of a sequence, from the bytes two and
 * three back. The tables are those of the paper and of simdjson's {@code utf8_lookup4}.
 *
 * <p>Only {@link Utf8Validator} uses this class, and only when {@code jdk.incubator.vector} is
 * in the boot layer: the library compiles against it with {@code requires static} and never
 * loads this class otherwise. The vector kernel does not locate errors: it stops at the first
 * vector with one and hands over, at a character boundary, to {@link Utf8Scalar} and the DFA,
 * which find the exact byte.
 */
final class Utf8Vector {
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    // Error classes of a (previous byte, byte) pair; a pair is ill-formed when some class is set
    // by all three lookups.
    private static final int TOO_SHORT = 1;        // 11______ 0_______ or 11______ 11______
    private static final int TOO_LONG = 1 << 1;    // 0_______ 10______
    private static final int OVERLONG_3 = 1 << 2;  // 11100000 100_____
    private static final int TOO_LARGE = 1 << 3;   // 11110100 1001____ or 101_____, 11110101+
    private static final int SURROGATE = 1 << 4;   // 11101101 101_____
    private static final int OVERLONG_2 = 1 << 5;  // 1100000_ 10______
    private static final int TOO_LARGE_1000 = 1 << 6;  // 11110101+ 1000____
    private static final int OVERLONG_4 = 1 << 6;  // 11110000 1000____
    private static final int TWO_CONTS = 1 << 7;   // 10______ 10______ (unless a third/fourth byte)
    private static final int CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS;

    private static final ByteVector BYTE_1_HIGH = table(
            TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
            TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS,
            TOO_SHORT | OVERLONG_2,
            TOO_SHORT,
            TOO_SHORT | OVERLONG_3 | SURROGATE,
            TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4);
    private static final ByteVector BYTE_1_LOW = table(
            CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4,
            CARRY | OVERLONG_2,
            CARRY,
            CARRY,
            CARRY | TOO_LARGE,
            CARRY | TOO_LARGE | TOO_LARGE_1000,
            CARRY | TOO_LARGE | TOO_LARGE_1000,
            CARRY | TOO_LARGE | TOO_LARGE_1000,
            CARRY | TOO_LARGE | TOO_LARGE_1000,
            CARRY | TOO_LARGE | TOO_LARGE_1000,
            CARRY | TOO_LARGE | TOO_LARGE_1000,
            CARRY | TOO_LARGE | TOO_LARGE_1000,
            CARRY | TOO_LARGE | TOO_LARGE_1000,
            CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE,
            CARRY | TOO_LARGE | TOO_LARGE_1000,
            CARRY | TOO_LARGE | TOO_LARGE_1000);
    private static final ByteVector BYTE_2_HIGH = table(
            TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
            TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,
            TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
            TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
            TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
            TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT);

    private Utf8Vector() {
    }

    /** Whether vectors are wide enough to pay: 16 lanes or more. */
    static boolean worthIt() {
        return LANES >= 16;
    }

    private static ByteVector table(int... entries) {
        byte[] lanes = new byte[LANES];
        for (int i = 0; i < LANES; i++) {
            lanes[i] = (byte) entries[i & 15];
        }
        return ByteVector.fromArray(SPECIES, lanes, 0);
    }

    /**
     * Skips well-formed text in {@code a[i, to)}, a whole vector at a time; {@code i} is at a
     * character boundary.
     *
     * @return a character boundary {@code j >= i} such that {@code a[i, j)} is whole, well-formed
     *     characters; the caller checks the rest (from the first vector where the kernel saw an
     *     error, the character the end of the range cut, or, in a range too short for the
     *     overlapping last window, the bytes after the last whole vector)
     */
    static int skipWellFormed(byte[] a, int i, int to) {
        int from = i;
        // The kernel reads the three bytes before each vector from the array (cheaper than
        // shuffling them out of the previous vector), so it starts once the scalar scan has
        // vouched for three bytes or more: a[from - 3, from) is no part of this text.
        i = Utf8Scalar.skipWellFormed(a, i, Math.min(i + 4, to));
        if (i - from < 3) {
            return i;
        }
        ByteVector zero = ByteVector.zero(SPECIES);
        int last = to - LANES;
        // The bytes after the last whole vector (up to LANES - 1 of them: 61 of a 1 KiB text on
        // 64 lanes) go through one more vector, the last full-width window a[last, to). It
        // overlaps bytes already checked; checking them again gives the same answer, since each
        // byte's verdict depends only on itself and the three bytes before it, all in the text
        // (last - 3 >= from) and already vouched for. Only when the text is long enough.
        boolean tail = last - 3 >= from;
        while (true) {
            int at;
            if (i <= last) {
                at = i;
            } else if (tail && i < to) {
                at = last;
            } else {
                break;
            }
            ByteVector in = ByteVector.fromArray(SPECIES, a, at);
            if (!in.compare(LT, (byte) 0).anyTrue()) {
                if (incompleteBefore(a, at)) {
                    break;  // a sequence cut short by ASCII
                }
                i = at + LANES;
                continue;
            }
            // Written out in the loop rather than in a helper, even a two-line one: a vector
            // passed to a method the JIT does not inline is boxed on the heap, and C2 stops
            // inlining ordinary methods once the compiled graph passes its node budget
            // (NodeCountInliningCutoff), which this loop, inlined into a large caller, can reach;
            // only the Vector API's own @ForceInline methods are inlined past it.
            ByteVector prev1 = ByteVector.fromArray(SPECIES, a, at - 1);
            // High nibbles: the Vector API shifts bytes one lane at a time, which x86 has no
            // instruction for (it widens, shifts and narrows); shifting 16-bit lanes and masking
            // gives the same nibbles in two instructions.
            ByteVector prev1High = prev1.reinterpretAsShorts().lanewise(LSHR, 4).reinterpretAsBytes().and((byte) 0x0F);
            ByteVector inHigh = in.reinterpretAsShorts().lanewise(LSHR, 4).reinterpretAsBytes().and((byte) 0x0F);
            ByteVector special = prev1High.selectFrom(BYTE_1_HIGH)
                    .and(prev1.and((byte) 0x0F).selectFrom(BYTE_1_LOW))
                    .and(inHigh.selectFrom(BYTE_2_HIGH));
            // 0x80 where a third byte (two after 111_____) or a fourth (three after 1111____) is
            // due: there, and only there, TWO_CONTS is what well-formed text has.
            ByteVector must23 = zero.blend((byte) 0x80,
                    ByteVector.fromArray(SPECIES, a, at - 2).and((byte) 0xE0).compare(EQ, (byte) 0xE0)
                            .or(ByteVector.fromArray(SPECIES, a, at - 3).and((byte) 0xF0).compare(EQ, (byte) 0xF0)));
            if (must23.lanewise(XOR, special).compare(NE, (byte) 0).anyTrue()) {
                break;  // i stays at the end of what passed: the scalar scan finds the byte
            }
            i = at + LANES;
        }
        return boundaryBefore(a, from, i);
    }

    /**
     * Whether the checked text before {@code a[i]} ends inside a character: a lead in one of its
     * last three bytes whose sequence needs more bytes than are left (11______ last, 111_____
     * second to last, 1111____ third to last).
     */
    private static boolean incompleteBefore(byte[] a, int i) {
        return (a[i - 1] & 0xFF) >= 0xC0 || (a[i - 2] & 0xFF) >= 0xE0 || (a[i - 3] & 0xFF) >= 0xF0;
    }

    /**
     * {@code a[from, j)} passed the checks, but the character holding {@code a[j - 1]} may run
     * past {@code j}: {@code j} if it does not, else the index of its lead byte.
     */
    private static int boundaryBefore(byte[] a, int from, int j) {
        if (j == from) {
            return j;
        }
        int b = j - 1;
        for (int back = 0; back < 3 && b > from && (a[b] & 0xC0) == 0x80; back++) {
            b--;
        }
        int lead = a[b] & 0xFF;
        int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return b + length <= j ? j : b;
    }
}
