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

    /** The next piece of the current message. */
    void onMessageData(ByteBuffer chunk) throws ProtocolException;

    /** The current message is complete. */
    void onMessageEnd() throws ProtocolException;

    /** A ping; RFC 6455 section 5.5.2 asks for a pong with the same payload. */
    void onPing(ByteBuffer payload) throws ProtocolException;

    /** A pong. */
    void onPong(ByteBuffer payload) throws ProtocolException;

    /** A valid close frame; {@code code} is 1005 when the frame had no body. */
    void onClose(int code, String reason) throws ProtocolException;
}
