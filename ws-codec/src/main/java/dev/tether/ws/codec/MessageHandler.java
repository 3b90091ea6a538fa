package dev.tether.ws.codec;

import java.nio.ByteBuffer;

/**
 * Receives what {@link FrameDecoder} found in the stream once every protocol rule has been
 * applied: data messages as start, chunks, end (fragments already joined into one stream, text
 * already validated as UTF-8), and control frames whole.
 *
 * <p>Buffers handed to these methods are valid only during the call and must not be retained.
 */
public interface MessageHandler {

    /** A data message starts: {@link Opcodes#TEXT} or {@link Opcodes#BINARY}. */
    void onMessageStart(int opcode) throws ProtocolException;

    /**
     * A data message starts, with its size when its first frame tells it: a final, uncompressed
     * frame's payload length (RFC 6455 section 5.2) is the whole message's, so a handler that
     * joins the pieces can size its buffer once. {@code size} is -1 when fragments or
     * compression leave it open. It comes from the peer before the bytes do: a handler should
     * not allocate it all on trust. By default {@link #onMessageStart(int)}.
     */
    default void onMessageStart(int opcode, long size) throws ProtocolException {
        onMessageStart(opcode);
    }

    /** The next piece of the current message. */
    void onMessageData(ByteBuffer chunk) throws ProtocolException;

    /** The current message is complete. */
    void onMessageEnd() throws ProtocolException;

    /**
     * A whole data message found in one step: a single final frame, uncompressed, whose payload
     * is all in the read buffer (text already validated). The buffer is a view of the bytes as
     * they arrived, valid only during the call, so a handler can deliver it without a copy. By
     * default the three calls above, which is what the handler would otherwise see.
     */
    default void onWholeMessage(int opcode, ByteBuffer payload) throws ProtocolException {
        onMessageStart(opcode);
        if (payload.hasRemaining()) {
            onMessageData(payload);
        }
        onMessageEnd();
    }

    /**
     * A ping; RFC 6455 section 5.5.2 asks for a pong with the same payload. {@code payload}, as
     * for a pong, is valid during the call only: it may be a view of the read buffer.
     */
    void onPing(ByteBuffer payload) throws ProtocolException;

    /** A pong; {@code payload} is valid during the call only. */
    void onPong(ByteBuffer payload) throws ProtocolException;

    /** A valid close frame; {@code code} is 1005 when the frame had no body. */
    void onClose(int code, String reason) throws ProtocolException;
}
