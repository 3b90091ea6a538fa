package dev.tether.ws.codec;

/** RFC 6455 section 5.2 opcodes, and the classes they fall into. */
public final class Opcodes {
    /** 0x0: a continuation fragment. */
    public static final int CONTINUATION = 0x0;
    /** 0x1: a text frame. */
    public static final int TEXT = 0x1;
    /** 0x2: a binary frame. */
    public static final int BINARY = 0x2;
    /** 0x8: a close frame. */
    public static final int CLOSE = 0x8;
    /** 0x9: a ping. */
    public static final int PING = 0x9;
    /** 0xA: a pong. */
    public static final int PONG = 0xA;

    private Opcodes() {
    }

    /** Control frames have the high bit of the opcode set (0x8-0xF), section 5.5. */
    public static boolean isControl(int opcode) {
        return (opcode & 0x8) != 0;
    }

    /** 0x3-0x7 and 0xB-0xF are reserved for extensions (section 5.2). */
    public static boolean isReserved(int opcode) {
        return (opcode >= 0x3 && opcode <= 0x7) || opcode >= 0xB;
    }

    /** Whether the value fits the 4-bit opcode field at all. */
    public static boolean fitsField(int opcode) {
        return opcode >= 0 && opcode <= 0xF;
    }

    /** A readable name for messages and logs. */
    public static String name(int opcode) {
        return switch (opcode) {
            case CONTINUATION -> "continuation";
            case TEXT -> "text";
            case BINARY -> "binary";
            case CLOSE -> "close";
            case PING -> "ping";
            case PONG -> "pong";
            default -> "reserved opcode 0x" + Integer.toHexString(opcode);
        };
    }
}
