package dev.tether.ws.codec.deflate;

import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * Compresses outgoing messages for permessage-deflate (RFC 7692 section 7.2.1): raw DEFLATE,
 * each message (or each fragment of one) ended with a sync flush, and the 4-byte tail
 * {@code 00 00 FF FF} of a message's final flush removed.
 *
 * <p>Window size: the JDK's {@link Deflater} always uses a 32 KiB window and cannot be told to
 * use less, yet a server may answer {@code client_max_window_bits=9}. A window only bounds how
 * far back a match may refer, so output without back-references is valid for every window:
 * below 15 bits this compresses with {@link Deflater#HUFFMAN_ONLY}, literals only. Larger output,
 * but correct, where other JVM clients refuse the extension.
 *
 * <p>With context takeover each instance holds its own zlib stream (native memory) until
 * {@link #end()}; without, it borrows one from a shared pool for each message and gives it back
 * reset, so an idle connection holds none. Not thread-safe: owned by the connection's writer.
 */
public final class MessageDeflater {
    private static final int TAIL = 4;

    private final boolean noContextTakeover;
    private final int level;
    private final boolean huffmanOnly;
    /** The zlib stream; between messages null when lent from the pool (no context takeover). */
    private Deflater deflater;
    /** The compressed bytes of the last call; reused, grown as needed. */
    private ByteBuffer out = ByteBuffer.allocate(1024);

    public MessageDeflater(int windowBits, boolean noContextTakeover, int level) {
        this.noContextTakeover = noContextTakeover;
        this.level = level;
        this.huffmanOnly = windowBits < 15;
        if (!noContextTakeover) {
            deflater = open(new Deflater(level, true));
        }
    }

    private Deflater open(Deflater d) {
        if (huffmanOnly) {
            d.setStrategy(Deflater.HUFFMAN_ONLY);
        }
        return d;
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
            deflater = open(ZlibPool.takeDeflater(level));
        }
        deflater.setInput(data);
        out.clear();
        while (true) {
            if (!out.hasRemaining()) {
                grow();
            }
            int n = deflater.deflate(out, Deflater.SYNC_FLUSH);
            // A sync flush is complete when the output was not filled to the brim.
            if (n >= 0 && out.hasRemaining() && deflater.needsInput()) {
                break;
            }
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
