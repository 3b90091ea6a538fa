package dev.tether.ws;

import dev.tether.ws.codec.Opcodes;

/**
 * Frame opcodes for {@link WebSocket#sendFrame(boolean, int, String)}, as plain {@code int}s so
 * that {@code sendFrame(true, Opcode.TEXT, "hi")} and the seed's {@code sendFrame(true, 0x1, "hi")}
 * read alike (RFC 6455 section 5.2).
 */
public final class Opcode {
    public static final int CONTINUATION = Opcodes.CONTINUATION;
    public static final int TEXT = Opcodes.TEXT;
    public static final int BINARY = Opcodes.BINARY;
    public static final int CLOSE = Opcodes.CLOSE;
    public static final int PING = Opcodes.PING;
    public static final int PONG = Opcodes.PONG;

    private Opcode() {
    }
}
