package dev.tether.ws.codec;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ChaCha20 keystream every connection's mask keys are cut from, shared by the whole JVM:
 * a JDK {@link Cipher} holds about 1.4 KiB, too much to keep one per connection when a process
 * holds ten thousand. Striped, one cipher and lock per stripe, so that writers on different
 * threads rarely meet; each stripe is keyed and seeded from {@link SecureRandom} and re-keyed
 * long before ChaCha20's 32-bit block counter could wrap. A connection takes 64 bytes (16 keys)
 * at a time, so the lock is taken once per 16 frames.
 */
final class Keystream {
    /**
     * What a connection takes at a time: 16 keys, one ChaCha20 block. 256 bytes (64 keys) made a
     * key 2.75 ns instead of 3.4 ns in a scratch JMH run (2026-12-03), but every connection holds
     * its chunk, idle or not: 192 bytes more each, about 6% of an idle NIO connection's heap.
     */
    static final int CHUNK_BYTES = 64;
    /**
     * Keystream a stripe makes per cipher call: 16 chunks, 1 KiB. Each call has a fixed cost
     * (measured on JDK 25: 33 ns for 64 bytes, 340 ns for 1 KiB), so a chunk cut from a batch costs about
     * a third less.
     */
    private static final int BATCH_BYTES = 16 * CHUNK_BYTES;
    /** Chunks per cipher key: 2^26 * 64 B = 4 GiB of keystream, far below ChaCha20's 256 GiB. */
    private static final int CHUNKS_PER_KEY = 1 << 26;
    private static final SecureRandom SEEDS = new SecureRandom();
    /** The plaintext: only ever read, so one array serves every stripe. */
    private static final byte[] ZEROS = new byte[BATCH_BYTES];
    private static final Stripe[] STRIPES = stripes();

    private Keystream() {
    }

    /** Fills {@code chunk} ({@link #CHUNK_BYTES} long) with fresh keystream. Allocates nothing once keyed. */
    static void fill(byte[] chunk) {
        Stripe s = STRIPES[(int) (Thread.currentThread().threadId() & (STRIPES.length - 1))];
        s.lock.lock();
        try {
            if (s.used == BATCH_BYTES) {
                if (s.chunksLeft == 0) {
                    s.rekey();
                }
                s.cipher.update(ZEROS, 0, BATCH_BYTES, s.batch, 0);
                s.chunksLeft -= BATCH_BYTES / CHUNK_BYTES;
                s.used = 0;
            }
            System.arraycopy(s.batch, s.used, chunk, 0, CHUNK_BYTES);
            s.used += CHUNK_BYTES;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20 keystream unavailable for mask keys", e);
        } finally {
            s.lock.unlock();
        }
    }

    /** A power of two at or above twice the processors, at most 64: few enough to be cheap. */
    private static Stripe[] stripes() {
        int n = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors() * 2 - 1)) << 1;
        Stripe[] stripes = new Stripe[Math.min(n, 64)];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Stripe();
        }
        return stripes;
    }

    private static final class Stripe {
        final ReentrantLock lock = new ReentrantLock();
        /** Created at the first chunk, so a process that never masks holds none. */
        Cipher cipher;
        /** Keystream not yet handed out: {@code batch[used, BATCH_BYTES)}; made at the first chunk. */
        byte[] batch;
        int used = BATCH_BYTES;
        int chunksLeft;

        void rekey() throws GeneralSecurityException {
            byte[] key = new byte[32];
            byte[] nonce = new byte[12];
            SEEDS.nextBytes(key);
            SEEDS.nextBytes(nonce);
            cipher = Cipher.getInstance("ChaCha20");
            if (batch == null) {
                batch = new byte[BATCH_BYTES];
            }
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(nonce, 0));
            chunksLeft = CHUNKS_PER_KEY;
        }
    }
}
