package dev.tether.ws.codec;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Hex literals for frame fixtures: spaces are ignored. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static ByteBuffer buffer(String hex) {
        return ByteBuffer.wrap(bytes(hex));
    }

    static String of(ByteBuffer buf) {
        ByteBuffer b = buf.duplicate();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return HexFormat.of().formatHex(a);
    }
}
