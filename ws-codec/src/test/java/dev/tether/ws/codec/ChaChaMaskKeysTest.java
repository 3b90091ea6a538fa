package dev.tether.ws.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * How much keystream a connection holds: none before its first frame, 16 keys while it sends
 * now and then, 64 once it sends fast (where the lock per chunk shows in every small frame).
 */
class ChaChaMaskKeysTest {

    @Test
    void aWriterThatNeverSentHoldsNoKeystream() {
        assertThat(new ChaChaMaskKeys().chunkBytes()).isZero();
    }

    @Test
    void aSenderThatUsesUpItsKeysSlowlyKeepsTheSmallChunk() throws InterruptedException {
        ChaChaMaskKeys keys = new ChaChaMaskKeys();
        draw(keys, ChaChaMaskKeys.SMALL_CHUNK / 4);
        Thread.sleep(150);  // longer than BUSY_NANOS (100 ms) between two fills
        draw(keys, 1);
        assertThat(keys.chunkBytes()).isEqualTo(ChaChaMaskKeys.SMALL_CHUNK);
    }

    @Test
    void aSenderThatUsesUpItsKeysFastMovesToTheLargerChunkAndStaysThere() throws InterruptedException {
        ChaChaMaskKeys keys = new ChaChaMaskKeys();
        draw(keys, ChaChaMaskKeys.SMALL_CHUNK / 4 + 1);
        assertThat(keys.chunkBytes()).isEqualTo(ChaChaMaskKeys.BUSY_CHUNK);
        Thread.sleep(150);
        draw(keys, ChaChaMaskKeys.BUSY_CHUNK / 4);
        assertThat(keys.chunkBytes()).isEqualTo(ChaChaMaskKeys.BUSY_CHUNK);
    }

    private static void draw(MaskKeys keys, int n) {
        for (int i = 0; i < n; i++) {
            assertThat(keys.nextKey()).isNotZero();
        }
    }
}
