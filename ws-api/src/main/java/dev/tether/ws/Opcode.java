package dev.tether.ws;

import dev.tether.ws.codec.Opcodes;

/**
 * Frame opcodes for {@link WebSocket#sendFrame(boolean, int, String)}, as plain {@code int}s so
 * that {@code sendFrame(true, Opcode.TEXT, "hi")} and the seed's {@code sendFrame(true, 0x1, "hi")}
 * read alike (RFC 6455 section 5.2).
 */
public final class Opcode {
    /** 0x0: a further fragment of the message the last non-final frame began. */
    public static final int CONTINUATION = Opcodes.CONTINUATION;
    /** 0x1: a text message (UTF-8). */
    public static final int TEXT = Opcodes.TEXT;
    /** 0x2: a binary message. */
    public static final int BINARY = Opcodes.BINARY;
    /** 0x8: the close frame (section 5.5.1); {@code close(code, reason)} sends it. */
    public static final int CLOSE = Opcodes.CLOSE;
    /** 0x9: a ping (section 5.5.2); the peer answers with a pong. */
    public static final int PING = Opcodes.PING;
    /** 0xA: a pong (section 5.5.3), the answer to a ping or a one-way heartbeat. */
    public static final int PONG = Opcodes.PONG;

    private Opcode() {
    }
}
