package dev.tether.ws.codec.deflate;

import dev.tether.ws.codec.CloseCodes;
import dev.tether.ws.codec.ProtocolException;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses incoming permessage-deflate messages (RFC 7692 section 7.2.2): the compressed
 * bytes of every frame of a message in turn, then the removed tail {@code 00 00 FF FF}.
 * Inflated bytes go out in chunks, and the total is checked against the message limit as it
 * grows: a small message that would inflate to gigabytes is stopped with 1009 after at most one
 * chunk past the limit, never allocated whole.
 *
 * <p>The chunk starts at 8 KiB and doubles, up to 64 KiB, each time a message fills it: a
 * connection that receives large messages then inflates each in one or two native calls and
 * hands it on in one piece (every call into zlib also copies its output into the 32 KiB window,
 * so many small calls cost more than one large one), while a connection of small messages
 * keeps 8 KiB.
 *
 * <p>A 32 KiB window (the JDK's) reads data compressed with any smaller window. With context
 * takeover the instance holds its zlib stream until {@link #end()}; without, it borrows one per
 * message from a shared pool. Not thread-safe: owned by the connection's reader.
 */
public final class MessageInflater {
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    private static final int FIRST_CHUNK = 8 * 1024;
    private static final int MAX_CHUNK = 64 * 1024;

    /** Receives inflated bytes; the buffer is valid only during the call. */
    @FunctionalInterface
    public interface Sink {
        void accept(ByteBuffer inflated) throws ProtocolException;
    }

    private final boolean noContextTakeover;
    /** The zlib stream; between messages null when lent from the pool (no context takeover). */
    private Inflater inflater;
    private final long maxMessageSize;
    /** Where inflated bytes go before the sink; replaced by one twice as large when filled. */
    private ByteBuffer chunk = ByteBuffer.allocate(FIRST_CHUNK);
    /** Inflated bytes of the current message so far. */
    private long produced;
    /**
     * The current message reached the end of a DEFLATE block with BFINAL set: its stream is over,
     * and what follows until the message ends is padding (RFC 7692 section 7.2.3.3 sends one
     * byte, and the tail is appended after it). Ignored, whatever it is and however it is split;
     * the next message starts a new stream.
     */
    private boolean streamEnded;

    public MessageInflater(boolean noContextTakeover, long maxMessageSize) {
        this.noContextTakeover = noContextTakeover;
        this.maxMessageSize = maxMessageSize;
        if (!noContextTakeover) {
            inflater = new Inflater(true);
        }
    }

    private Inflater stream() {
        if (inflater == null) {
            inflater = ZlibPool.takeInflater();
        }
        return inflater;
    }

    /** Inflates {@code compressed}'s remaining bytes (consumed), the next part of a message. */
    public void inflate(ByteBuffer compressed, Sink sink) throws ProtocolException {
        if (!streamEnded) {
            stream().setInput(compressed);
            drain(sink);
        }
        compressed.position(compressed.limit());
    }

    /** The message's frames are all in: inflate the tail, and get ready for the next message. */
    public void finish(Sink sink) throws ProtocolException {
        if (!streamEnded) {
            stream().setInput(TAIL);
            drain(sink);
        }
        if (streamEnded) {
            inflater.reset();  // a final block ended the stream: the next message starts a new one
            streamEnded = false;
        }
        produced = 0;
        if (noContextTakeover) {
            inflater.reset();
            ZlibPool.giveInflater(inflater);
            inflater = null;
        }
    }

    private void drain(Sink sink) throws ProtocolException {
        try {
            while (true) {
                // Room for at most one byte past the limit: the limit is then crossed at the same
                // output byte however the input was split (zlib discards the output of a call that
                // fails, so a larger room could turn 1009 into 1007 depending on the reads).
                long room = maxMessageSize - produced;
                int size = chunk.capacity();
                chunk.clear().limit(room >= size ? size : (int) room + 1);
                int n = inflater.inflate(chunk);
                boolean filled = !chunk.hasRemaining();
                if (n > 0) {
                    produced += n;
                    chunk.flip();
                    if (produced > maxMessageSize) {
                        // What fits goes on first, so that a check on it (UTF-8) fails the same
                        // way whatever the chunking; then the message is too big.
                        chunk.limit(chunk.limit() - (int) (produced - maxMessageSize));
                        if (chunk.hasRemaining()) {
                            sink.accept(chunk);
                        }
                        throw new ProtocolException(CloseCodes.MESSAGE_TOO_BIG, "message inflates past the limit of "
                                + maxMessageSize + " bytes (RFC 7692 section 8.1 leaves the bound to us)");
                    }
                    sink.accept(chunk);
                }
                // Output that stopped short of the room's end means zlib ran out of input (or the
                // stream ended): asking again would only return 0. A full chunk may have more.
                if (!filled && (inflater.needsInput() || inflater.finished() || inflater.needsDictionary())) {
                    // A final block (BFINAL) ends the stream; permessage-deflate never needs it,
                    // but section 7.2.3.3 lets a peer use it.
                    streamEnded = inflater.finished();
                    return;
                }
                if (filled && size < MAX_CHUNK && room > size) {
                    chunk = ByteBuffer.allocate(size * 2);
                }
            }
        } catch (DataFormatException e) {
            throw new ProtocolException(CloseCodes.INVALID_PAYLOAD, "compressed data is corrupt: " + e.getMessage());
        }
    }

    /**
     * Frees the native memory; unusable afterwards. A stream borrowed for a message cut short is
     * ended rather than returned: it may hold half a message.
     */
    public void end() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }
}
