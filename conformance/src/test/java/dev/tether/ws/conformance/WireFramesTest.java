package dev.tether.ws.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.codec.FrameParser;
import dev.tether.ws.codec.FrameSink;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The peer's raw headers, read back by the codec's parser. */
class WireFramesTest {

    private record Header(boolean fin, int rsv, int opcode, boolean masked, long length) {
    }

    private static Header parse(byte[] header) throws Exception {
        List<Header> seen = new ArrayList<>();
        new FrameParser().parse(ByteBuffer.wrap(header), new FrameSink() {
            @Override
            public void onFrameHeader(boolean fin, int rsv, int opcode, boolean masked, long length) {
                seen.add(new Header(fin, rsv, opcode, masked, length));
            }

            @Override
            public void onFramePayload(ByteBuffer chunk) {
            }

            @Override
            public void onFrameEnd() {
            }
        });
        return seen.get(0);
    }

    @Test
    void lengthsUseTheShortestForm() throws Exception {
        for (long len : new long[] {0, 125, 126, 65535, 65536, 16L << 20}) {
            byte[] h = WireFrames.header(true, 0, 2, len, null);
            assertThat(h.length).isEqualTo(len <= 125 ? 2 : len <= 65535 ? 4 : 10);
            assertThat(parse(h)).isEqualTo(new Header(true, 0, 2, false, len));
        }
    }

    @Test
    void anyBitsAndOpcodesGoOnTheWire() throws Exception {
        assertThat(parse(WireFrames.header(false, 7, 0xB, 3, null))).isEqualTo(new Header(false, 7, 0xB, false, 3));
        byte[] masked = WireFrames.header(true, 0, 1, 5, 0x01020304);
        assertThat(masked).endsWith(1, 2, 3, 4);
        assertThat(parse(masked).masked()).isTrue();
    }

    @Test
    void closeBodiesAreTakenAsGiven() {
        assertThat(WireFrames.closeBody(null, Slice.EMPTY).length()).isZero();
        assertThat(WireFrames.closeBody(null, Slice.utf8("a")).toHex()).isEqualTo("61");
        assertThat(WireFrames.closeBody(65535, Slice.EMPTY).toHex()).isEqualTo("ffff");
        assertThat(WireFrames.closeBody(1000, Slice.utf8("ok")).toHex()).isEqualTo("03e86f6b");
    }
}
