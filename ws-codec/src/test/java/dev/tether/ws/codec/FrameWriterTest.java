package dev.tether.ws.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameWriterTest {

    private static String write(FrameWriter w, boolean fin, int opcode, byte[] payload) {
        ByteBuffer dst = ByteBuffer.allocate(FrameWriter.MAX_HEADER_SIZE + payload.length);
        w.writeFrame(dst, fin, 0, opcode, ByteBuffer.wrap(payload));
        return Hex.of(dst.flip());
    }

    @Test
    void serverWritesTheRfcUnmaskedExamples() {
        FrameWriter w = new FrameWriter(Role.SERVER);
        assertThat(write(w, true, Opcodes.TEXT, "Hello".getBytes())).isEqualTo("810548656c6c6f");
        assertThat(write(w, false, Opcodes.TEXT, "Hel".getBytes())).isEqualTo("010348656c");
        assertThat(write(w, true, Opcodes.CONTINUATION, "lo".getBytes())).isEqualTo("80026c6f");
        assertThat(write(w, true, Opcodes.PING, "Hello".getBytes())).isEqualTo("890548656c6c6f");
        assertThat(write(w, true, Opcodes.BINARY, new byte[256])).isEqualTo("827e0100" + "00".repeat(256));
        assertThat(write(w, true, Opcodes.BINARY, new byte[65536]))
                .isEqualTo("827f0000000000010000" + "00".repeat(65536));
    }

    @Test
    void clientWritesTheRfcMaskedExample() {
        FrameWriter w = new FrameWriter(Role.CLIENT, FixedKeys.of(0x37fa213d));
        assertThat(write(w, true, Opcodes.TEXT, "Hello".getBytes())).isEqualTo("818537fa213d7f9f4d5158");
        assertThat(write(w, true, Opcodes.PONG, "Hello".getBytes())).isEqualTo("8a8537fa213d7f9f4d5158");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 125, 126, 65535, 65536, 1L << 40})
    void headerSizeFollowsTheLengthEncoding(long len) {
        int expected = len <= 125 ? 2 : len <= 65535 ? 4 : 10;
        assertThat(FrameWriter.headerSize(len, false)).isEqualTo(expected);
        assertThat(FrameWriter.headerSize(len, true)).isEqualTo(expected + 4);
        ByteBuffer dst = ByteBuffer.allocate(FrameWriter.MAX_HEADER_SIZE);
        new FrameWriter(Role.CLIENT).writeHeader(dst, true, 0, Opcodes.BINARY, len);
        assertThat(dst.position()).isEqualTo(expected + 4);
    }

    /**
     * Heap buffers get the header as whole big-endian fields written into the array, other
     * buffers byte by byte: both must give the bytes of section 5.2, whatever the buffer's byte
     * order or the array offset, for every length encoding, FIN/RSV/opcode and either role.
     */
    @ParameterizedTest
    @ValueSource(longs = {0, 1, 125, 126, 127, 65535, 65536, 0x1234_5678_9AL})
    void headerBytesAreTheSameInHeapSlicesAndDirectBuffersOfEitherOrder(long len) {
        for (Role role : Role.values()) {
            for (int[] frame : new int[][] {{1, 0, Opcodes.BINARY}, {0, 4, Opcodes.TEXT}, {1, 0, Opcodes.PING}}) {
                if (frame[2] == Opcodes.PING && len > 125) {
                    continue;
                }
                int size = FrameWriter.headerSize(len, role.masksOutgoing());
                StringBuilder expected = new StringBuilder(String.format("%02x", frame[0] << 7 | frame[1] << 4 | frame[2]));
                int maskBit = role.masksOutgoing() ? 0x80 : 0;
                if (len <= 125) {
                    expected.append(String.format("%02x", maskBit | len));
                } else if (len <= 65535) {
                    expected.append(String.format("%02x%04x", maskBit | 126, len));
                } else {
                    expected.append(String.format("%02x%016x", maskBit | 127, len));
                }
                if (role.masksOutgoing()) {
                    expected.append("a1b2c3d4");
                }
                ByteBuffer[] shapes = {
                    ByteBuffer.wrap(new byte[size + 7], 3, size + 4).slice().position(1),
                    ByteBuffer.allocateDirect(size + 1).position(1),
                    ByteBuffer.allocateDirect(size + 1).order(java.nio.ByteOrder.LITTLE_ENDIAN).position(1),
                };
                for (ByteBuffer dst : shapes) {
                    FrameWriter w = new FrameWriter(role, FixedKeys.of(0xa1b2c3d4));
                    w.allowRsv(4);
                    int key = w.writeHeader(dst, frame[0] == 1, frame[1], frame[2], len);
                    assertThat(key).isEqualTo(role.masksOutgoing() ? 0xa1b2c3d4 : 0);
                    assertThat(dst.position()).isEqualTo(1 + size);
                    assertThat(Hex.of(dst.flip().position(1))).as("%s %s len %d", role, dst, len)
                            .isEqualTo(expected.toString());
                }
            }
        }
    }

    /**
     * A client's short data frame between heap arrays takes a path of its own: it must write
     * what the general path writes (here into a direct buffer), consume the payload, and keep
     * the message state, for every short length, fragment order and RSV bit.
     */
    @Test
    void shortFramesBetweenHeapArraysAreWrittenAsTheGeneralPathWritesThem() {
        java.util.Random random = new java.util.Random(125);
        for (int len = 0; len <= 126; len++) {
            byte[] payload = new byte[len + 3];
            random.nextBytes(payload);
            FrameWriter fast = new FrameWriter(Role.CLIENT, FixedKeys.of(0x5eed_1234));
            FrameWriter general = new FrameWriter(Role.CLIENT, FixedKeys.of(0x5eed_1234));
            fast.allowRsv(4);
            general.allowRsv(4);
            int[][] frames = {{0, 4, Opcodes.TEXT}, {0, 0, Opcodes.CONTINUATION}, {1, 0, Opcodes.CONTINUATION}, {1, 4, Opcodes.BINARY}};
            for (int[] f : frames) {
                ByteBuffer heapOut = ByteBuffer.wrap(new byte[len + 20], 2, len + 16).slice().position(1);
                ByteBuffer directOut = ByteBuffer.allocateDirect(len + 16).position(1);
                ByteBuffer heapPayload = ByteBuffer.wrap(payload, 3, len);
                int a = fast.writeFrame(heapOut, f[0] == 1, f[1], f[2], heapPayload);
                int b = general.writeFrame(directOut, f[0] == 1, f[1], f[2], ByteBuffer.wrap(payload, 3, len));
                String what = String.format("len %d, frame %s", len, java.util.Arrays.toString(f));
                assertThat(a).as(what).isEqualTo(b);
                assertThat(heapPayload.hasRemaining()).as(what).isFalse();
                assertThat(Hex.of(heapOut.flip().position(1))).as(what).isEqualTo(Hex.of(directOut.flip().position(1)));
                assertThat(fast.messageOpen()).as(what).isEqualTo(general.messageOpen());
            }
        }
    }

    @Test
    void headerIntoCallersBufferThenMaskInPlaceEqualsWholeFrame() {
        byte[] payload = "mask me in place, please".getBytes();
        ByteBuffer buf = ByteBuffer.allocate(FrameWriter.MAX_HEADER_SIZE + payload.length);
        int key = new FrameWriter(Role.CLIENT, FixedKeys.of(0x11223344))
                .writeHeader(buf, true, 0, Opcodes.BINARY, payload.length);
        int start = buf.position();
        buf.put(payload);
        Masker.mask(buf, start, buf.position(), key, 0);
        String whole = write(new FrameWriter(Role.CLIENT, FixedKeys.of(0x11223344)), true, Opcodes.BINARY, payload);
        assertThat(Hex.of(buf.flip())).isEqualTo(whole);
    }

    @Test
    void refusesOpcodesOutsideTheField() {
        FrameWriter w = new FrameWriter(Role.CLIENT);
        assertThatThrownBy(() -> w.check(true, 0, 0x10, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside 0x0-0xF");
        assertThatThrownBy(() -> w.check(true, 0, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void refusesReservedOpcodes(int opcode) {
        assertThatThrownBy(() -> new FrameWriter(Role.CLIENT).check(true, 0, opcode, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("extension");
    }

    @Test
    void refusesRsvBitsWithoutExtensionAndAllowsThemWithOne() {
        FrameWriter w = new FrameWriter(Role.CLIENT);
        assertThatThrownBy(() -> w.check(true, 4, Opcodes.TEXT, 0)).isInstanceOf(IllegalArgumentException.class);
        w.allowRsv(4);
        w.check(true, 4, Opcodes.TEXT, 0);
    }

    @Test
    void refusesFragmentedOrOversizedControlFrames() {
        FrameWriter w = new FrameWriter(Role.CLIENT);
        assertThatThrownBy(() -> w.check(false, 0, Opcodes.PING, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never fragmented");
        assertThatThrownBy(() -> w.check(true, 0, Opcodes.CLOSE, 126))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 125");
        w.check(true, 0, Opcodes.PONG, 125);
    }

    @Test
    void enforcesFragmentOrderAndLetsControlFramesInterleave() {
        FrameWriter w = new FrameWriter(Role.CLIENT);
        ByteBuffer dst = ByteBuffer.allocate(1024);
        assertThatThrownBy(() -> w.writeHeader(dst, true, 0, Opcodes.CONTINUATION, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("without a started message");
        w.writeHeader(dst, false, 0, Opcodes.TEXT, 0);
        assertThat(w.messageOpen()).isTrue();
        w.writeHeader(dst, true, 0, Opcodes.PING, 0);
        assertThatThrownBy(() -> w.writeHeader(dst, true, 0, Opcodes.BINARY, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("previous one is finished");
        w.writeHeader(dst, false, 0, Opcodes.CONTINUATION, 0);
        w.writeHeader(dst, true, 0, Opcodes.CONTINUATION, 0);
        assertThat(w.messageOpen()).isFalse();
    }

    @Test
    void writesNothingAndKeepsStateWhenTheBufferIsTooSmall() {
        FrameWriter w = new FrameWriter(Role.CLIENT);
        ByteBuffer small = ByteBuffer.allocate(10);
        assertThatThrownBy(() -> w.writeFrame(small, false, 0, Opcodes.TEXT, ByteBuffer.allocate(100)))
                .isInstanceOf(BufferOverflowException.class);
        assertThat(small.position()).isZero();
        assertThat(w.messageOpen()).isFalse();
    }

    @Test
    void closePayloadChecksWhatThisSideSends() {
        assertThat(Hex.of(ByteBuffer.wrap(ClosePayload.of(1000, "bye").toBytes()))).isEqualTo("03e8627965");
        assertThat(ClosePayload.EMPTY.toBytes()).isEmpty();
        assertThatThrownBy(() -> ClosePayload.of(1005, "")).hasMessageContaining("may not be sent");
        assertThatThrownBy(() -> ClosePayload.of(999, "")).hasMessageContaining("may not be sent");
        assertThatThrownBy(() -> ClosePayload.of(1000, "é".repeat(62)))
                .hasMessageContaining("124 UTF-8 bytes");
        assertThat(ClosePayload.of(4999, "x".repeat(123)).reason()).hasSize(123);
    }
}
