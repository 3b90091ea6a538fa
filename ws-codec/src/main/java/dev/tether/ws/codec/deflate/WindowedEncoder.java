package dev.tether.ws.codec.deflate;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A DEFLATE encoder (RFC 1951) whose back-references never reach further than a given window,
 * for the windows zlib cannot be held to through {@link java.util.zip.Deflater} (which always
 * uses 32 KiB). {@link MessageDeflater} uses it for the smallest windows (9 bits and below),
 * where clearing zlib's history to stay inside the window costs more than 10% in size.
 *
 * <p>LZ77 (RFC 1951 section 4): hash chains over 3-byte prefixes, bounded to the window, with
 * lazy matching (a match is taken only if the next position does not start a longer one). Each
 * part of a message becomes one or more blocks with dynamic Huffman codes (section 3.2.7) or the
 * fixed ones (section 3.2.6), whichever is shorter, followed by an empty stored block (section
 * 3.2.4): the sync flush permessage-deflate ends each part with (RFC 7692 section 7.2.1).
 * Matches never reach before {@link #forget()} (no context takeover) or further than the window
 * (RFC 7692 section 7.1.2.2).
 *
 * <p>Not thread-safe: owned by the connection's writer, through its {@link MessageDeflater}.
 */
final class WindowedEncoder {
    private static final int MIN_MATCH = 3;
    private static final int MAX_MATCH = 258;
    /** Input is taken in pieces of this size; a match does not run across two of them. */
    private static final int CHUNK = 8192;
    /** Symbols per block at most; a longer part gets more blocks. */
    private static final int MAX_SYMBOLS = 4096;
    private static final int HASH_BITS = 11;
    /** Chain steps per search at most; at 512 bytes of window a chain rarely gets there. */
    private static final int MAX_CHAIN = 256;
    /** A match this long ends the search, and is not looked past (lazy matching) either. */
    private static final int NICE_MATCH = 128;
    /** Past a match this long the next search walks a quarter of the chain. */
    private static final int GOOD_MATCH = 32;

    /** Length codes 257-285 (index 0-28): first length and extra bits (section 3.2.5). */
    private static final int[] LEN_BASE = new int[29];
    private static final int[] LEN_EXTRA = new int[29];
    /** Distance codes 0-29: first distance and extra bits (section 3.2.5). */
    private static final int[] DIST_BASE = new int[30];
    private static final int[] DIST_EXTRA = new int[30];
    /** The length code index (0-28) of each match length 3-258, at {@code length - 3}. */
    private static final byte[] LEN_CODE = new byte[256];
    /** The order code-length code lengths are sent in (section 3.2.7). */
    private static final int[] CL_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    /** The fixed literal/length code lengths (section 3.2.6); fixed distances are all 5 bits. */
    private static final byte[] FIXED_LIT_LENGTHS = new byte[288];
    private static final int[] FIXED_LIT_CODES = new int[288];
    private static final byte[] FIXED_DIST_LENGTHS = new byte[30];
    private static final int[] FIXED_DIST_CODES = new int[30];

    static {
        int base = 3;
        for (int i = 0; i < 28; i++) {
            LEN_EXTRA[i] = i < 8 ? 0 : (i - 4) / 4;
            LEN_BASE[i] = base;
            for (int k = 0; k < 1 << LEN_EXTRA[i] && base + k <= MAX_MATCH; k++) {
                LEN_CODE[base + k - MIN_MATCH] = (byte) i;
            }
            base += 1 << LEN_EXTRA[i];
        }
        // 258 has its own code (285) with no extra bits, though code 284 plus 31 could spell it.
        LEN_BASE[28] = MAX_MATCH;
        LEN_CODE[MAX_MATCH - MIN_MATCH] = 28;
        base = 1;
        for (int i = 0; i < 30; i++) {
            DIST_EXTRA[i] = i < 4 ? 0 : i / 2 - 1;
            DIST_BASE[i] = base;
            base += 1 << DIST_EXTRA[i];
        }
        for (int s = 0; s < 288; s++) {
            FIXED_LIT_LENGTHS[s] = (byte) (s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8);
        }
        Arrays.fill(FIXED_DIST_LENGTHS, (byte) 5);
        canonicalCodes(FIXED_LIT_LENGTHS, 288, FIXED_LIT_CODES, new int[16], new int[16]);
        canonicalCodes(FIXED_DIST_LENGTHS, 30, FIXED_DIST_CODES, new int[16], new int[16]);
    }

    private final int window;
    /** History and input: {@code buf[0, end)}; matches start at or after {@code floor}. */
    private final byte[] buf;
    private int end;
    /** The first position a match may refer to: the start of the stream or of a fresh history. */
    private int floor;
    /** Positions below this are in the hash chains. */
    private int hashed;
    /** Last position (plus one; 0 for none) with each 3-byte hash. */
    private final int[] head = new int[1 << HASH_BITS];
    /** The previous position with the same hash as {@code p} (plus one), at {@code p & prevMask}. */
    private final int[] prev;
    private final int prevMask;

    /** A block's symbols: a literal byte, or {@code distance << 16 | length} for a match. */
    private final int[] symbols = new int[MAX_SYMBOLS];
    private int symbolCount;
    private final int[] litFreq = new int[286];
    private final int[] distFreq = new int[30];
    private final byte[] litLengths = new byte[286];
    private final byte[] distLengths = new byte[30];
    private final int[] litCodes = new int[286];
    private final int[] distCodes = new int[30];
    /** Code-length symbols of the dynamic header, {@code symbol | extra << 8}. */
    private final int[] clSymbols = new int[286 + 30];
    private final int[] clFreq = new int[19];
    private final byte[] clLengths = new byte[19];
    private final int[] clCodes = new int[19];
    private final byte[] allLengths = new byte[286 + 30];
    private final Huffman huffman = new Huffman();
    /** Scratch for {@link #canonicalCodes}: codes per length, next code per length. */
    private final int[] perLength = new int[16];
    private final int[] nextCode = new int[16];

    /** The compressed output of the current call, {@code out[0, outLen)}, and its view. */
    private byte[] out = new byte[1024];
    private ByteBuffer outView = ByteBuffer.wrap(out);
    private int outLen;
    /** Bits not yet stored, from the low end. */
    private long bitBuf;
    private int bitCount;

    /** @param window the window in bytes, a power of two from 256 to 32 KiB */
    WindowedEncoder(int window) {
        this.window = window;
        this.buf = new byte[3 * window + CHUNK];
        this.prev = new int[2 * window];
        this.prevMask = 2 * window - 1;
    }

    /** Forgets the history: the next part refers to nothing before it (no context takeover). */
    void forget() {
        floor = end;
        hashed = end;
    }

    /**
     * Compresses {@code data}'s remaining bytes (consumed), ending with a sync flush.
     *
     * @return the compressed bytes, valid until the next call
     */
    ByteBuffer encode(ByteBuffer data) {
        outLen = 0;
        while (data.hasRemaining()) {
            int n = Math.min(CHUNK, data.remaining());
            if (end + n > buf.length) {
                slide();
            }
            data.get(buf, end, n);
            int start = end;
            end += n;
            match(start);
        }
        if (symbolCount > 0) {
            writeBlock();
        }
        // An empty stored block, not final (section 3.2.4): 3 header bits, then the byte
        // boundary, then LEN 0 and NLEN 0xFFFF. The receiver finds 00 00 FF FF at the end.
        writeBits(0, 3);
        alignToByte();
        ensureOut(4);
        out[outLen++] = 0;
        out[outLen++] = 0;
        out[outLen++] = (byte) 0xFF;
        out[outLen++] = (byte) 0xFF;
        outView.clear().limit(outLen);
        return outView;
    }

    /**
     * Moves the last window (at least) of bytes to the front. The shift is a multiple of the
     * chain table's size, so each position keeps its slot there; positions before the front
     * become 0 (none).
     */
    private void slide() {
        int shift = (end - window) / prev.length * prev.length;
        System.arraycopy(buf, shift, buf, 0, end - shift);
        end -= shift;
        floor = Math.max(0, floor - shift);
        hashed -= shift;
        for (int i = 0; i < head.length; i++) {
            head[i] = Math.max(0, head[i] - shift);
        }
        for (int i = 0; i < prev.length; i++) {
            prev[i] = Math.max(0, prev[i] - shift);
        }
    }

    private int hashAt(int p) {
        int v = (buf[p] & 0xFF) << 16 | (buf[p + 1] & 0xFF) << 8 | buf[p + 2] & 0xFF;
        return v * 0x9E3779B1 >>> (32 - HASH_BITS);
    }

    /** Puts every position below {@code limit} that has three bytes after it into the chains. */
    private void hashUpTo(int limit) {
        int last = Math.min(limit, end - 2);
        for (int p = hashed; p < last; p++) {
            int h = hashAt(p);
            prev[p & prevMask] = head[h];
            head[h] = p + 1;
        }
        if (last > hashed) {
            hashed = last;
        }
    }

    /** Turns {@code buf[from, end)} into symbols, lazily matching (section 4). */
    private void match(int from) {
        int p = from;
        int matchLength = 0;
        int matchDistance = 0;
        boolean pending = false;  // buf[p - 1] waits: a literal, or the start of the match above
        while (p < end) {
            hashUpTo(p + 1);
            int prevLength = matchLength;
            int prevDistance = matchDistance;
            matchLength = 0;
            if (prevLength < NICE_MATCH) {
                long m = longestMatch(p, Math.max(prevLength, MIN_MATCH - 1), prevLength >= GOOD_MATCH);
                matchLength = (int) m;
                matchDistance = (int) (m >>> 32);
            }
            if (prevLength >= MIN_MATCH && matchLength <= prevLength) {
                addMatch(prevLength, prevDistance);
                p += prevLength - 1;
                matchLength = 0;
                pending = false;
                continue;
            }
            if (pending) {
                addLiteral(buf[p - 1]);
            }
            pending = true;
            p++;
        }
        if (pending) {
            // A match at the last position would be one byte long at most.
            addLiteral(buf[p - 1]);
        }
    }

    /**
     * The longest match for {@code buf[p, ...)} longer than {@code best}, within the window and
     * after {@link #floor}: {@code distance << 32 | length}, or a length of 0 for none.
     */
    private long longestMatch(int p, int best, boolean shortChain) {
        int max = Math.min(MAX_MATCH, end - p);
        if (max <= best) {
            return 0;
        }
        int lowest = Math.max(floor, p - window);
        int steps = shortChain ? MAX_CHAIN / 4 : MAX_CHAIN;
        int bestLength = 0;
        int bestDistance = 0;
        int c = prev[p & prevMask] - 1;
        while (c >= lowest && steps-- > 0) {
            if (buf[c + best] == buf[p + best] && buf[c] == buf[p] && buf[c + 1] == buf[p + 1]) {
                int n = 2;
                while (n < max && buf[c + n] == buf[p + n]) {
                    n++;
                }
                if (n > best) {
                    best = n;
                    bestLength = n;
                    bestDistance = p - c;
                    if (n >= NICE_MATCH || n == max) {
                        break;
                    }
                }
            }
            c = prev[c & prevMask] - 1;
        }
        return (long) bestDistance << 32 | bestLength;
    }

    private void addLiteral(byte b) {
        symbols[symbolCount++] = b & 0xFF;
        litFreq[b & 0xFF]++;
        if (symbolCount == MAX_SYMBOLS) {
            writeBlock();
        }
    }

    private void addMatch(int length, int distance) {
        symbols[symbolCount++] = distance << 16 | length;
        litFreq[257 + LEN_CODE[length - MIN_MATCH]]++;
        distFreq[distanceCode(distance)]++;
        if (symbolCount == MAX_SYMBOLS) {
            writeBlock();
        }
    }

    private static int distanceCode(int distance) {
        int x = distance - 1;
        if (x < 4) {
            return x;
        }
        int top = 31 - Integer.numberOfLeadingZeros(x);
        return 2 * top + (x >>> (top - 1) & 1);
    }

    /**
     * Writes the collected symbols as one block (not final), with dynamic codes or the fixed
     * ones, whichever takes fewer bits, and starts a new block.
     */
    private void writeBlock() {
        litFreq[256] = 1;  // end of block
        huffman.lengths(litFreq, 286, 15, litLengths);
        huffman.lengths(distFreq, 30, 15, distLengths);
        int hlit = 286;
        while (hlit > 257 && litLengths[hlit - 1] == 0) {
            hlit--;
        }
        int hdist = 30;
        while (hdist > 1 && distLengths[hdist - 1] == 0) {
            hdist--;
        }
        // The code lengths of both codes as one sequence, run-length coded (section 3.2.7).
        System.arraycopy(litLengths, 0, allLengths, 0, hlit);
        System.arraycopy(distLengths, 0, allLengths, hlit, hdist);
        int clCount = runLengths(hlit + hdist);
        huffman.lengths(clFreq, 19, 7, clLengths);
        int hclen = 19;
        while (hclen > 4 && clLengths[CL_ORDER[hclen - 1]] == 0) {
            hclen--;
        }
        // Sizes in bits, leaving out the extra bits (the same for both).
        long dynamicBits = 14 + 3L * hclen;
        for (int s = 0; s < 19; s++) {
            dynamicBits += (long) clFreq[s] * clLengths[s];
        }
        dynamicBits += 2L * clFreq[16] + 3L * clFreq[17] + 7L * clFreq[18];
        long fixedBits = 0;
        for (int s = 0; s < 286; s++) {
            dynamicBits += (long) litFreq[s] * litLengths[s];
            fixedBits += (long) litFreq[s] * FIXED_LIT_LENGTHS[s];
        }
        for (int s = 0; s < 30; s++) {
            dynamicBits += (long) distFreq[s] * distLengths[s];
            fixedBits += 5L * distFreq[s];
        }
        if (fixedBits <= dynamicBits) {
            writeBits(0b010, 3);  // BFINAL 0, BTYPE 01: fixed codes
            writeSymbols(FIXED_LIT_LENGTHS, FIXED_LIT_CODES, FIXED_DIST_LENGTHS, FIXED_DIST_CODES);
        } else {
            writeBits(0b100, 3);  // BFINAL 0, BTYPE 10: dynamic codes
            writeBits(hlit - 257, 5);
            writeBits(hdist - 1, 5);
            writeBits(hclen - 4, 4);
            for (int i = 0; i < hclen; i++) {
                writeBits(clLengths[CL_ORDER[i]], 3);
            }
            canonicalCodes(clLengths, 19, clCodes, perLength, nextCode);
            for (int i = 0; i < clCount; i++) {
                int s = clSymbols[i] & 0xFF;
                writeBits(clCodes[s], clLengths[s]);
                if (s >= 16) {
                    writeBits(clSymbols[i] >>> 8, s == 16 ? 2 : s == 17 ? 3 : 7);
                }
            }
            canonicalCodes(litLengths, 286, litCodes, perLength, nextCode);
            canonicalCodes(distLengths, 30, distCodes, perLength, nextCode);
            writeSymbols(litLengths, litCodes, distLengths, distCodes);
        }
        symbolCount = 0;
        Arrays.fill(litFreq, 0);
        Arrays.fill(distFreq, 0);
    }

    private void writeSymbols(byte[] litLen, int[] litCode, byte[] distLen, int[] distCode) {
        for (int i = 0; i < symbolCount; i++) {
            int s = symbols[i];
            if (s >>> 8 == 0) {  // a literal; a match has a distance of at least 1 above bit 16
                writeBits(litCode[s], litLen[s]);
                continue;
            }
            int length = s & 0xFFFF;
            int distance = s >>> 16;
            int lc = LEN_CODE[length - MIN_MATCH];
            writeBits(litCode[257 + lc], litLen[257 + lc]);
            writeBits(length - LEN_BASE[lc], LEN_EXTRA[lc]);
            int dc = distanceCode(distance);
            writeBits(distCode[dc], distLen[dc]);
            writeBits(distance - DIST_BASE[dc], DIST_EXTRA[dc]);
        }
        writeBits(litCode[256], litLen[256]);
    }

    /**
     * Run-length codes {@code allLengths[0, n)} into {@link #clSymbols} with the repeat codes
     * 16 (the previous length 3-6 times), 17 (3-10 zeros) and 18 (11-138 zeros), counting them
     * in {@link #clFreq}.
     *
     * @return the number of code-length symbols
     */
    private int runLengths(int n) {
        Arrays.fill(clFreq, 0);
        int count = 0;
        int i = 0;
        while (i < n) {
            int v = allLengths[i];
            int run = 1;
            while (i + run < n && allLengths[i + run] == v) {
                run++;
            }
            i += run;
            if (v == 0) {
                while (run >= 11) {
                    int r = Math.min(run, 138);
                    clSymbols[count++] = 18 | (r - 11) << 8;
                    run -= r;
                }
                if (run >= 3) {
                    clSymbols[count++] = 17 | (run - 3) << 8;
                    run = 0;
                }
            } else {
                clSymbols[count++] = v;
                run--;
                while (run >= 3) {
                    int r = Math.min(run, 6);
                    clSymbols[count++] = 16 | (r - 3) << 8;
                    run -= r;
                }
            }
            while (run-- > 0) {
                clSymbols[count++] = v;
            }
        }
        for (int k = 0; k < count; k++) {
            clFreq[clSymbols[k] & 0xFF]++;
        }
        return count;
    }

    /**
     * The canonical codes of section 3.2.2 for {@code lengths[0, n)}, bit-reversed, since the
     * bits of a Huffman code go out from its most significant one while {@link #writeBits}
     * starts at the least.
     */
    private static void canonicalCodes(byte[] lengths, int n, int[] codes, int[] count, int[] next) {
        Arrays.fill(count, 0);
        for (int s = 0; s < n; s++) {
            count[lengths[s]]++;
        }
        count[0] = 0;
        int code = 0;
        for (int len = 1; len < 16; len++) {
            code = (code + count[len - 1]) << 1;
            next[len] = code;
        }
        for (int s = 0; s < n; s++) {
            int len = lengths[s];
            if (len != 0) {
                codes[s] = Integer.reverse(next[len]++) >>> (32 - len);
            }
        }
    }

    private void writeBits(int value, int n) {
        bitBuf |= (long) value << bitCount;
        bitCount += n;
        if (bitCount >= 32) {
            ensureOut(4);
            out[outLen++] = (byte) bitBuf;
            out[outLen++] = (byte) (bitBuf >>> 8);
            out[outLen++] = (byte) (bitBuf >>> 16);
            out[outLen++] = (byte) (bitBuf >>> 24);
            bitBuf >>>= 32;
            bitCount -= 32;
        }
    }

    private void alignToByte() {
        ensureOut(5);
        while (bitCount > 0) {
            out[outLen++] = (byte) bitBuf;
            bitBuf >>>= 8;
            bitCount -= 8;
        }
        bitBuf = 0;
        bitCount = 0;
    }

    private void ensureOut(int n) {
        if (outLen + n > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, outLen + n));
            outView = ByteBuffer.wrap(out);
        }
    }

    /**
     * Length-limited Huffman code lengths: a Huffman tree (two queues over the symbols sorted
     * by frequency), then, if it is deeper than the limit, the deepest leaves moved up and
     * shorter ones split until the lengths fit and the code is complete again (Kraft sum 1).
     * At least two symbols always get a code: a complete code is one every inflater accepts.
     */
    private static final class Huffman {
        private final long[] sorted = new long[286];
        private final int[] weight = new int[2 * 286];
        private final int[] parent = new int[2 * 286];
        private final int[] depth = new int[2 * 286];
        private final int[] perLength = new int[2 * 286];

        void lengths(int[] freq, int n, int limit, byte[] lengths) {
            Arrays.fill(lengths, 0, n, (byte) 0);
            int count = 0;
            for (int s = 0; s < n; s++) {
                if (freq[s] != 0) {
                    sorted[count++] = (long) freq[s] << 16 | s;
                }
            }
            if (count < 2) {
                // One symbol or none: two one-bit codes, the used one and another.
                int used = count == 1 ? (int) (sorted[0] & 0xFFFF) : 0;
                lengths[used] = 1;
                lengths[used == 0 ? 1 : 0] = 1;
                return;
            }
            Arrays.sort(sorted, 0, count);
            for (int i = 0; i < count; i++) {
                weight[i] = (int) (sorted[i] >>> 16);
            }
            // Leaves are 0..count-1 in order of weight; inner nodes are made in order of weight
            // too, so the two lightest are always at the front of one queue or the other.
            int leaf = 0;
            int inner = count;
            int next = count;
            for (int k = 0; k < count - 1; k++) {
                int a = (leaf < count && (inner >= next || weight[leaf] <= weight[inner])) ? leaf++ : inner++;
                int b = (leaf < count && (inner >= next || weight[leaf] <= weight[inner])) ? leaf++ : inner++;
                weight[next] = weight[a] + weight[b];
                parent[a] = next;
                parent[b] = next;
                next++;
            }
            int root = next - 1;
            depth[root] = 0;
            for (int node = root - 1; node >= 0; node--) {
                depth[node] = depth[parent[node]] + 1;
            }
            Arrays.fill(perLength, 0, limit + 1, 0);
            for (int i = 0; i < count; i++) {
                perLength[Math.min(depth[i], limit)]++;
            }
            long kraft = 0;
            for (int len = 1; len <= limit; len++) {
                kraft += (long) perLength[len] << (limit - len);
            }
            while (kraft > 1L << limit) {
                // One leaf fewer at the limit, and one shorter leaf split into two a level down.
                perLength[limit]--;
                for (int len = limit - 1; len > 0; len--) {
                    if (perLength[len] != 0) {
                        perLength[len]--;
                        perLength[len + 1] += 2;
                        break;
                    }
                }
                kraft--;
            }
            // The rarest symbols take the longest codes.
            int i = 0;
            for (int len = limit; len > 0; len--) {
                for (int k = perLength[len]; k > 0; k--) {
                    lengths[(int) (sorted[i++] & 0xFFFF)] = (byte) len;
                }
            }
        }
    }
}
