package dev.tether.ws.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * How much keystream a connection holds: none before its first frame, 4 keys while it sends now
 * and then, up to 64 once it sends fast (where the lock per chunk shows in every small frame).
 */
class ChaChaMaskKeysTest {

    @Test
    void aWriterThatNeverSentHoldsNoKeystream() {
        assertThat(new ChaChaMaskKeys().chunkBytes()).isZero();
    }

    @Test
    void aSenderThatUsesUpItsKeysSlowlyKeepsTheSmallChunk() throws InterruptedException {
        ChaChaMaskKeys keys = new ChaChaMaskKeys();
        draw(keys, ChaChaMaskKeys.FIRST_CHUNK / 4);
        Thread.sleep(ChaChaMaskKeys.BUSY_MILLIS + 50);  // longer than BUSY_MILLIS between two fills
        draw(keys, 1);
        assertThat(keys.chunkBytes()).isEqualTo(ChaChaMaskKeys.FIRST_CHUNK);
    }

    @Test
    void aSenderThatUsesUpItsKeysFastGrowsItsChunkToTheCapAndKeepsIt() throws InterruptedException {
        ChaChaMaskKeys keys = new ChaChaMaskKeys();
        draw(keys, ChaChaMaskKeys.FIRST_CHUNK / 4 + 1);
        assertThat(keys.chunkBytes()).isEqualTo(ChaChaMaskKeys.FIRST_CHUNK * 4);
        draw(keys, 2 * ChaChaMaskKeys.BUSY_CHUNK / 4);
        assertThat(keys.chunkBytes()).isEqualTo(ChaChaMaskKeys.BUSY_CHUNK);
        Thread.sleep(ChaChaMaskKeys.BUSY_MILLIS + 50);
        draw(keys, ChaChaMaskKeys.BUSY_CHUNK / 4);
        assertThat(keys.chunkBytes()).isEqualTo(ChaChaMaskKeys.BUSY_CHUNK);
    }

    private static void draw(MaskKeys keys, int n) {
        for (int i = 0; i < n; i++) {
            assertThat(keys.nextKey()).isNotZero();
        }
    }
}
