package dev.tether.ws.cli.client;

import java.util.Base64;
import java.util.HexFormat;

/** How {@code wsc} prints a binary message: {@code --binary hex|base64}. */
public enum BinaryFormat {
    HEX, BASE64;

    public String format(byte[] data) {
        return this == HEX ? HexFormat.of().formatHex(data) : Base64.getEncoder().encodeToString(data);
    }

    public static BinaryFormat of(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
