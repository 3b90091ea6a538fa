package dev.tether.ws.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each violation of RFC 6455 a peer can commit, with the close code it must earn. */
class ProtocolViolationTest {

    static Stream<Arguments> violations() {
        return Stream.of(
                // Lengths, section 5.2
                v("64-bit length with its top bit set", Role.CLIENT, "82 7F 8000000000000000", 1002, "most significant bit"),
                v("16-bit form for a 7-bit length", Role.CLIENT, "82 7E 0005 0102030405", 1002, "7-bit form"),
                v("64-bit form for a 16-bit length", Role.CLIENT, "82 7F 000000000000FFFF", 1002, "shortest form"),
                // RSV bits, section 5.2 (Autobahn 3.x)
                v("RSV1 without extension", Role.CLIENT, "c1 00", 1002, "RSV1 set"),
                v("RSV2 without extension", Role.CLIENT, "a1 00", 1002, "RSV2 set"),
                v("RSV3 without extension", Role.CLIENT, "91 00", 1002, "RSV3 set"),
                v("all RSV bits", Role.CLIENT, "f1 00", 1002, "RSV1 and RSV2 and RSV3"),
                v("RSV on a ping", Role.CLIENT, "c9 00", 1002, "RSV1"),
                // Reserved opcodes, section 5.2 (Autobahn 4.x)
                v("reserved data opcode 0x3", Role.CLIENT, "83 00", 1002, "reserved opcode 0x3"),
                v("reserved data opcode 0x7", Role.CLIENT, "87 00", 1002, "reserved opcode 0x7"),
                v("reserved control opcode 0xB", Role.CLIENT, "8b 00", 1002, "reserved opcode 0xb"),
                v("reserved control opcode 0xF", Role.CLIENT, "8f 00", 1002, "reserved opcode 0xf"),
                // Control frames, section 5.5
                v("fragmented ping", Role.CLIENT, "09 00", 1002, "fragmented ping"),
                v("fragmented close", Role.CLIENT, "08 00", 1002, "fragmented close"),
                v("ping of 126 bytes", Role.CLIENT, "89 7E 007E" + "00".repeat(126), 1002, "at most 125"),
                // Fragmentation, section 5.4 (Autobahn 5.x)
                v("continuation without a message", Role.CLIENT, "80 00", 1002, "without a message"),
                v("unfinished continuation without a message", Role.CLIENT, "00 01 41", 1002, "without a message"),
                v("text inside an unfinished text", Role.CLIENT, "01 01 41 81 01 42", 1002, "new text message"),
                v("binary inside an unfinished text", Role.CLIENT, "01 01 41 02 01 42", 1002, "new binary message"),
                // Masking, section 5.1
                v("masked frame to a client", Role.CLIENT, "81 85 37fa213d 7f9f4d5158", 1002, "must not mask"),
                v("unmasked frame to a server", Role.SERVER, "81 05 48656c6c6f", 1002, "must mask"),
                // Close frames, sections 5.5.1, 7.4 and 8.1 (Autobahn 7.x)
                v("close with a 1-byte payload", Role.CLIENT, "88 01 03", 1002, "1-byte payload"),
                v("close reason not UTF-8", Role.CLIENT, "88 04 03e8 c0af", 1007, "not valid UTF-8"),
                v("frame after close", Role.CLIENT, "88 02 03e8 81 01 41", 1002, "after the close frame"),
                // UTF-8, section 8.1 (Autobahn 6.x)
                v("text not UTF-8", Role.CLIENT, "81 02 c0af", 1007, "not valid UTF-8"),
                v("text not UTF-8 in a later fragment", Role.CLIENT, "01 01 41 80 02 eda0", 1007, "not valid UTF-8"),
                v("text ending inside a sequence", Role.CLIENT, "81 02 e282", 1007, "ends inside"),
                v("text sequence split by fragments then cut", Role.CLIENT, "01 01 e2 80 01 82", 1007, "ends inside"),
                v("text invalid in the first of many fragments", Role.CLIENT, "01 02 41ff", 1007, "not valid UTF-8"));
    }

    private static Arguments v(String name, Role role, String wire, int code, String message) {
        return Arguments.of(name, role, wire, code, message);
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("violations")
    void violationIsReportedWithItsCloseCode(String name, Role role, String wire, int code, String message) {
        Recorder rec = new Recorder();
        FrameDecoder decoder = new FrameDecoder(role, DecoderLimits.DEFAULT, rec);
        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> decoder.decode(Hex.buffer(wire)));
        assertThat(e).as(name).isNotNull();
        assertThat(e.closeCode()).isEqualTo(code);
        assertThat(e).hasMessageContaining(message);
    }

    static IntStream unsendableCloseCodes() {
        return IntStream.of(0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535);
    }

    @ParameterizedTest(name = "close code {0} -> 1002")
    @MethodSource("unsendableCloseCodes")
    void closeWithUnsendableCodeIsProtocolError(int code) {
        ByteBuffer frame = ByteBuffer.wrap(new byte[] {(byte) 0x88, 2, (byte) (code >>> 8), (byte) code});
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, new Recorder());
        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> decoder.decode(frame));
        assertThat(e.closeCode()).isEqualTo(1002);
        assertThat(e).hasMessageContaining("status code " + code);
    }

    static IntStream sendableCloseCodes() {
        return IntStream.of(1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999);
    }

    @ParameterizedTest(name = "close code {0} accepted")
    @MethodSource("sendableCloseCodes")
    void closeWithSendableCodeIsAccepted(int code) throws Exception {
        ByteBuffer frame = ByteBuffer.wrap(new byte[] {(byte) 0x88, 2, (byte) (code >>> 8), (byte) code});
        Recorder rec = new Recorder();
        new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, rec).decode(frame);
        assertThat(rec.events).containsExactly("close:" + code + ":");
    }

    @Test
    void frameOverTheFrameLimitIsTooBig() {
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, new DecoderLimits(1000, 4000), new Recorder());
        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> decoder.decode(Hex.buffer("82 7E 03E9")));
        assertThat(e.closeCode()).isEqualTo(1009);
        assertThat(e).hasMessageContaining("frame of 1001 bytes exceeds the limit of 1000");
    }

    @Test
    void fragmentsOverTheMessageLimitAreTooBigBeforeTheirPayloadArrives() throws Exception {
        Recorder rec = new Recorder();
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, new DecoderLimits(1000, 1500), rec);
        decoder.decode(Hex.buffer("02 7E 03E8" + "00".repeat(1000)));
        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> decoder.decode(Hex.buffer("80 7E 03E8")));
        assertThat(e.closeCode()).isEqualTo(1009);
        assertThat(e).hasMessageContaining("message of at least 2000 bytes exceeds the limit of 1500");
        assertThat(rec.messages).isEmpty();
    }

    @Test
    void invalidUtf8FailsAtTheFirstFragmentWithoutWaitingForTheEnd() {
        Recorder rec = new Recorder();
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, rec);
        // ce ba e1 bd b9 ce bc ce b5 ed a0 80 ... : "κόσμε" then a surrogate, in a non-final frame.
        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> decoder.decode(Hex.buffer("01 0e cebae1bdb9cf83cebcceb5eda080")));
        assertThat(e.closeCode()).isEqualTo(1007);
    }
}
