package dev.tether.ws.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An ordered record of what a {@link FrameDecoder} delivered, with message chunks joined, so a
 * test asserts the whole sequence: {@code text:48656c6c6f}, {@code ping:}, {@code close:1000:bye}.
 */
final class Recorder implements MessageHandler {
    final List<String> events = new ArrayList<>();
    final List<byte[]> messages = new ArrayList<>();
    /** Each message's size as {@link #onMessageStart(int, long)} told it (-1: not told). */
    final List<Long> toldSizes = new ArrayList<>();
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private int opcode = -1;

    @Override
    public void onMessageStart(int opcode, long size) {
        toldSizes.add(size);
        onMessageStart(opcode);
    }

    @Override
    public void onMessageStart(int opcode) {
        if (this.opcode != -1) {
            throw new AssertionError("message started inside another");
        }
        this.opcode = opcode;
        current.reset();
    }

    @Override
    public void onMessageData(ByteBuffer chunk) {
        if (opcode == -1) {
            throw new AssertionError("data outside a message");
        }
        byte[] a = new byte[chunk.remaining()];
        chunk.get(a);
        current.writeBytes(a);
    }

    @Override
    public void onMessageEnd() {
        byte[] message = current.toByteArray();
        messages.add(message);
        events.add(Opcodes.name(opcode) + ":" + HexFormat.of().formatHex(message));
        opcode = -1;
    }

    @Override
    public void onPing(ByteBuffer payload) {
        events.add("ping:" + Hex.of(payload));
    }

    @Override
    public void onPong(ByteBuffer payload) {
        events.add("pong:" + Hex.of(payload));
    }

    @Override
    public void onClose(int code, String reason) {
        events.add("close:" + code + ":" + reason);
    }
}
