package dev.tether.ws.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Word-wide masking equals the byte-by-byte definition of section 5.3 in every buffer shape. */
class MaskerTest {

    private static byte[] reference(byte[] in, int key, long payloadOffset) {
        byte[] out = in.clone();
        for (int i = 0; i < out.length; i++) {
            int j = (int) ((payloadOffset + i) & 3);
            out[i] ^= (byte) (key >>> (24 - 8 * j));
        }
        return out;
    }

    @Test
    void masksTheRfcExample() {
        byte[] hello = "Hello".getBytes();
        Masker.mask(hello, 0, hello.length, 0x37fa213d, 0);
        assertThat(Hex.of(ByteBuffer.wrap(hello))).isEqualTo("7f9f4d5158");
    }

    @Test
    void matchesByteByByteMaskingForHeapDirectBothOrdersAndOddOffsets() {
        Random random = new Random(42);
        for (int len : new int[] {0, 1, 3, 7, 8, 9, 15, 16, 17, 125, 1000, 4099}) {
            for (int start : new int[] {0, 1, 3, 5}) {
                for (long payloadOffset : new long[] {0, 1, 2, 3, 6, 1L << 33}) {
                    byte[] data = new byte[len];
                    random.nextBytes(data);
                    int key = random.nextInt();
                    byte[] expected = reference(data, key, payloadOffset);
                    for (ByteBuffer buf : shapes(data, start)) {
                        Masker.mask(buf, start, start + len, key, payloadOffset);
                        byte[] got = new byte[len];
                        buf.get(start, got);
                        assertThat(got).as("len %d start %d offset %d %s direct=%b", len, start, payloadOffset,
                                buf.order(), buf.isDirect()).isEqualTo(expected);
                    }
                    byte[] array = new byte[start + len];
                    System.arraycopy(data, 0, array, start, len);
                    Masker.mask(array, start, len, key, payloadOffset);
                    assertThat(java.util.Arrays.copyOfRange(array, start, start + len)).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void masksASliceAtAnOddOffsetOfItsBackingArray() {
        byte[] data = new byte[40];
        new Random(7).nextBytes(data);
        ByteBuffer slice = ByteBuffer.wrap(data.clone()).position(3).slice();
        byte[] expected = reference(java.util.Arrays.copyOfRange(data, 3, 40), 0x01020304, 0);
        Masker.mask(slice, 0, slice.capacity(), 0x01020304, 0);
        byte[] got = new byte[slice.capacity()];
        slice.get(0, got);
        assertThat(got).isEqualTo(expected);
    }

    @Test
    void maskCopyLeavesTheSourceUntouched() {
        byte[] data = "a payload the caller still owns".getBytes();
        ByteBuffer src = ByteBuffer.wrap(data.clone());
        ByteBuffer dst = ByteBuffer.allocate(data.length);
        Masker.maskCopy(src, dst, 0xdeadbeef, 0);
        assertThat(src.array()).isEqualTo(data);
        assertThat(src.hasRemaining()).isFalse();
        assertThat(dst.array()).isEqualTo(reference(data, 0xdeadbeef, 0));
    }

    @Test
    void maskCopyMatchesByteByByteMaskingForEveryShapeAndOffset() {
        Random random = new Random(11);
        for (int len : new int[] {0, 1, 7, 8, 9, 125, 1000, 4099}) {
            for (int srcStart : new int[] {0, 3}) {
                for (long payloadOffset : new long[] {0, 1, 2, 3, 5}) {
                    byte[] data = new byte[len];
                    random.nextBytes(data);
                    int key = random.nextInt() | 1;
                    byte[] expected = reference(data, key, payloadOffset);
                    byte[] srcArray = new byte[srcStart + len];
                    System.arraycopy(data, 0, srcArray, srcStart, len);
                    for (boolean directDst : new boolean[] {false, true}) {
                        ByteBuffer src = ByteBuffer.wrap(srcArray).position(srcStart);
                        ByteBuffer dst = directDst ? ByteBuffer.allocateDirect(len + 5) : ByteBuffer.allocate(len + 5);
                        dst.position(5);
                        Masker.maskCopy(src, dst, key, payloadOffset);
                        byte[] got = new byte[len];
                        dst.get(5, got);
                        assertThat(got).as("len %d offset %d direct %b", len, payloadOffset, directDst).isEqualTo(expected);
                        assertThat(src.hasRemaining()).isFalse();
                        assertThat(dst.position()).isEqualTo(5 + len);
                    }
                }
            }
        }
    }

    @Test
    void maskKeysAreNeverZeroAndDoNotRepeatInARow() {
        MaskKeys keys = MaskKeys.secure();
        int previous = keys.nextKey();
        int repeats = 0;
        for (int i = 0; i < 10_000; i++) {
            int k = keys.nextKey();
            assertThat(k).isNotZero();
            repeats += k == previous ? 1 : 0;
            previous = k;
        }
        assertThat(repeats).isLessThan(2);
    }

    /**
     * Connections share one keystream (a cipher per connection would cost 1.4 KiB each): each
     * must get its own part of it, never a part another connection also got, from any thread.
     */
    @Test
    void connectionsOnManyThreadsNeverShareKeys() throws Exception {
        int connections = 400;
        List<List<Integer>> drawn = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            List<Future<List<Integer>>> futures = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                futures.add(threads.submit(() -> {
                    MaskKeys keys = MaskKeys.secure();
                    List<Integer> sequence = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        sequence.add(keys.nextKey());
                    }
                    return sequence;
                }));
            }
            for (Future<List<Integer>> f : futures) {
                drawn.add(f.get(10, TimeUnit.SECONDS));
            }
        }
        // 40 keys span three 16-key chunks; a chunk handed to two connections would repeat a run.
        Set<List<Integer>> runs = new HashSet<>();
        for (List<Integer> sequence : drawn) {
            for (int start = 0; start + 8 <= sequence.size(); start += 8) {
                assertThat(runs.add(sequence.subList(start, start + 8))).as("a run of 8 keys seen twice").isTrue();
            }
        }
        assertThat(runs).hasSize(connections * 5);
    }

    private static ByteBuffer[] shapes(byte[] data, int start) {
        ByteBuffer[] out = new ByteBuffer[4];
        int i = 0;
        for (boolean direct : new boolean[] {false, true}) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                ByteBuffer b = direct ? ByteBuffer.allocateDirect(start + data.length) : ByteBuffer.allocate(start + data.length);
                b.order(order).put(start, data);
                out[i++] = b;
            }
        }
        return out;
    }
}
