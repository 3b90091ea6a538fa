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
 * long before ChaCha20's 32-bit block counter could wrap. A connection takes 4 to 64 keys at a
 * time ({@link ChaChaMaskKeys}), so the lock is taken once per 4 to 64 frames.
 */
final class Keystream {
    /** One ChaCha20 block. */
    private static final int BLOCK_BYTES = 64;
    /**
     * Keystream a stripe makes per cipher call: 16 blocks, 1 KiB. Each call has a fixed cost
     * (measured on JDK 25: 33 ns for 64 bytes, 340 ns for 1 KiB), so a chunk cut from a batch costs about
     * a third less.
     */
    private static final int BATCH_BYTES = 16 * BLOCK_BYTES;
    /** Blocks per cipher key: 2^26 * 64 B = 4 GiB of keystream, far below ChaCha20's 256 GiB. */
    private static final int BLOCKS_PER_KEY = 1 << 26;
    private static final SecureRandom SEEDS = new SecureRandom();
    /** The plaintext: only ever read, so one array serves every stripe. */
    private static final byte[] ZEROS = new byte[BATCH_BYTES];
    private static final Stripe[] STRIPES = stripes();

    private Keystream() {
    }

    /**
     * Fills {@code chunk} (a power of two, at most a batch) with fresh keystream. Allocates
     * nothing once keyed.
     */
    static void fill(byte[] chunk) {
        int n = chunk.length;
        Stripe s = STRIPES[(int) (Thread.currentThread().threadId() & (STRIPES.length - 1))];
        s.lock.lock();
        try {
            if (BATCH_BYTES - s.used < n) {
                // What is left of the batch (less than this chunk) is dropped: keystream is
                // never handed out twice.
                if (s.blocksLeft < BATCH_BYTES / BLOCK_BYTES) {
                    s.rekey();
                }
                s.cipher.update(ZEROS, 0, BATCH_BYTES, s.batch, 0);
                s.blocksLeft -= BATCH_BYTES / BLOCK_BYTES;
                s.used = 0;
            }
            System.arraycopy(s.batch, s.used, chunk, 0, n);
            s.used += n;
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
        int blocksLeft;

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
            blocksLeft = BLOCKS_PER_KEY;
        }
    }
}
