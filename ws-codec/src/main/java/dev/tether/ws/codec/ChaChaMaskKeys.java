package dev.tether.ws.codec;

/**
 * Mask keys cut from the shared ChaCha20 {@link Keystream}, 16 at a time into a 64-byte chunk
 * of the connection's own. The JDK's {@code SecureRandom} implementations allocate 2 to 12
 * bytes per key produced; here the steady state costs an array read per frame and a lock per
 * 16 frames, and allocates nothing. A connection holds 64 bytes for it, not a cipher.
 *
 * <p>Not thread-safe: each connection's writer owns one, under the connection's write lock.
 */
final class ChaChaMaskKeys implements MaskKeys {
    private final byte[] chunk = new byte[Keystream.CHUNK_BYTES];
    /** Next unused byte of {@code chunk}; owned by the writing thread, like everything here. */
    private int next = Keystream.CHUNK_BYTES;

    @Override
    public int nextKey() {
        int key;
        do {
            if (next == Keystream.CHUNK_BYTES) {
                Keystream.fill(chunk);
                next = 0;
            }
            key = (chunk[next] & 0xFF) << 24 | (chunk[next + 1] & 0xFF) << 16
                    | (chunk[next + 2] & 0xFF) << 8 | (chunk[next + 3] & 0xFF);
            next += 4;
            // A zero key would send the payload in clear; section 10.3 is about exactly that.
        } while (key == 0);
        return key;
    }
}
