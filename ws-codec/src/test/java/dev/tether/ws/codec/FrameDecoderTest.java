package dev.tether.ws.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 6455 section 5.7 examples, byte for byte, fed whole and split at every byte boundary. */
class FrameDecoderTest {

    static Stream<Arguments> rfcExamples() {
        String hello = "48656c6c6f";
        String b256 = "00".repeat(256);
        return Stream.of(
                Arguments.of("single-frame unmasked text", Role.CLIENT,
                        "81 05 48656c6c6f", List.of("text:" + hello)),
                Arguments.of("single-frame masked text", Role.SERVER,
                        "81 85 37fa213d 7f9f4d5158", List.of("text:" + hello)),
                Arguments.of("fragmented unmasked text", Role.CLIENT,
                        "01 03 48656c 80 02 6c6f", List.of("text:" + hello)),
                Arguments.of("unmasked ping", Role.CLIENT,
                        "89 05 48656c6c6f", List.of("ping:" + hello)),
                Arguments.of("masked pong", Role.SERVER,
                        "8a 85 37fa213d 7f9f4d5158", List.of("pong:" + hello)),
                Arguments.of("256 bytes binary, 16-bit length", Role.CLIENT,
                        "82 7E 0100" + b256, List.of("binary:" + b256)),
                Arguments.of("64 KiB binary, 64-bit length", Role.CLIENT,
                        "82 7F 0000000000010000" + "00".repeat(65536),
                        List.of("binary:" + "00".repeat(65536))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfcExamples")
    void decodesRfcExampleWhole(String name, Role role, String wire, List<String> expected) throws Exception {
        Recorder rec = new Recorder();
        new FrameDecoder(role, DecoderLimits.DEFAULT, rec).decode(Hex.buffer(wire));
        assertThat(rec.events).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfcExamples")
    void decodesRfcExampleSplitAtEveryBoundary(String name, Role role, String wire, List<String> expected)
            throws Exception {
        byte[] bytes = Hex.bytes(wire);
        // Every single cut for the small examples; for the 64 KiB one, cuts through the header
        // and the first and last payload bytes (every cut would be quadratic in the payload).
        int step = bytes.length > 1000 ? 997 : 1;
        for (int cut = 0; cut <= bytes.length; cut = cut < 20 || cut > bytes.length - 20 ? cut + 1 : cut + step) {
            Recorder rec = new Recorder();
            FrameDecoder decoder = new FrameDecoder(role, DecoderLimits.DEFAULT, rec);
            byte[] copy = bytes.clone();
            decoder.decode(ByteBuffer.wrap(copy, 0, cut));
            decoder.decode(ByteBuffer.wrap(copy, cut, copy.length - cut));
            assertThat(rec.events).as("split at %d", cut).containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfcExamples")
    void decodesRfcExampleOneByteAtATime(String name, Role role, String wire, List<String> expected)
            throws Exception {
        byte[] bytes = Hex.bytes(wire);
        Recorder rec = new Recorder();
        FrameDecoder decoder = new FrameDecoder(role, DecoderLimits.DEFAULT, rec);
        for (int i = 0; i < bytes.length; i++) {
            decoder.decode(ByteBuffer.wrap(bytes, i, 1));
        }
        assertThat(rec.events).containsExactlyElementsOf(expected);
    }

    @Test
    void aMessagesSizeIsToldAtItsStartOnlyWhenItsFirstFrameIsFinal() throws Exception {
        Recorder rec = new Recorder();
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, rec);
        // A final 256-byte frame split across reads (not whole in one: the start comes alone),
        // then a fragmented message, whose first frame says nothing of the rest.
        byte[] single = Hex.bytes("82 7E 0100" + "00".repeat(256));
        decoder.decode(ByteBuffer.wrap(single, 0, 10));
        decoder.decode(ByteBuffer.wrap(single, 10, single.length - 10));
        decoder.decode(Hex.buffer("01 03 48656c 80 02 6c6f"));
        assertThat(rec.toldSizes).containsExactly(256L, -1L);
        assertThat(rec.events).hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfcExamples")
    void decodesManyFramesFromOneRead(String name, Role role, String wire, List<String> expected)
            throws Exception {
        String three = wire + wire + wire;
        Recorder rec = new Recorder();
        new FrameDecoder(role, DecoderLimits.DEFAULT, rec).decode(Hex.buffer(three));
        assertThat(rec.events).hasSize(3 * expected.size());
        assertThat(rec.events.subList(0, expected.size())).containsExactlyElementsOf(expected);
    }

    @Test
    void keepsMessageWhenControlFramesArriveBetweenFragments() throws Exception {
        // "Hel", ping "x", pong "", "lo": section 5.4 lets control frames interleave.
        Recorder rec = new Recorder();
        new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, rec)
                .decode(Hex.buffer("01 03 48656c 89 01 78 8a 00 80 02 6c6f"));
        assertThat(rec.events).containsExactly("ping:78", "pong:", "text:48656c6c6f");
    }

    @Test
    void controlFramesSplitAcrossReadsAndWholeOnesEachKeepTheirOwnPayload() throws Exception {
        // A split ping is gathered in the decoder's buffer, a whole one is handed on where it lies:
        // neither may see the other's bytes, nor an empty one a stale payload.
        byte[] wire = Hex.bytes("89 03 616263 89 02 7879 8a 00 89 01 7a");
        Recorder rec = new Recorder();
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, rec);
        decoder.decode(ByteBuffer.wrap(wire, 0, 3));   // ping "abc", split after "a"
        decoder.decode(ByteBuffer.wrap(wire, 3, 10));  // its rest, ping "xy" and pong "" whole, ping "z"'s header
        decoder.decode(ByteBuffer.wrap(wire, 13, 1));  // and its payload
        assertThat(rec.events).containsExactly("ping:616263", "ping:7879", "pong:", "ping:7a");
    }

    @Test
    void reportsCloseCodeAndReason() throws Exception {
        Recorder rec = new Recorder();
        new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, rec).decode(Hex.buffer("88 05 03e8 627965"));
        assertThat(rec.events).containsExactly("close:1000:bye");
    }

    @Test
    void reportsEmptyCloseAsNoStatus() throws Exception {
        Recorder rec = new Recorder();
        new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, rec).decode(Hex.buffer("88 00"));
        assertThat(rec.events).containsExactly("close:1005:");
    }

    @Test
    void deliversEmptyMessagesAndEmptyFragments() throws Exception {
        Recorder rec = new Recorder();
        new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, rec)
                .decode(Hex.buffer("81 00 02 00 00 00 80 00"));
        assertThat(rec.events).containsExactly("text:", "binary:");
    }

    @Test
    void allowsRsvBitsThatAnExtensionDefines() throws Exception {
        Recorder rec = new Recorder();
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, rec);
        decoder.allowRsv(0x4);
        decoder.decode(Hex.buffer("c2 01 7f"));
        assertThat(rec.events).containsExactly("binary:7f");
    }

