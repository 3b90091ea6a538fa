package dev.tether.ws.codec.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The {@code Sec-WebSocket-Key} / {@code Sec-WebSocket-Accept} pair of RFC 6455 section 4.
 * Stateless.
 */
public final class WebSocketKeys {
    /** RFC 6455 section 1.3: the GUID appended to the key before hashing. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int KEY_BYTES = 16;
    private static final int KEY_CHARS = 24;

    private WebSocketKeys() {
    }

    /** RFC 6455 section 4.1: "a randomly selected 16-byte value that has been base64-encoded",
     * chosen afresh for every handshake: its 24 base64 characters as ASCII octets. */
    public static byte[] newKey(SecureRandom random) {
        byte[] nonce = new byte[KEY_BYTES];
        random.nextBytes(nonce);
        byte[] key = new byte[KEY_CHARS];
        Base64.getEncoder().encode(nonce, key);
        return key;
    }

    /** RFC 6455 section 4.2.2 item 5.4: base64(SHA-1(key + GUID)). */
    public static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-1 (MessageDigest's documentation).
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    /**
     * RFC 6455 section 4.2.1 item 5: the key must decode to exactly 16 bytes. The padded length
     * (24 characters) is checked first because java.util.Base64 also accepts unpadded input.
     */
    public static boolean isValidKey(String key) {
        if (key.length() != KEY_CHARS) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == KEY_BYTES;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }
}
