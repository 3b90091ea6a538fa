package dev.tether.ws.codec.deflate;

import dev.tether.ws.codec.CloseCodes;
import dev.tether.ws.codec.ProtocolException;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses incoming permessage-deflate messages (RFC 7692 section 7.2.2): the compressed
 * bytes of every frame of a message in turn, then the removed tail {@code 00 00 FF FF}.
 * Inflated bytes go out in chunks of at most 8 KiB, and the total is checked against the
 * message limit as it grows: a small message that would inflate to gigabytes is stopped with
 * 1009 after at most one chunk past the limit, never allocated whole.
 *
 * <p>A 32 KiB window (the JDK's) reads data compressed with any smaller window. With context
 * takeover the instance holds its zlib stream until {@link #end()}; without, it borrows one per
 * message from a shared pool. Not thread-safe: owned by the connection's reader.
 */
public final class MessageInflater {
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    private static final int CHUNK = 8 * 1024;

    /** Receives inflated bytes; the buffer is valid only during the call. */
    @FunctionalInterface
    public interface Sink {
        void accept(ByteBuffer inflated) throws ProtocolException;
    }

    private final boolean noContextTakeover;
    /** The zlib stream; between messages null when lent from the pool (no context takeover). */
    private Inflater inflater;
    private final long maxMessageSize;
    private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
    /** Inflated bytes of the current message so far. */
    private long produced;

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
        stream().setInput(compressed);
        drain(sink);
        compressed.position(compressed.limit());
    }

    /** The message's frames are all in: inflate the tail, and get ready for the next message. */
    public void finish(Sink sink) throws ProtocolException {
        stream().setInput(TAIL);
        drain(sink);
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
                chunk.clear();
                int n = inflater.inflate(chunk);
                if (n > 0) {
                    produced += n;
                    if (produced > maxMessageSize) {
                        throw new ProtocolException(CloseCodes.MESSAGE_TOO_BIG, "message inflates past the limit of "
                                + maxMessageSize + " bytes (RFC 7692 section 8.1 leaves the bound to us)");
                    }
                    sink.accept(chunk.flip());
                }
                if (n == 0 && (inflater.needsInput() || inflater.finished() || inflater.needsDictionary())) {
                    if (inflater.finished()) {
                        // A final block (BFINAL) ends the stream; permessage-deflate never sets it
                        // on its own, but a peer may. Later messages start a new stream.
                        inflater.reset();
                    }
                    return;
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
