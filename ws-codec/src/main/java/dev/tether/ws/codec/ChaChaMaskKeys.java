package dev.tether.ws.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Mask keys cut from the shared ChaCha20 {@link Keystream}, 16 at a time into a 64-byte chunk
 * of the connection's own. The JDK's {@code SecureRandom} implementations allocate 2 to 12
 * bytes per key produced; here the steady state costs an array read per frame and a lock per
 * 16 frames, and allocates nothing. A connection holds 64 bytes for it, not a cipher.
 *
 * <p>Not thread-safe: each connection's writer owns one, under the connection's write lock.
 */
final class ChaChaMaskKeys implements MaskKeys {
    /** Four keystream bytes as a key, the first the most significant (the order they go on the wire). */
    private static final VarHandle KEYS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] chunk = new byte[Keystream.CHUNK_BYTES];
    /** Next unused byte of {@code chunk}; owned by the writing thread, like everything here. */
    private int next = Keystream.CHUNK_BYTES;

    @Override
    public int nextKey() {
        if (next == Keystream.CHUNK_BYTES) {
            Keystream.fill(chunk);
            next = 0;
        }
        int key = (int) KEYS.get(chunk, next);
        next += 4;
        // A zero key would send the payload in clear; section 10.3 is about exactly that. Once in
        // 2^32 keys: take the next one.
        return key != 0 ? key : nextKey();
    }
}
