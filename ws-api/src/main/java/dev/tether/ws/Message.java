package dev.tether.ws;

import dev.tether.ws.codec.Opcodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** One whole WebSocket message: text or binary. Immutable. */
public final class Message {
    private final int opcode;
    private final byte[] data;
    /** Decoded on first use; a benign race may decode twice. */
    private String text;

    private Message(int opcode, byte[] data, String text) {
        this.opcode = opcode;
        this.data = data;
        this.text = text;
    }

    /** A text message. */
    public static Message text(String text) {
        return new Message(Opcodes.TEXT, text.getBytes(StandardCharsets.UTF_8), text);
    }

    /** A binary message holding a copy of {@code data}. */
    public static Message binary(byte[] data) {
        return new Message(Opcodes.BINARY, data.clone(), null);
    }

    /** Takes ownership of {@code data} (already validated as UTF-8 when text). */
    static Message wrap(int opcode, byte[] data) {
        return new Message(opcode, data, null);
    }

    /** True for a text message ({@link Opcode#TEXT}), false for binary. */
    public boolean isText() {
        return opcode == Opcodes.TEXT;
    }

    /** {@link Opcode#TEXT} or {@link Opcode#BINARY}. */
    public int opcode() {
        return opcode;
    }

    /** The message as text: UTF-8 decoded (a binary message is decoded too, replacing bad bytes). */
    public String text() {
        String t = text;
        if (t == null) {
            t = new String(data, StandardCharsets.UTF_8);
            text = t;
        }
        return t;
    }

    /** A copy of the payload bytes. */
    public byte[] bytes() {
        return data.clone();
    }

    /** The payload as a read-only buffer, without copying. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    /** Payload size in bytes. */
    public int size() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && m.opcode == opcode && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * opcode + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        if (isText()) {
            String t = text();
            return "text(" + (t.length() > 60 ? t.substring(0, 60) + "..." : t) + ")";
        }
        return "binary(" + data.length + " bytes)";
    }
}
