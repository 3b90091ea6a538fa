package dev.tether.ws.conformance;

import java.util.Arrays;

/**
 * A second, independent decoder for what a client compresses (raw DEFLATE, RFC 1951, framed by
 * RFC 7692 section 7.2), written for checking rather than speed. It decodes each compressed
 * message itself and refuses, with the reason, what zlib's inflater would let through:
 *
 * <ul>
 *   <li>a back-reference further than the agreed {@code client_max_window_bits} window
 *       (2^bits bytes; section 7.1.2.2: the client "MUST NOT use an LZ77 sliding window longer
 *       than" that, and zlib decodes such data with its full window all the same);</li>
 *   <li>under {@code client_no_context_takeover}, a back-reference into an earlier message
 *       (section 7.1.1.2);</li>
 *   <li>a message that does not end the way section 7.2.1 makes it end: with the tail of an
 *       empty stored block whose last four bytes {@code 00 00 FF FF} were removed (or with a
 *       final block);</li>
 *   <li>anything RFC 1951 does not allow (reserved block type, a bad stored length, bad code
 *       lengths, codes that do not decode, distances before the start of the stream).</li>
 * </ul>
 *
 * What it decodes is compared by the caller with what the codec's {@link
 * dev.tether.ws.codec.deflate.MessageInflater} made of the same bytes. Not thread-safe: one per
 * connection, on its reading thread.
 */
final class DeflateCheck {
    /** A rule the compressed data broke. */
    static final class Violation extends Exception {
        private static final long serialVersionUID = 1L;
        private final int closeCode;

        Violation(String message, int closeCode) {
            super(message);
            this.closeCode = closeCode;
        }

        /** 1002 for a broken agreement (window, context takeover, message end), 1007 for data
         * that is not DEFLATE at all, as the codec's inflater would say. */
        int closeCode() {
            return closeCode;
        }
    }

    private static final int PROTOCOL_ERROR = 1002;
    private static final int INVALID_PAYLOAD = 1007;

