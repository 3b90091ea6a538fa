package dev.tether.ws.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ws.codec.deflate.MessageDeflater;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** The peer's own DEFLATE decoder: it reads what zlib writes, and refuses what the agreement forbids. */
class DeflateCheckTest {

    /** One permessage-deflate message as zlib writes it: sync flush, tail removed. */
    private static byte[] compress(Deflater d, byte[] data) {
        d.setInput(data);
        byte[] out = new byte[data.length * 2 + 1024];
        int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        assertThat(Arrays.copyOfRange(out, n - 4, n)).containsExactly(0, 0, 0xFF, 0xFF);
        return Arrays.copyOf(out, n - 4);
    }

    private static byte[] text(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] words = {"alpha ", "beta ", "gamma ", "delta ", "{\"key\": ", "42, ", "\n"};
        StringBuilder s = new StringBuilder();
        while (s.length() < n) {
            s.append(words[r.nextInt(words.length)]);
        }
        return s.substring(0, n).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void decodesWhatZlibWritesAtEveryLevelAcrossMessages() throws Exception {
        for (int level = 0; level <= 9; level++) {
            Deflater d = new Deflater(level, true);
            DeflateCheck check = new DeflateCheck(15, false);
            for (int m = 0; m < 5; m++) {
                byte[] data = m == 3 ? new byte[70_000] : text(1 + m * 20_000, m);
                if (m == 3) {
                    new SplittableRandom(3).nextBytes(data);  // incompressible: stored blocks
                }
                byte[] z = compress(d, data);
                assertThat(check.message(z, z.length)).as("level %d message %d", level, m).isEqualTo(data);
            }
            d.end();
        }
    }

    @Test
    void decodesTheCodecsOwnDeflaterIncludingTheEmptyMessage() throws Exception {
        for (int bits : new int[] {9, 15}) {
            for (boolean noContext : new boolean[] {false, true}) {
                MessageDeflater d = new MessageDeflater(bits, noContext, Deflater.DEFAULT_COMPRESSION);
                DeflateCheck check = new DeflateCheck(bits, noContext);
                for (byte[] data : new byte[][] {text(5000, 1), new byte[0], text(16, 2), text(131_072, 3)}) {
                    ByteBuffer z = d.deflate(ByteBuffer.wrap(data), true);
                    byte[] b = new byte[z.remaining()];
                    z.get(b);
                    assertThat(check.message(b, b.length)).isEqualTo(data);
                }
                d.end();
            }
        }
    }

    @Test
    void aBackReferenceBeyondTheAgreedWindowIsRefused() throws Exception {
        // 1000 random bytes twice: the second copy refers 1000 bytes back, past a 512-byte window.
        byte[] half = new byte[1000];
        new SplittableRandom(7).nextBytes(half);
        byte[] data = new byte[2000];
        System.arraycopy(half, 0, data, 0, 1000);
        System.arraycopy(half, 0, data, 1000, 1000);
        byte[] z = compress(new Deflater(Deflater.DEFAULT_COMPRESSION, true), data);
        assertThat(new DeflateCheck(10, false).message(z, z.length)).isEqualTo(data);
        assertThatThrownBy(() -> new DeflateCheck(9, false).message(z, z.length))
                .isInstanceOf(DeflateCheck.Violation.class)
                .hasMessageContaining("beyond the 512-byte window")
                .satisfies(e -> assertThat(((DeflateCheck.Violation) e).closeCode()).isEqualTo(1002));
    }

    @Test
    void underNoContextTakeoverAMessageMustNotReferToAnEarlierOne() throws Exception {
        byte[] data = text(4000, 9);
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] first = compress(d, data);
        byte[] second = compress(d, data);  // context kept: the second is a reference to the first
        DeflateCheck taking = new DeflateCheck(15, false);
        assertThat(taking.message(first, first.length)).isEqualTo(data);
        assertThat(taking.message(second, second.length)).isEqualTo(data);
        DeflateCheck resetting = new DeflateCheck(15, true);
        resetting.message(first, first.length);
        assertThatThrownBy(() -> resetting.message(second, second.length))
                .hasMessageContaining("client_no_context_takeover");
    }

    @Test
    void corruptOrUnfinishedDataIsRefused() {
        byte[] data = text(3000, 11);
        byte[] z = compress(new Deflater(Deflater.DEFAULT_COMPRESSION, true), data);
        byte[] corrupt = z.clone();
        corrupt[corrupt.length / 2] ^= 0x5A;
        assertThatThrownBy(() -> {
            byte[] out = new DeflateCheck(15, false).message(corrupt, corrupt.length);
            assertThat(out).isNotEqualTo(data);  // a flip may still decode: then to other bytes
            throw new DeflateCheck.Violation("decoded to other bytes", 1007);
        }).isInstanceOf(DeflateCheck.Violation.class);
        // Without the sync flush the tail does not end a block.
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        byte[] out = new byte[8192];
        int n = d.deflate(out, 0, out.length, Deflater.NO_FLUSH);
        assertThatThrownBy(() -> new DeflateCheck(15, false).message(out, n)).isInstanceOf(DeflateCheck.Violation.class);
        assertThatThrownBy(() -> new DeflateCheck(15, false).message(new byte[] {(byte) 0xFF}, 1))
                .isInstanceOf(DeflateCheck.Violation.class);
    }
}
