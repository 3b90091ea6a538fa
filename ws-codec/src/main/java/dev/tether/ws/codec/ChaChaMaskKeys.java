package dev.tether.ws.codec;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mask keys read from a ChaCha20 keystream whose key and nonce come from {@link SecureRandom},
 * re-keyed long before the 32-bit block counter could wrap. The JDK's {@code SecureRandom}
 * implementations allocate 2 to 12 bytes per key produced; the cipher writes its keystream
 * into a buffer we own, so the steady state costs an array read and allocates nothing.
 *
 * <p>Not thread-safe: each connection's writer owns one, under the connection's write lock.
 */
final class ChaChaMaskKeys implements MaskKeys {
    /** 64 keys per refill: small, because every connection holds one block. */
    private static final int BLOCK_BYTES = 256;
    /** Refills per cipher key: 2^24 * 256 B = 4 GiB of keystream, far below ChaCha20's 256 GiB. */
    private static final int REFILLS_PER_KEY = 1 << 24;
    private static final SecureRandom SEEDS = new SecureRandom();
    /** The plaintext: only ever read, so one array serves every instance. */
    private static final byte[] ZEROS = new byte[BLOCK_BYTES];

    private final byte[] block = new byte[BLOCK_BYTES];
    /** Created at the first key, so a connection that never sends holds no cipher. */
    private Cipher cipher;
    /** Next unused byte of {@code block}; owned by the writing thread, like everything here. */
    private int next = BLOCK_BYTES;
    private int refillsLeft;

    @Override
    public int nextKey() {
        int key;
        do {
            if (next == BLOCK_BYTES) {
                refill();
            }
            key = (block[next] & 0xFF) << 24 | (block[next + 1] & 0xFF) << 16
                    | (block[next + 2] & 0xFF) << 8 | (block[next + 3] & 0xFF);
            next += 4;
            // A zero key would send the payload in clear; section 10.3 is about exactly that.
        } while (key == 0);
        return key;
    }

    private void refill() {
        try {
            if (refillsLeft == 0) {
                rekey();
            }
            cipher.update(ZEROS, 0, BLOCK_BYTES, block, 0);
            refillsLeft--;
            next = 0;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20 keystream unavailable for mask keys", e);
        }
    }

    private void rekey() throws GeneralSecurityException {
        byte[] key = new byte[32];
        byte[] nonce = new byte[12];
        SEEDS.nextBytes(key);
        SEEDS.nextBytes(nonce);
        cipher = Cipher.getInstance("ChaCha20");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(nonce, 0));
        refillsLeft = REFILLS_PER_KEY;
    }
}