    private static final int MAX_BITS = 15;
    private static final int HISTORY = 1 << 15;
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    private static final int[] LENGTH_BASE = {
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    private static final int[] DIST_BASE = {
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
        4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DIST_EXTRA = {
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    private static final Huffman FIXED_LITERALS;
    private static final Huffman FIXED_DISTANCES;

    static {
        int[] lengths = new int[288];
        Arrays.fill(lengths, 0, 144, 8);
        Arrays.fill(lengths, 144, 256, 9);
        Arrays.fill(lengths, 256, 280, 7);
        Arrays.fill(lengths, 280, 288, 8);
        int[] distances = new int[30];
        Arrays.fill(distances, 5);
        try {
            FIXED_LITERALS = new Huffman(lengths, 288);
            FIXED_DISTANCES = new Huffman(distances, 30);
        } catch (Violation e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int window;
    private final boolean noContextTakeover;
    /** The last bytes of earlier messages, for back-references; empty without context takeover. */
    private byte[] history = new byte[0];
    private int messages;

    // The message being decoded.
    private byte[] in;
    private int inLength;
    private int inPos;
    private long bitBuf;
    private int bitCount;
    private byte[] out;
    /** out[0, outStart) is the history; the message starts at outStart. */
    private int outStart;
    private int outPos;

    /**
     * @param windowBits the agreed {@code client_max_window_bits} (15 when none was agreed)
     * @param noContextTakeover {@code client_no_context_takeover} was agreed
     */
    DeflateCheck(int windowBits, boolean noContextTakeover) {
        this.window = 1 << windowBits;
        this.noContextTakeover = noContextTakeover;
    }

    /**
     * Decodes one message: the payload bytes of all its frames, without the tail the sender
     * removed.
     *
     * @return the message as decoded
     * @throws Violation naming the rule broken, the message (1-based) and where
     */
    byte[] message(byte[] compressed, int length) throws Violation {
        messages++;
        in = Arrays.copyOf(compressed, length + TAIL.length);
        System.arraycopy(TAIL, 0, in, length, TAIL.length);
        inLength = in.length;
        inPos = 0;
        bitBuf = 0;
        bitCount = 0;
        outStart = history.length;
        out = Arrays.copyOf(history, Math.max(outStart + 4 * length + 1024, 4096));
        outPos = outStart;
        boolean last;
        do {
            last = bits(1) == 1;
            int type = bits(2);
            switch (type) {
                case 0 -> stored();
                case 1 -> codes(FIXED_LITERALS, FIXED_DISTANCES);
                case 2 -> dynamic();
                default -> throw fail("reserved block type 3 (RFC 1951 section 3.2.3)");
            }
        } while (!last && (inPos < inLength || bitCount >= 8));
        if (!last && bitCount > 0 && bits(bitCount) != 0) {
            throw fail("ends with stray bits");
        }
        byte[] message = Arrays.copyOfRange(out, outStart, outPos);
        if (noContextTakeover || last) {
            history = new byte[0];  // a final block ends the stream; the next message starts a new one
        } else {
            int keep = Math.min(HISTORY, outPos);
            history = Arrays.copyOfRange(out, outPos - keep, outPos);
        }
        out = null;
        in = null;
        return message;
    }

    /** Data that is not DEFLATE (RFC 1951). */
    private Violation fail(String what) {
        return fail(what, INVALID_PAYLOAD);
    }

    /** DEFLATE, but not as permessage-deflate agreed (RFC 7692). */
    private Violation breach(String what) {
        return fail(what, PROTOCOL_ERROR);
    }

    private Violation fail(String what, int code) {
        return new Violation("compressed message " + messages + ", at byte " + Math.max(0, inPos - bitCount / 8)
                + " of " + (inLength - TAIL.length) + ": " + what, code);
    }

    // ---- bits --------------------------------------------------------------------------------

    /** Up to 32 bits, least significant first (RFC 1951 section 3.1.1). */
    private int bits(int n) throws Violation {
        while (bitCount < n) {
            if (inPos == inLength) {
                throw breach("the data ends inside a block: a message must end with an empty stored block "
                        + "whose 00 00 FF FF was removed (RFC 7692 section 7.2.1)");
            }
            bitBuf |= (long) (in[inPos++] & 0xFF) << bitCount;
            bitCount += 8;
        }
        int v = (int) (bitBuf & ((1L << n) - 1));
        bitBuf >>>= n;
        bitCount -= n;
        return v;
    }

    /** The next {@code n} bits without consuming them, zeros past the end. */
    private int peek(int n) {
        while (bitCount < n && inPos < inLength) {
            bitBuf |= (long) (in[inPos++] & 0xFF) << bitCount;
            bitCount += 8;
        }
        return (int) (bitBuf & ((1L << n) - 1));
    }

    private void drop(int n) throws Violation {
        if (n > bitCount) {
            throw breach("the data ends inside a code: a message must end with an empty stored block "
                    + "whose 00 00 FF FF was removed (RFC 7692 section 7.2.1)");
        }
        bitBuf >>>= n;
        bitCount -= n;
    }

    // ---- blocks ------------------------------------------------------------------------------

    private void stored() throws Violation {
        bits(bitCount % 8);  // to the byte boundary
        int len = bits(16);
        int nlen = bits(16);
        if (len != (~nlen & 0xFFFF)) {
            throw fail("stored block length " + len + " does not match its complement " + nlen);
        }
        ensure(len);
        for (int i = 0; i < len; i++) {
            out[outPos++] = (byte) bits(8);
        }
    }

    private void dynamic() throws Violation {
        int literals = bits(5) + 257;
        int distances = bits(5) + 1;
        int codeLengths = bits(4) + 4;
        if (literals > 286 || distances > 30) {
            throw fail(literals + " literal/length and " + distances + " distance codes (at most 286 and 30)");
        }
        int[] clLengths = new int[19];
        for (int i = 0; i < codeLengths; i++) {
            clLengths[CODE_LENGTH_ORDER[i]] = bits(3);
        }
        Huffman cl = new Huffman(clLengths, 19);
        int[] lengths = new int[literals + distances];
        for (int i = 0; i < lengths.length; ) {
            int sym = cl.decode(this);
            if (sym < 16) {
                lengths[i++] = sym;
                continue;
            }
            int repeat;
            int value = 0;
            if (sym == 16) {
                if (i == 0) {
                    throw fail("code length 16 (repeat) with nothing to repeat");
                }
                value = lengths[i - 1];
                repeat = 3 + bits(2);
            } else if (sym == 17) {
                repeat = 3 + bits(3);
            } else {
                repeat = 11 + bits(7);
            }
            if (i + repeat > lengths.length) {
                throw fail("code lengths run past the " + lengths.length + " codes");
            }
            Arrays.fill(lengths, i, i + repeat, value);
            i += repeat;
        }
        if (lengths[256] == 0) {
            throw fail("no code for end-of-block");
        }
        Huffman lit = new Huffman(Arrays.copyOfRange(lengths, 0, literals), literals);
        Huffman dist = new Huffman(Arrays.copyOfRange(lengths, literals, lengths.length), distances);
        codes(lit, dist);
    }

    private void codes(Huffman lit, Huffman dist) throws Violation {
        while (true) {
            int sym = lit.decode(this);
            if (sym < 256) {
                ensure(1);
                out[outPos++] = (byte) sym;
            } else if (sym == 256) {
                return;
            } else {
                sym -= 257;
                if (sym >= 29) {
                    throw fail("length code " + (sym + 257) + " is reserved");
                }
                int len = LENGTH_BASE[sym] + bits(LENGTH_EXTRA[sym]);
                int dsym = dist.decode(this);
                if (dsym >= 30) {
                    throw fail("distance code " + dsym + " is reserved");
                }
                int distance = DIST_BASE[dsym] + bits(DIST_EXTRA[dsym]);
                if (distance > window) {
                    throw breach("a back-reference " + distance + " bytes back, beyond the " + window
                            + "-byte window client_max_window_bits allows (RFC 7692 section 7.1.2.2)");
                }
                int available = outPos - outStart;
                if (distance > available) {
                    if (noContextTakeover) {
                        throw breach("a back-reference " + distance + " bytes back, before the start of this message, "
                                + "though client_no_context_takeover was agreed (RFC 7692 section 7.1.1.2)");
                    }
                    if (distance > outPos) {
                        throw fail("a back-reference " + distance + " bytes back, before the start of the stream");
                    }
                }
                ensure(len);
                for (int i = 0; i < len; i++) {
                    out[outPos] = out[outPos - distance];
                    outPos++;
                }
            }
        }
    }

    private void ensure(int more) {
        if (outPos + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, outPos + more));
        }
    }

    /** A canonical Huffman code (RFC 1951 section 3.2.2), decoded through a full lookup table. */
    private static final class Huffman {
        /** Indexed by the next maxBits input bits: symbol << 4 | code length; 0 where no code is. */
        private final int[] table;
        private final int maxBits;

        Huffman(int[] lengths, int n) throws Violation {
            int[] count = new int[MAX_BITS + 1];
            int max = 0;
            for (int i = 0; i < n; i++) {
                count[lengths[i]]++;
                max = Math.max(max, lengths[i]);
            }
            count[0] = 0;
            int left = 1;
            for (int len = 1; len <= MAX_BITS; len++) {
                left = (left << 1) - count[len];
                if (left < 0) {
                    throw new Violation("an over-subscribed Huffman code (RFC 1951 section 3.2.2)", INVALID_PAYLOAD);
                }
            }
            maxBits = Math.max(max, 1);
            table = new int[1 << maxBits];
            int[] next = new int[MAX_BITS + 2];
            int code = 0;
            for (int len = 1; len <= MAX_BITS; len++) {
                code = (code + count[len - 1]) << 1;
                next[len] = code;
            }
            for (int sym = 0; sym < n; sym++) {
                int len = lengths[sym];
                if (len == 0) {
                    continue;
                }
                int reversed = Integer.reverse(next[len]++) >>> (32 - len);
                for (int i = reversed; i < table.length; i += 1 << len) {
                    table[i] = sym << 4 | len;
                }
            }
        }

        int decode(DeflateCheck d) throws Violation {
            int entry = table[d.peek(maxBits)];
            if (entry == 0) {
                throw d.fail("bits that are no code of the block's Huffman table");
            }
            d.drop(entry & 0xF);
            return entry >>> 4;
        }
    }
}
