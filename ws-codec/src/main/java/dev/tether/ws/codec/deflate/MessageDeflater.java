package dev.tether.ws.codec.deflate;

import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * Compresses outgoing messages for permessage-deflate (RFC 7692 section 7.2.1): raw DEFLATE,
 * each message (or each fragment of one) ended with a sync flush, and the 4-byte tail
 * {@code 00 00 FF FF} of a message's final flush removed.
 *
 * <p>Window size: the JDK's {@link Deflater} always uses a 32 KiB window and cannot be told to
 * use less, yet a server may answer {@code client_max_window_bits=12} (Python's
 * {@code websockets} does by default), and the client "MUST NOT use an LZ77 sliding window
 * longer than" that (RFC 7692 section 7.1.2.2). A window only bounds how far back a match may
 * refer. So below 15 bits the input goes in blocks of half the window: after each block a full
 * flush clears zlib's match history, and the block just compressed becomes the preset
 * dictionary (raw DEFLATE allows one after a flush). A match then reaches back at most one
 * dictionary and one block, the window, while it still finds repeats in the recent past as a
 * sliding window would. The peer's inflater holds those bytes already: it just produced them.
 *
 * <p>With context takeover each instance holds its own zlib stream (native memory) until
 * {@link #end()}; without, it borrows one from a shared pool for each message and gives it back
 * reset, so an idle connection holds none. Not thread-safe: owned by the connection's writer.
 */
public final class MessageDeflater {
    private static final int TAIL = 4;

    private final boolean noContextTakeover;
    private final int level;
    /** Bytes per block below a 32 KiB window (half the window); 0 for the full window. */
    private final int block;
    /** The last {@link #dictionary} input bytes, the dictionary after the next reset. */
    private final byte[] recent;
    private int recentLength;
    /** Dictionary bytes after a reset: block + dictionary never exceeds the window. */
    private final int dictionary;
    /** Input bytes compressed since the last reset of the match history. */
    private int sinceReset;
    /** The zlib stream; between messages null when lent from the pool (no context takeover). */
    private Deflater deflater;
    /** The compressed bytes of the last call; reused, grown as needed. */
    private ByteBuffer out = ByteBuffer.allocate(1024);

    public MessageDeflater(int windowBits, boolean noContextTakeover, int level) {
        this.noContextTakeover = noContextTakeover;
        this.level = level;
        if (windowBits < 8 || windowBits > 15) {
            throw new IllegalArgumentException("window bits must be 8-15: " + windowBits);
        }
        // Half and half: smaller blocks (a larger dictionary) measured worse, as every full flush
        // starts a new block with its own code tables (JSON-like text at 9-14 bits). An 8-bit
        // window (zlib's own deflater cannot do one) gets blocks of 128 bytes.
        this.block = windowBits < 15 ? 1 << (windowBits - 1) : 0;
        this.dictionary = block;
        this.recent = block == 0 ? null : new byte[dictionary];
        if (!noContextTakeover) {
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
        if (deflater == null) {
            deflater = ZlibPool.takeDeflater(level);
            recentLength = 0;
            sinceReset = 0;
        }
        out.clear();
        if (block == 0) {
            deflater.setInput(data);
        } else {
            compressInBlocks(data);
            deflater.setInput(data);  // empty: the sync flush below ends this part
        }
        flush(Deflater.SYNC_FLUSH);
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

    /**
     * Below a full window: compresses {@code data} (consumed) a block at a time, resetting the
     * match history with the previous block as dictionary whenever a block is full.
     */
    private void compressInBlocks(ByteBuffer data) {
        while (data.hasRemaining()) {
            if (sinceReset == block) {
                flush(Deflater.FULL_FLUSH);  // matches cannot reach before this point any more
                deflater.setDictionary(recent, 0, recentLength);
                sinceReset = 0;
            }
            int n = Math.min(data.remaining(), block - sinceReset);
            ByteBuffer part = data.slice(data.position(), n);
            remember(part.duplicate());
            deflater.setInput(part);
            while (!deflater.needsInput()) {
                if (!out.hasRemaining()) {
                    grow();
                }
                deflater.deflate(out, Deflater.NO_FLUSH);
            }
            data.position(data.position() + n);
            sinceReset += n;
        }
    }

    /** Keeps the last {@link #dictionary} bytes seen, {@code part} being the newest. */
    private void remember(ByteBuffer part) {
        int n = part.remaining();
        if (n >= dictionary) {
            part.position(part.limit() - dictionary);
            part.get(recent, 0, dictionary);
            recentLength = dictionary;
            return;
        }
        int keep = Math.min(recentLength, dictionary - n);
        System.arraycopy(recent, recentLength - keep, recent, 0, keep);
        part.get(recent, keep, n);
        recentLength = keep + n;
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
