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

    /**
     * The heap-to-heap kernel against the byte-by-byte definition at every length from 0 to 300,
     * every source and destination offset within a word and every key phase: each tail length
     * (31 bytes or fewer after the 32-byte steps) meets each alignment of both arrays.
     */
    @Test
    void maskCopyMatchesTheDefinitionAtEveryLengthOffsetAndKeyPhase() {
        Random random = new Random(300);
        byte[] data = new byte[300 + 8];
        random.nextBytes(data);
        byte[] dstArray = new byte[300 + 16];
        for (int len = 0; len <= 300; len++) {
            for (int srcOff = 0; srcOff < 8; srcOff++) {
                byte[] payload = java.util.Arrays.copyOfRange(data, srcOff, srcOff + len);
                for (int phase = 0; phase < 4; phase++) {
                    int key = random.nextInt() | 0x0101_0101;
                    byte[] expected = reference(payload, key, phase);
                    for (int dstOff = 0; dstOff < 8; dstOff++) {
                        java.util.Arrays.fill(dstArray, GUARD);
                        ByteBuffer src = ByteBuffer.wrap(data, srcOff, len);
                        ByteBuffer dst = ByteBuffer.wrap(dstArray, dstOff, len + 8);
                        Masker.maskCopy(src, dst, key, phase);
                        String what = String.format("len %d, src +%d, dst +%d, phase %d", len, srcOff, dstOff, phase);
                        assertThat(java.util.Arrays.copyOfRange(dstArray, dstOff, dstOff + len)).as(what).isEqualTo(expected);
                        assertThat(dstArray[dstOff + len]).as(what + ": after").isEqualTo(GUARD);
                        if (dstOff > 0) {
                            assertThat(dstArray[dstOff - 1]).as(what + ": before").isEqualTo(GUARD);
                        }
                        assertThat(dst.position()).as(what).isEqualTo(dstOff + len);
                    }
                    byte[] inPlace = java.util.Arrays.copyOf(data, data.length);
                    Masker.mask(inPlace, srcOff, len, key, phase);
                    assertThat(java.util.Arrays.copyOfRange(inPlace, srcOff, srcOff + len))
                            .as("in place, len %d, +%d, phase %d", len, srcOff, phase).isEqualTo(expected);
                }
            }
        }
        assertThat(java.util.Arrays.copyOfRange(data, 0, 8)).as("the source is left as it was").isNotEqualTo(new byte[8]);
    }

    /** Ways a payload or an output buffer reaches maskCopy; heap ones sit between guard bytes. */
    enum Shape { HEAP, HEAP_SLICE_ODD, READ_ONLY_HEAP, DIRECT, DIRECT_LITTLE_ENDIAN, DIRECT_SLICE_ODD }

    private static final byte GUARD = (byte) 0xA5;

    /** {@code data} as the remaining bytes of a buffer of that shape, guard bytes around it. */
    private static ByteBuffer buffer(Shape shape, byte[] data) {
        int front = 3;
        return switch (shape) {
            case HEAP -> ByteBuffer.wrap(data.clone());
            case HEAP_SLICE_ODD, READ_ONLY_HEAP -> {
                byte[] a = new byte[front + data.length + 11];
                java.util.Arrays.fill(a, GUARD);
                System.arraycopy(data, 0, a, front, data.length);
                ByteBuffer b = ByteBuffer.wrap(a, front, data.length).slice();
                yield shape == Shape.READ_ONLY_HEAP ? b.asReadOnlyBuffer() : b;
            }
            case DIRECT, DIRECT_LITTLE_ENDIAN, DIRECT_SLICE_ODD -> {
                ByteBuffer d = ByteBuffer.allocateDirect(front + data.length + 11);
                for (int i = 0; i < d.capacity(); i++) {
                    d.put(i, GUARD);
                }
                d.put(front, data);
                if (shape == Shape.DIRECT_SLICE_ODD) {
                    yield d.slice(front, data.length);
                }
                d.position(front).limit(front + data.length);
                yield d.order(shape == Shape.DIRECT ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            }
        };
    }

    private static byte[] remaining(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    @Test
    void maskCopyBetweenEveryPairOfShapesMatchesTheDefinitionAndTouchesNothingElse() {
        Random random = new Random(5);
        int[] lengths = new int[45];
        for (int i = 0; i < 41; i++) {
            lengths[i] = i;
        }
        lengths[41] = 125;
        lengths[42] = 1027;
        lengths[43] = 65536 + 5;
        lengths[44] = (1 << 20) + 1;
        for (int len : lengths) {
            byte[] data = new byte[len];
            random.nextBytes(data);
            for (long payloadOffset : new long[] {0, 1, 2, 3, 7, -1, 1L << 40 | 2}) {
                int key = random.nextInt() | 0x100;
                byte[] expected = reference(data, key, payloadOffset);
                for (Shape from : Shape.values()) {
                    for (Shape to : Shape.values()) {
                        if (to == Shape.READ_ONLY_HEAP || len > 2000 && (payloadOffset > 3 || payloadOffset < 0)) {
                            continue;
                        }
                        ByteBuffer src = buffer(from, data);
                        byte[] zeros = new byte[len + 6];
                        ByteBuffer dst = buffer(to, zeros);
                        ByteBuffer whole = dst.duplicate();
                        dst.position(dst.position() + 3).limit(dst.limit() - 3);
                        ByteBuffer srcView = src.duplicate();
                        ByteBuffer dstView = dst.duplicate();
                        int dstStart = dst.position();
                        Masker.maskCopy(src, dst, key, payloadOffset);
                        String what = String.format("len %d, offset %d, %s -> %s", len, payloadOffset, from, to);
                        assertThat(remaining(dstView)).as(what).isEqualTo(expected);
                        assertThat(remaining(srcView)).as(what + ": the source").isEqualTo(data);
                        assertThat(src.remaining()).as(what).isZero();
                        assertThat(dst.position()).as(what).isEqualTo(dstStart + len);
                        for (int i = 0; i < 3; i++) {  // the bytes just outside the range
                            assertThat(whole.get(whole.position() + i)).as(what + ": before").isZero();
                            assertThat(whole.get(whole.limit() - 1 - i)).as(what + ": after").isZero();
                        }
                    }
                }
            }
        }
    }

    @Test
    void maskCopyIntoTheSameArrayWorksWhereverTheRangesLie() {
        Random random = new Random(9);
        for (int len : new int[] {1, 7, 8, 15, 16, 17, 100}) {
            for (int shift = -20; shift <= 20; shift++) {
                byte[] array = new byte[200];
                random.nextBytes(array);
                int from = 50;
                int at = from + shift;
                byte[] data = java.util.Arrays.copyOfRange(array, from, from + len);
                int key = random.nextInt() | 1;
                ByteBuffer src = ByteBuffer.wrap(array).position(from).limit(from + len);
                ByteBuffer dst = ByteBuffer.wrap(array).position(at);
                Masker.maskCopy(src, dst, key, 1);
                assertThat(java.util.Arrays.copyOfRange(array, at, at + len)).as("len %d, shift %d", len, shift)
                        .isEqualTo(reference(data, key, 1));
            }
        }
    }

    @Test
    void maskCopyRefusesADestinationTooSmallOrReadOnlyBeforeCopyingAnything() {
        ByteBuffer src = ByteBuffer.wrap(new byte[20]);
        ByteBuffer small = ByteBuffer.allocate(19);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Masker.maskCopy(src, small, 0x01020304, 0))
                .isInstanceOf(java.nio.BufferOverflowException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Masker.maskCopy(src, ByteBuffer.allocateDirect(5), 0, 0))
                .isInstanceOf(java.nio.BufferOverflowException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Masker.maskCopy(src, ByteBuffer.allocate(20).asReadOnlyBuffer(), 0x01020304, 0))
                .isInstanceOf(java.nio.ReadOnlyBufferException.class);
        assertThat(src.position()).isZero();
        assertThat(small.position()).isZero();
        assertThat(small.array()).containsOnly(0);
    }

    @Test
    void aZeroKeyCopiesAndMasksNothing() {
        byte[] data = "left as it is".getBytes();
        for (Shape to : new Shape[] {Shape.HEAP, Shape.DIRECT}) {
            ByteBuffer dst = buffer(to, new byte[data.length]);
            ByteBuffer view = dst.duplicate();
            Masker.maskCopy(ByteBuffer.wrap(data), dst, 0, 3);
            assertThat(remaining(view)).isEqualTo(data);
        }
        byte[] copy = data.clone();
        Masker.mask(copy, 0, copy.length, 0, 1);
        assertThat(copy).isEqualTo(data);
    }

    @Test
    void maskingInPlaceStaysInsideTheRangeOfAHeapSlice() {
        byte[] array = new byte[64];
        java.util.Arrays.fill(array, GUARD);
        ByteBuffer slice = ByteBuffer.wrap(array, 5, 40).slice();
        Masker.mask(slice, 3, 37, 0x11223344, 3);
        for (int i = 0; i < array.length; i++) {
            if (i < 8 || i >= 42) {
                assertThat(array[i]).as("byte %d", i).isEqualTo(GUARD);
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Masker.mask(slice, 0, 41, 0x11223344, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    /** The short frame's kernel: no loop, so each bit of the length takes a branch of its own. */
    @Test
    void shortXorMatchesTheDefinitionAtEveryLengthUnder128AndEveryOffset() {
        Random random = new Random(127);
        byte[] src = new byte[140];
        random.nextBytes(src);
        int key = 0x9a3c_71e5;
        for (int len = 0; len < 128; len++) {
            for (int from = 0; from < 4; from++) {
                byte[] dst = new byte[140];
                java.util.Arrays.fill(dst, GUARD);
                Masker.xorShort(src, from, dst, 3, len, key);
                for (int i = 0; i < dst.length; i++) {
                    byte expected = i >= 3 && i < 3 + len
                            ? (byte) (src[from + i - 3] ^ (key >>> (24 - 8 * ((i - 3) & 3))))
                            : GUARD;
                    assertThat(dst[i]).as("len %d, from %d, byte %d", len, from, i).isEqualTo(expected);
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
                    for (int i = 0; i < 96; i++) {
                        sequence.add(keys.nextKey());
                    }
                    return sequence;
                }));
            }
            for (Future<List<Integer>> f : futures) {
                drawn.add(f.get(10, TimeUnit.SECONDS));
            }
        }
        // 96 keys span four chunks of a busy sender (4, 16 and 64 keys, then 12 of the next),
        // each starting at a multiple of 4 keys: a chunk handed to two connections would repeat
        // a run of 4 (128 bits, which chance never repeats).
        Set<List<Integer>> runs = new HashSet<>();
        for (List<Integer> sequence : drawn) {
            for (int start = 0; start + 4 <= sequence.size(); start += 4) {
                assertThat(runs.add(sequence.subList(start, start + 4))).as("a run of 4 keys seen twice").isTrue();
            }
        }
        assertThat(runs).hasSize(connections * 24);
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
