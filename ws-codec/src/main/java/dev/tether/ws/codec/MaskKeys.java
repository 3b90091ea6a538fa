package dev.tether.ws.codec;

/**
 * Where a client's masking keys come from. RFC 6455 section 5.3 asks for a fresh key per frame,
 * "derived from a strong source of entropy" and unpredictable to the server (section 10.3).
 */
@FunctionalInterface
public interface MaskKeys {

    /** The key for the next frame. */
    int nextKey();

    /** Keys from a ChaCha20 keystream keyed by {@link java.security.SecureRandom}. */
    static MaskKeys secure() {
        return new ChaChaMaskKeys();
    }
}
