package dev.tether.ws.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Once warm, parsing and writing (masking) frames allocates nothing per frame. Allocation is
 * counted by the JVM per thread, which is deterministic enough to assert; time is not.
 */
class AllocationTest {
    private static final int FRAMES = 200_000;
    private static com.sun.management.ThreadMXBean threads;

    @BeforeAll
    static void enableAllocationCounting() {
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    private static long allocatedSoFar() {
        return threads.getCurrentThreadAllocatedBytes();
    }

    /** A handler that reads every byte and keeps nothing. */
    private static final class Sink implements MessageHandler {
        long bytes;
        long messages;

        @Override public void onMessageStart(int opcode) { }
        @Override public void onMessageData(ByteBuffer chunk) { bytes += chunk.remaining(); }
        @Override public void onMessageEnd() { messages++; }
        @Override public void onPing(ByteBuffer payload) { bytes += payload.remaining(); }
        @Override public void onPong(ByteBuffer payload) { }
        @Override public void onClose(int code, String reason) { }
    }

    @Test
    void parsingServerFramesAllocatesNothingPerFrame() throws Exception {
        for (int size : new int[] {16, 125, 1024}) {
            ByteBuffer wire = framesOf(Role.SERVER, size, 1000);
            Sink sink = new Sink();
            FrameDecoder decoder = new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, sink);
            decodeRepeatedly(decoder, wire, FRAMES);                         // warm-up
            long before = allocatedSoFar();
            decodeRepeatedly(decoder, wire, FRAMES);
            long perFrame = (allocatedSoFar() - before) / FRAMES;
            System.out.printf("parse %d B text frames: %d bytes allocated per frame%n", size, perFrame);
            assertThat(perFrame).as("bytes per %d-byte frame", size).isZero();
            assertThat(sink.messages).isEqualTo(2L * FRAMES);
        }
    }

    @Test
    void unmaskingClientFramesAllocatesNothingPerFrame() throws Exception {
        ByteBuffer wire = framesOf(Role.CLIENT, 125, 1000);
        byte[] pristine = new byte[wire.remaining()];
        wire.get(0, pristine);
        Sink sink = new Sink();
        FrameDecoder decoder = new FrameDecoder(Role.SERVER, DecoderLimits.DEFAULT, sink);
        for (int pass = 0; pass < 2; pass++) {
            long before = allocatedSoFar();
            for (int i = 0; i < FRAMES / 1000; i++) {
                wire.position(0).put(0, pristine);  // unmasking is in place: restore the masked bytes
                decoder.decode(wire);
            }
            long perFrame = (allocatedSoFar() - before) / FRAMES;
            if (pass == 1) {
                System.out.printf("parse+unmask 125 B client frames: %d bytes allocated per frame%n", perFrame);
                assertThat(perFrame).isZero();
            }
        }
    }

    @Test
    void writingAndMaskingClientFramesAllocatesNothingPerFrame() {
        FrameWriter writer = new FrameWriter(Role.CLIENT);
        ByteBuffer payload = ByteBuffer.allocate(1024);
        ByteBuffer out = ByteBuffer.allocate(FrameWriter.MAX_HEADER_SIZE + 1024);
        // Warm until the JIT has compiled the whole path, the mask-key refill included (it runs
        // once per 16 frames, so it is compiled last): at most ten passes of 200,000 frames.
        double perFrame = Double.NaN;
        for (int pass = 0; pass < 10 && !(perFrame < 0.01); pass++) {
            long before = allocatedSoFar();
            for (int i = 0; i < FRAMES; i++) {
                out.clear();
                payload.clear();
                writer.writeFrame(out, true, 0, Opcodes.BINARY, payload);
            }
            perFrame = (allocatedSoFar() - before) / (double) FRAMES;
            System.out.printf("write+mask 1 KiB client frames, pass %d: %.3f bytes allocated per frame%n", pass, perFrame);
        }
        assertThat(perFrame).isLessThan(0.01);
    }

    private static void decodeRepeatedly(FrameDecoder decoder, ByteBuffer wire, int frames) throws Exception {
        for (int i = 0; i < frames / 1000; i++) {
            decoder.decode(wire.position(0));
        }
    }

    /** {@code count} frames of {@code size} bytes, text and binary in turn. */
    private static ByteBuffer framesOf(Role writerRole, int size, int count) {
        FrameWriter writer = new FrameWriter(writerRole);
        ByteBuffer wire = ByteBuffer.allocate(count * (size + FrameWriter.MAX_HEADER_SIZE));
        byte[] text = "a".repeat(size).getBytes();
        for (int i = 0; i < count; i++) {
            writer.writeFrame(wire, true, 0, (i & 1) == 0 ? Opcodes.TEXT : Opcodes.BINARY, ByteBuffer.wrap(text));
        }
        return wire.flip();
    }
}