    /** The parser's fast path (a frame whole in the buffer) and the state machine (the same
     * bytes one at a time) report the same events and fail with the same error. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void framesWholeOrByteByByteGiveTheSameEventsAndErrors(String wire) {
        Recorder whole = new Recorder();
        String wholeError = decodeOrError(new FrameDecoder(Role.CLIENT, SMALL, whole),
                List.of(Hex.buffer(wire)));
        Recorder bytes = new Recorder();
        ByteBuffer all = Hex.buffer(wire);
        List<ByteBuffer> singles = new java.util.ArrayList<>();
        while (all.hasRemaining()) {
            singles.add(ByteBuffer.wrap(new byte[] {all.get()}));
        }
        String bytesError = decodeOrError(new FrameDecoder(Role.CLIENT, SMALL, bytes), singles);
        assertThat(whole.events).containsExactlyElementsOf(bytes.events);
        assertThat(wholeError).isEqualTo(bytesError);
    }

    /** Limits small enough that frames in the 16- and 64-bit forms can exceed them. */
    private static final DecoderLimits SMALL = new DecoderLimits(70_000, 140_000);

    static Stream<String> frames() {
        String e9 = "c3a9".repeat(64);  // 128 bytes of text, in the 16-bit form
        return Stream.of("82 00", "81 00 81 02 c3a9", "81 02 c328", "81 01 c3", "81 85 37fa213d 7f9f4d5158",
                "c1 01 41", "01 01 41 81 01 42", "88 02 03e8 81 01 41", "80 01 41", "8b 00",
                "02 01 41 89 00 80 01 42",
                // 16- and 64-bit lengths (section 5.2): whole, text, bad text, not minimal, top bit, limits
                "82 7e 0080 " + "ab".repeat(128) + " 81 01 41",
                "81 7e 0080 " + e9, "81 7e 0080 " + e9.substring(0, 252) + "c328", "81 7e 0080 " + e9.substring(0, 254) + "c3",
                "82 7e 007d " + "00".repeat(125), "82 7f 0000000000000080 " + "00".repeat(128),
                "82 7f 8000000000000000", "82 7f 0000000000010000 " + "5a".repeat(65536),
                "82 7f 0000000000011171 " + "5a".repeat(70_001), "82 fe 0080 37fa213d " + "00".repeat(128),
                "c2 7e 0080 " + "00".repeat(128), "02 7e 0080 " + "00".repeat(128) + " 80 7e 0080 " + "00".repeat(128));
    }

    private static String decodeOrError(FrameDecoder decoder, List<ByteBuffer> reads) {
        try {
            for (ByteBuffer read : reads) {
                decoder.decode(read);
            }
            return "none";
        } catch (ProtocolException e) {
            return e.getMessage();
        }
    }
}
