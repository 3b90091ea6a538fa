package dev.tether.ws.codec.deflate;

import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * Compresses outgoing messages for permessage-deflate (RFC 7692 section 7.2.1): raw DEFLATE,
 * each message (or each fragment of one) ended with a sync flush (or a full flush, below; both
 * end in the same empty stored block), and the 4-byte tail {@code 00 00 FF FF} of a message's
 * final flush removed.
 *
 * <p>Window size: the JDK's {@link Deflater} always uses a 32 KiB window and cannot be told to
 * use less, yet a server may answer {@code client_max_window_bits=12} (Python's
 * {@code websockets} does by default), and the client "MUST NOT use an LZ77 sliding window
 * longer than" that (RFC 7692 section 7.1.2.2). A window only bounds how far back a match may
 * refer, so below 15 bits this class keeps count of how far back zlib could reach (its
 * <em>reach</em>: the dictionary plus the bytes since the match history was last cleared) and
 * never lets it pass the window: before input that would take it past, a full flush clears the
 * history and the bytes just before become a preset dictionary (raw DEFLATE allows one after a
 * flush). The peer's inflater holds those bytes already: it just produced them.
 *
 * <p>Each reset costs a block boundary (a new block header and an empty stored block) and
 * history, so they are placed where they cost least. A part of a message ends with a flush in
 * any case, and a full flush costs no more bytes than a sync flush, so once the reach passes
 * three quarters of the window the part ends with a full flush and the next part starts fresh
 * with the dictionary sized to fit it: {@code window - part} bytes, at most half the window from
 * 4 KiB windows up (zlib re-hashes a dictionary, which a full one before every message would
 * make 9 to 39 times the input at 12-14 bits; the cap cost JSON-like text under 2% in size). A
 * part longer than three quarters of the window is cut in pieces of at most half of it.
 * Measured on JSON-like messages against zlib at the same window ({@code SmallWindowDeflateTest}
 * prints both): 1.01-1.07 of zlib's size at 10-14 bits.
 *
 * <p>At 9 bits and below the resets came every 256-384 bytes with dictionaries of 128-384
 * bytes, 1.11 of zlib's size; there {@link WindowedEncoder}, our own LZ77 and Huffman coder
 * bounded to the window, takes zlib's place (0.87 of zlib's size at 9 bits: it reaches the
 * whole window where zlib's own encoder reaches 250 bytes, and never restarts).
 *
 * <p>With context takeover each instance holds its own zlib stream (native memory) until
 * {@link #end()}; without, it borrows one from a shared pool for each message and gives it back
 * reset, so an idle connection holds none. Not thread-safe: owned by the connection's writer.
 */
public final class MessageDeflater {
    private static final int TAIL = 4;
    /** The smallest window handed to zlib (with resets); below it, {@link WindowedEncoder}. */
    private static final int SMALLEST_ZLIB_WINDOW_BITS = 10;

    private final boolean noContextTakeover;
    private final int level;
    /** 2^bits below a 32 KiB window; 0 for the full window (zlib's own). */
    private final int window;
    /** The largest preset dictionary after a reset. */
    private final int maxDictionary;
    /**
     * The last input bytes: {@code recent[max(0, recentEnd - window), recentEnd)}. Twice the
     * window, so that bytes are moved to the front once per window's worth of input, not on
     * every call.
     */
    private final byte[] recent;
    private int recentEnd;
    /** How far back a match could reach now: dictionary plus input since the last reset. */
    private int reach;
    /** The last flush was a full one: the match history is gone and a dictionary must be set. */
    private boolean historyCleared;
    /** The zlib stream; between messages null when lent from the pool (no context takeover). */
    private Deflater deflater;
    /**
     * Our own encoder, bounded to the window, at 9 bits and below (null above): there each
     * reset of zlib's history (below) cost more than 10% in size.
     */
    private final WindowedEncoder windowed;
    /** The compressed bytes of the last call; reused, grown as needed. */
    private ByteBuffer out = ByteBuffer.allocate(1024);

    public MessageDeflater(int windowBits, boolean noContextTakeover, int level) {
        this.noContextTakeover = noContextTakeover;
        this.level = level;
        if (windowBits < 8 || windowBits > 15) {
            throw new IllegalArgumentException("window bits must be 8-15: " + windowBits);
        }
        // An 8-bit window (zlib's own deflater cannot do one) works the same way.
        this.window = windowBits < 15 ? 1 << windowBits : 0;
        this.maxDictionary = Math.max(window / 2, 2048);
        this.windowed = windowBits < SMALLEST_ZLIB_WINDOW_BITS ? new WindowedEncoder(1 << windowBits) : null;
        this.recent = window == 0 || windowed != null ? null : new byte[2 * window];
        if (!noContextTakeover && windowed == null) {
            deflater = new Deflater(level, true);
        }
    }

    /**
     * Compresses {@code data}'s remaining bytes (consumed) as the next part of a message.
     *
     * @param fin true for the message's last part: the flush tail is removed, and without
     *     context takeover the compressor is reset for the next message
     * @return the compressed bytes, valid until the next call
     */
    public ByteBuffer deflate(ByteBuffer data, boolean fin) {
        if (windowed != null) {
            return deflateWindowed(data, fin);
        }
        if (deflater == null) {
            deflater = ZlibPool.takeDeflater(level);
            recentEnd = 0;
            reach = 0;
            historyCleared = false;  // a fresh stream: nothing to reach, nothing to restore
        }
        out.clear();
        if (window == 0) {
            deflater.setInput(data);
            flush(Deflater.SYNC_FLUSH);
        } else {
            compressWithinWindow(data);
            deflater.setInput(data);  // empty: the flush below ends this part
            historyCleared = reach > window - window / 4;
            flush(historyCleared ? Deflater.FULL_FLUSH : Deflater.SYNC_FLUSH);
        }
        out.flip();
        if (fin) {
            if (out.remaining() >= TAIL && endsWithFlushTail(out)) {
                out.limit(out.limit() - TAIL);
            }
            if (noContextTakeover) {
                deflater.reset();
                ZlibPool.giveDeflater(level, deflater);
                deflater = null;
            }
        }
        if (fin && !out.hasRemaining()) {
            // zlib writes nothing for an empty flush right after another. The receiver appends
            // 00 00 FF FF (section 7.2.2), which is a whole empty stored block only after a byte
            // holding its header bits: send that byte, 0x00 (the single byte of section 7.2.3.6).
            out.clear();
            out.put((byte) 0).flip();
        }
        return out;
    }

    /** {@link #deflate} at the smallest windows, through our own encoder. */
    private ByteBuffer deflateWindowed(ByteBuffer data, boolean fin) {
        ByteBuffer o = windowed.encode(data);
        if (fin) {
            // The encoder ends every part with an empty stored block, the tail included; at
            // least the byte holding that block's header bits stays (section 7.2.3.6).
            o.limit(o.limit() - TAIL);
            if (noContextTakeover) {
                windowed.forget();
            }
        }
        return o;
    }

    /**
     * Below a full window: compresses {@code data} (consumed) in one piece, or in pieces of at
     * most half the window, resetting the match history before any piece that would take the
     * reach past the window.
     */
    private void compressWithinWindow(ByteBuffer data) {
        int n = data.remaining();
        int pieces = n <= window - window / 4 ? 1 : (n + window / 2 - 1) / (window / 2);
        int piece = (n + pieces - 1) / pieces;
        while (data.hasRemaining()) {
            int m = Math.min(piece, data.remaining());
            if (historyCleared || reach + m > window) {
                reset(m);
            }
            ByteBuffer part = data.slice(data.position(), m);
            remember(part.duplicate());
            deflater.setInput(part);
            while (!deflater.needsInput()) {
                if (!out.hasRemaining()) {
                    grow();
                }
                deflater.deflate(out, Deflater.NO_FLUSH);
            }
            data.position(data.position() + m);
            reach += m;
        }
    }

    /**
     * Clears the match history (a full flush, unless the last flush was one) and sets the bytes
     * just before as the dictionary: as many as leave room in the window for {@code next} more.
     */
    private void reset(int next) {
        if (!historyCleared) {
            flush(Deflater.FULL_FLUSH);  // matches cannot reach before this point any more
        }
        int dictionary = Math.min(Math.min(window - next, maxDictionary), Math.min(recentEnd, window));
        if (dictionary > 0) {
            deflater.setDictionary(recent, recentEnd - dictionary, dictionary);
        }
        reach = dictionary;
        historyCleared = false;
    }

    /** Appends {@code part} to the recent bytes (the last {@link #window} of them are kept). */
    private void remember(ByteBuffer part) {
        int n = part.remaining();
        if (n >= window) {
            part.position(part.limit() - window);
            part.get(recent, 0, window);
            recentEnd = window;
            return;
        }
        if (recentEnd + n > recent.length) {
            int keep = Math.min(recentEnd, window - n);
            System.arraycopy(recent, recentEnd - keep, recent, 0, keep);
            recentEnd = keep;
        }
        part.get(recent, recentEnd, n);
        recentEnd += n;
    }

    /** Runs a flush to its end, growing the output as needed. */
    private void flush(int mode) {
        while (true) {
            if (!out.hasRemaining()) {
                grow();
            }
            int n = deflater.deflate(out, mode);
            // A flush is complete when the output was not filled to the brim.
            if (n >= 0 && out.hasRemaining() && deflater.needsInput()) {
                return;
            }
        }
    }

    private static boolean endsWithFlushTail(ByteBuffer b) {
        int e = b.limit();
        return b.get(e - 4) == 0 && b.get(e - 3) == 0 && b.get(e - 2) == (byte) 0xFF && b.get(e - 1) == (byte) 0xFF;
    }

    private void grow() {
        ByteBuffer bigger = ByteBuffer.allocate(out.capacity() * 2);
        out.flip();
        bigger.put(out);
        out = bigger;
    }

    /** Frees the native memory (or returns a borrowed stream); unusable afterwards. */
    public void end() {
        if (deflater != null) {
            if (noContextTakeover) {
                deflater.reset();
                ZlibPool.giveDeflater(level, deflater);
            } else {
                deflater.end();
            }
            deflater = null;
        }
    }
}
