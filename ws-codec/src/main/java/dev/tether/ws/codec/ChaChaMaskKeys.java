package dev.tether.ws.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Mask keys cut from the shared ChaCha20 {@link Keystream}, a chunk at a time into an array of
 * the connection's own. The JDK's {@code SecureRandom} implementations allocate 2 to 12 bytes
 * per key produced; here the steady state costs an array read per frame and a lock per chunk,
 * and allocates nothing. A connection holds no cipher, and no chunk until its first frame.
 *
 * <p>The chunk starts at 16 bytes (4 keys): a connection that sends now and then (a keep-alive
 * ping a minute, telemetry every few seconds) never holds more, and ten thousand of them hold
 * little. One that uses its chunk up within {@link #BUSY_MILLIS} of filling it gets one four
 * times the size, up to 256 bytes (64 keys): per key, the stripe's lock and the copy then cost
 * a sixteenth, which at 16-byte frames is a good part of a frame.
 *
 * <p>Not thread-safe: each connection's writer owns one, under the connection's write lock.
 */
final class ChaChaMaskKeys implements MaskKeys {
    /** Four keystream bytes as a key, the first the most significant (the order they go on the wire). */
    private static final VarHandle KEYS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final byte[] NONE = new byte[0];
    static final int FIRST_CHUNK = 16;
    static final int BUSY_CHUNK = 256;
    /** A chunk used up faster than this marks a busy sender. */
    static final int BUSY_MILLIS = 100;

    private byte[] chunk = NONE;
    /** Next unused byte of {@code chunk}; owned by the writing thread, like everything here. */
    private int next;
    /**
     * When the chunk was last filled, in milliseconds of System.nanoTime: an int (the object
     * stays 24 bytes), compared by subtraction, which is right across its wrap.
     */
    private int filledAt;

    @Override
    public int nextKey() {
        int at = next;
        if (at == chunk.length) {
            at = refill();
        }
        int key = (int) KEYS.get(chunk, at);
        next = at + 4;
        // A zero key would send the payload in clear; section 10.3 is about exactly that. Once in
        // 2^32 keys: take the next one.
        return key != 0 ? key : nextKey();
    }

    /** Out of line from the per-frame path; returns where the fresh keys start (0). */
    private int refill() {
        if (chunk.length < BUSY_CHUNK) {
            int now = (int) (System.nanoTime() / 1_000_000);
            if (chunk == NONE) {
                chunk = new byte[FIRST_CHUNK];
            } else if (now - filledAt < BUSY_MILLIS) {
                chunk = new byte[chunk.length * 4];
            }
            filledAt = now;
        }
        Keystream.fill(chunk);
        return 0;
    }

    /** Bytes of keystream held now: for tests. */
    int chunkBytes() {
        return chunk.length;
    }
}
