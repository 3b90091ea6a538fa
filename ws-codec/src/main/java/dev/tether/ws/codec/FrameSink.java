package dev.tether.ws.codec;

import java.nio.ByteBuffer;

/**
 * Receives what {@link FrameParser} splits out of the byte stream, frame by frame: one header,
 * zero or more payload chunks (already unmasked), one end. No protocol rule has been applied
 * yet beyond what is needed to find the frame boundaries; {@link FrameDecoder} applies them.
 */
public interface FrameSink {

    /** A frame header was read; its payload follows. */
    void onFrameHeader(boolean fin, int rsv, int opcode, boolean masked, long payloadLength)
            throws ProtocolException;

    /**
     * The next piece of the current frame's payload, between {@code chunk.position()} and
     * {@code chunk.limit()}. The buffer is the parser's input itself, narrowed for the call: it
     * is valid only during the call and must not be retained; copy what must outlive it.
     */
    void onFramePayload(ByteBuffer chunk) throws ProtocolException;

    /** The current frame's payload is complete. */
    void onFrameEnd() throws ProtocolException;

    /**
     * A whole frame found at once, header and payload in the buffer (the parser's fast path), its
     * payload, unmasked, between {@code payload.position()} and {@code payload.limit()} with the same
     * validity as a chunk. By default the calls of the slow path; a sink may take the common
     * case in one step, provided what it reports is the same.
     */
    default void onWholeFrame(boolean fin, int rsv, int opcode, boolean masked, ByteBuffer payload)
            throws ProtocolException {
        onFrameHeader(fin, rsv, opcode, masked, payload.remaining());
        if (payload.hasRemaining()) {
            onFramePayload(payload);
        }
        onFrameEnd();
    }
}
