package dev.tether.ws.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The bulk of {@link Utf8Validator}'s work on a heap array: skips whole well-formed characters
 * and stops at the first one it cannot vouch for, leaving that sequence (ill-formed, or cut off
 * by the end of the chunk) to the validator's DFA, which knows how to carry it into the next
 * chunk and where exactly to fail.
 *
 * <p>The scalar algorithm of the JDK's and Guava's decoders: branch on the lead byte, range-check
 * the second byte (the only one that can make a sequence overlong, a surrogate or too large,
 * Unicode table 3-7), then check the rest are continuation bytes. In front of it, runs of one
 * kind of character are checked a word at a time: ASCII 16 bytes per step, and 2-, 3- and 4-byte
 * characters eight per step, by comparing their bit pattern against masks (and, for 4-byte ones,
 * each character's value against the bounds of the supplementary planes).
 *
 * <p>Words are read little-endian ({@code VarHandle} views), so byte {@code n} of the text is
 * byte {@code n} of the word counted from its least significant end; only the 4-byte run reads
 * them big-endian, where it compares whole characters as numbers.
 */
final class Utf8Scalar {
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS_BE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    private static final long LOW_7F = 0x7F7F_7F7F_7F7F_7F7FL;

    // Four 2-byte characters in a word: 110xxxxx 10xxxxxx. A lead C0 or C1 is overlong: its
    // xxxx_x bits 1-4 (mask 1E) are zero.
    private static final long SHAPE2 = 0xC0E0_C0E0_C0E0_C0E0L;
    private static final long BITS2 = 0x80C0_80C0_80C0_80C0L;
    private static final long LEAD2_1E = 0x001E_001E_001E_001EL;

    // Eight 3-byte characters in three words (24 bytes): 1110xxxx 10xxxxxx 10xxxxxx. Byte k of the
    // block is a lead when k % 3 == 0, so each word has its own pattern: leads at bytes 0, 3, 6
    // of the first word, 1, 4, 7 of the second, 2, 5 of the third (no two words share a lead
    // position, so their leads can be gathered into one word), second bytes one further on.
    private static final long SHAPE3_0 = block3(0, 0xF0, 0xC0, 0xC0);
    private static final long SHAPE3_1 = block3(1, 0xF0, 0xC0, 0xC0);
    private static final long SHAPE3_2 = block3(2, 0xF0, 0xC0, 0xC0);
    private static final long BITS3_0 = block3(0, 0xE0, 0x80, 0x80);
    private static final long BITS3_1 = block3(1, 0xE0, 0x80, 0x80);
    private static final long BITS3_2 = block3(2, 0xE0, 0x80, 0x80);
    private static final long LEADS3_0 = block3(0, 0x0F, 0, 0);    // low nibble of each lead
    private static final long LEADS3_1 = block3(1, 0x0F, 0, 0);
    private static final long LEADS3_2 = block3(2, 0x0F, 0, 0);
    private static final long SECONDS3_0 = block3(0, 0, 0x20, 0);  // bit 5 of each second byte
    private static final long SECONDS3_1 = block3(1, 0, 0x20, 0);
    private static final long SECONDS3_2 = block3(2, 0, 0x20, 0) & ~0xFFL;  // byte 16: see allowedSeconds
    private static final long NIBBLE_D = 0x0D0D_0D0D_0D0D_0D0DL;
    private static final long SURROGATE3 = 0x2D2D_2D2D_2D2D_2D2DL;

    // 4-byte characters are read big-endian (LONGS_BE), two to a word, so each is a 32-bit lane
    // whose value grows with its code point: lead, second, third, fourth byte from the top down.
    // The shape test asks for the lead's top bit and 10xxxxxx in the other three bytes; given
    // that, a lane is well-formed exactly when F0 90 80 80 <= lane <= F4 8F BF BF (U+10000 to
    // U+10FFFF, RFC 3629 section 4: F0 narrows the second byte to 90..BF, F4 to 80..8F, F5..FF
    // never occur), one range test that covers lead and second byte together.
    private static final long SHAPE4 = 0x80C0_C0C0_80C0_C0C0L;
    private static final long BITS4 = 0x8080_8080_8080_8080L;
    // With the lane's top bit known to be set, lane - (bound - 2^31) cannot borrow from the next
    // lane, and its top bit says lane >= bound.
    private static final long FROM4 = 0x7090_8080_7090_8080L;   // F0 90 80 80, first well-formed
    private static final long PAST4 = 0x748F_BFC0_748F_BFC0L;   // F4 8F BF C0, first past U+10FFFF
    private static final long LANE_TOPS = 0x8000_0000_8000_0000L;

    private Utf8Scalar() {
    }

    /**
     * Word {@code word} (0 to 2) of a 24-byte block of 3-byte characters, with {@code lead},
     * {@code second} and {@code third} in the bytes that hold each part of a character.
     */
    private static long block3(int word, int lead, int second, int third) {
        long w = 0;
        for (int k = 8 * word; k < 8 * word + 8; k++) {
            int b = switch (k % 3) {
                case 0 -> lead;
                case 1 -> second;
                default -> third;
            };
            w |= (long) b << ((k & 7) << 3);
        }
        return w;
    }

    /**
     * Skips the well-formed characters of {@code a[i, to)}; {@code i} is at a character boundary.
     *
     * @return {@code to} if all of it is whole, well-formed characters; else the index of the
     *     first sequence that is ill-formed or does not end before {@code to}
     */
    static int skipWellFormed(byte[] a, int i, int to) {
        while (i < to) {
            int b0 = a[i];
            if (b0 >= 0) {
                i = skipAscii(a, i + 1, to);
                continue;
            }
            // A run test that fails at its first block means a character of another kind (or an
            // E0/ED lead, or an error) lies within that block. The characters of this kind before
            // it are checked one at a time, all of them before the run test is tried again: short
            // words in ASCII text (Chinese values in JSON, Cyrillic words between spaces, an emoji
            // in a chat line) would otherwise pay a failed block for every character.
            int start = i;
            if (b0 < (byte) 0xE0) {
                i = skipTwoByteRun(a, i, to);
                if (i == start) {
                    i = skipTwoByteChars(a, i, Math.min(to, i + 16));
                }
            } else if (b0 < (byte) 0xF0) {
                i = skipThreeByteRun(a, i, to);
                if (i == start) {
                    i = skipThreeByteChars(a, i, to, Math.min(to, i + 24));
                }
            } else {
                i = skipFourByteRun(a, i, to);
                if (i == start) {
                    i = skipFourByteChars(a, i, to, Math.min(to, i + 8));
                }
            }
            if (i == start) {
                return i;  // ill-formed, or cut off by the end of the chunk
            }
        }
        return i;
    }

    /**
     * Skips well-formed 2-byte characters one at a time while they end before {@code stop}
     * (at most {@code to}); returns where the first other character starts.
     */
    private static int skipTwoByteChars(byte[] a, int i, int stop) {
        while (i + 1 < stop) {
            int b0 = a[i];
            if (b0 < (byte) 0xC2 || b0 >= (byte) 0xE0 || a[i + 1] > (byte) 0xBF) {
                break;
            }
            i += 2;
        }
        return i;
    }

    /**
     * Skips well-formed 3-byte characters one at a time while they start before {@code stop};
     * each must end before {@code to}. Returns where the first other character starts.
     */
    private static int skipThreeByteChars(byte[] a, int i, int to, int stop) {
        while (i < stop && i + 2 < to) {
            int b0 = a[i];
            if (b0 < (byte) 0xE0 || b0 >= (byte) 0xF0) {
                break;
            }
            int b1 = a[i + 1];
            if (b1 > (byte) 0xBF
                    || b0 == (byte) 0xE0 && b1 < (byte) 0xA0    // overlong
                    || b0 == (byte) 0xED && b1 >= (byte) 0xA0   // surrogate
                    || a[i + 2] > (byte) 0xBF) {
                break;
            }
            i += 3;
        }
        return i;
    }

    /**
     * Skips well-formed 4-byte characters one at a time while they start before {@code stop};
     * each must end before {@code to}. Returns where the first other character starts.
     */
    private static int skipFourByteChars(byte[] a, int i, int to, int stop) {
        while (i < stop && i + 3 < to) {
            int b0 = a[i];
            int b1 = a[i + 1];
            // Guava's test: lead F0..F4 and second byte together within U+10000..U+10FFFF
            // (F0 needs 90..BF, F4 needs 80..8F, F5..F7 never fit); first, that b0 is F0..F7.
            if ((b0 & 0xF8) != 0xF0
                    || b1 > (byte) 0xBF
                    || (b0 << 28) + (b1 - (byte) 0x90) >> 30 != 0
                    || a[i + 2] > (byte) 0xBF
                    || a[i + 3] > (byte) 0xBF) {
                break;
            }
            i += 4;
        }
        return i;
    }

    /** Skips ASCII from {@code i}: the index of the first byte that is not, or {@code to}. */
    private static int skipAscii(byte[] a, int i, int to) {
        for (int last = to - 16; i <= last; i += 16) {
            long w0 = (long) LONGS.get(a, i);
            long w1 = (long) LONGS.get(a, i + 8);
            if (((w0 | w1) & HIGH_BITS) != 0) {
                long high = w0 & HIGH_BITS;
                return high != 0
                        ? i + (Long.numberOfTrailingZeros(high) >>> 3)
                        : i + 8 + (Long.numberOfTrailingZeros(w1 & HIGH_BITS) >>> 3);
            }
        }
        while (i < to && a[i] >= 0) {
            i++;
        }
        return i;
    }

    /** Skips well-formed 2-byte characters eight at a time; returns {@code i} when none. */
    private static int skipTwoByteRun(byte[] a, int i, int to) {
        for (int last = to - 16; i <= last; i += 16) {
            long w0 = (long) LONGS.get(a, i);
            long w1 = (long) LONGS.get(a, i + 8);
            if ((((w0 ^ BITS2) | (w1 ^ BITS2)) & SHAPE2) != 0) {
                break;
            }
            long leads = w0 & LEAD2_1E | (w1 & LEAD2_1E) << 8;  // one lead in every byte
            if (((leads + LOW_7F) & HIGH_BITS) != HIGH_BITS) {
                break;
            }
        }
        return i;
    }

    /**
     * Skips well-formed 3-byte characters eight at a time; returns {@code i} when none. The lead
     * decides which second bytes are allowed (Unicode table 3-7): only E0 (A0..BF, no overlongs)
     * and ED (80..9F, no surrogates) narrow the range. Chinese text has neither lead, so a block
     * whose leads are all other than E0 and ED needs only its shape checked; a block with one of
     * them (Indic scripts are E0 A4..) takes the exact test.
     */
    private static int skipThreeByteRun(byte[] a, int i, int to) {
        for (int last = to - 24; i <= last; i += 24) {
            long w0 = (long) LONGS.get(a, i);
            long w1 = (long) LONGS.get(a, i + 8);
            long w2 = (long) LONGS.get(a, i + 16);
            long shape = (w0 ^ BITS3_0) & SHAPE3_0 | (w1 ^ BITS3_1) & SHAPE3_1 | (w2 ^ BITS3_2) & SHAPE3_2;
            long nibbles = w0 & LEADS3_0 | w1 & LEADS3_1 | w2 & LEADS3_2;  // all eight leads
            // Byte by byte, the top bit of nibble + 7F says nibble != 0 (lead E0), and likewise for
            // nibble ^ D (lead ED); a nibble is at most 0F, so nothing carries into the next byte.
            long plain = (nibbles + LOW_7F) & ((nibbles ^ NIBBLE_D) + LOW_7F) & HIGH_BITS;
            if ((shape | plain ^ HIGH_BITS) != 0 && (shape != 0 || !allowedSeconds(w0, w1, w2, nibbles))) {
                break;
            }
        }
        return i;
    }

    /**
     * Whether the eight 3-byte characters of a well-shaped block keep E0 and ED to their ranges:
     * per character, the lead's low nibble with bit 5 of the second byte is 0x00 for an overlong
     * form (E0 80..9F) and 0x2D for a surrogate (ED A0..BF), and any other value is well-formed.
     */
    private static boolean allowedSeconds(long w0, long w1, long w2, long nibbles) {
        long seconds = (w0 & SECONDS3_0 | w1 & SECONDS3_1 | w2 & SECONDS3_2) >>> 8
                | (w2 & 0x20) << 56;  // the lead in byte 7 of the second word, its second byte 0 of the third
        long x = nibbles | seconds;
        // Bytes are at most 0x2F: adding 7F sets the top bit exactly when the byte is nonzero.
        return ((x + LOW_7F) & ((x ^ SURROGATE3) + LOW_7F) & HIGH_BITS) == HIGH_BITS;
    }

    /**
     * Skips well-formed 4-byte characters eight at a time, then two at a time (the end of a run,
     * or the start of the block that stopped the first loop); returns {@code i} when none.
     */
    private static int skipFourByteRun(byte[] a, int i, int to) {
        for (int last = to - 32; i <= last; i += 32) {
            long w0 = (long) LONGS_BE.get(a, i);
            long w1 = (long) LONGS_BE.get(a, i + 8);
            long w2 = (long) LONGS_BE.get(a, i + 16);
            long w3 = (long) LONGS_BE.get(a, i + 24);
            if ((((w0 ^ BITS4) | (w1 ^ BITS4) | (w2 ^ BITS4) | (w3 ^ BITS4)) & SHAPE4) != 0) {
                break;
            }
            long fromOk = (w0 - FROM4) & (w1 - FROM4) & (w2 - FROM4) & (w3 - FROM4);
            long past = (w0 - PAST4) | (w1 - PAST4) | (w2 - PAST4) | (w3 - PAST4);
            if ((fromOk & ~past & LANE_TOPS) != LANE_TOPS) {
                break;
            }
        }
        for (int last = to - 8; i <= last; i += 8) {
            long w = (long) LONGS_BE.get(a, i);
            if (((w ^ BITS4) & SHAPE4) != 0 || ((w - FROM4) & ~(w - PAST4) & LANE_TOPS) != LANE_TOPS) {
                break;
            }
        }
        return i;
    }
}
