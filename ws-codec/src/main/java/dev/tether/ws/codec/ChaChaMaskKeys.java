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
 * <p>The chunk starts small, 64 bytes (16 keys): a connection that sends now and then (a
 * keep-alive ping a minute, telemetry every few seconds) never holds more. One that uses it up
 * within {@link #BUSY_NANOS} of filling it moves to 256 bytes (64 keys): per key, the stripe's
 * lock and the copy then cost a quarter, which at 16-byte frames is a tenth of a frame.
 *
 * <p>Not thread-safe: each connection's writer owns one, under the connection's write lock.
 */
final class ChaChaMaskKeys implements MaskKeys {
    /** Four keystream bytes as a key, the first the most significant (the order they go on the wire). */
    private static final VarHandle KEYS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final byte[] NONE = new byte[0];
    static final int SMALL_CHUNK = Keystream.BLOCK_BYTES;
    static final int BUSY_CHUNK = 4 * Keystream.BLOCK_BYTES;
    /** A small chunk used up faster than this (16 frames in 100 ms) marks a busy sender. */
    private static final long BUSY_NANOS = 100_000_000L;

    private byte[] chunk = NONE;
    /** Next unused byte of {@code chunk}; owned by the writing thread, like everything here. */
    private int next;
    /** When the small chunk was last filled (System.nanoTime). */
    private long filledAt;

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
            long now = System.nanoTime();
            if (chunk == NONE) {
                chunk = new byte[SMALL_CHUNK];
            } else if (now - filledAt < BUSY_NANOS) {
                chunk = new byte[BUSY_CHUNK];
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
