package dev.tether.ws.codec.handshake;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** A "random" source that always yields the RFC 6455 section 1.3 nonce, to reproduce the
 * RFC's handshake byte for byte. */
final class FixedNonce {
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private FixedNonce() {
    }

    static SecureRandom random() {
        byte[] nonce = "the sample nonce".getBytes(StandardCharsets.US_ASCII);
        return new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(nonce, 0, bytes, 0, bytes.length);
            }
        };
    }

    static String ascii(java.nio.ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static java.nio.ByteBuffer bytes(String text) {
        return java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
