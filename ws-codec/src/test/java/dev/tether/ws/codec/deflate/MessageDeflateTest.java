package dev.tether.ws.codec.deflate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tether.ws.codec.DecoderLimits;
import dev.tether.ws.codec.FrameDecoder;
import dev.tether.ws.codec.FrameWriter;
import dev.tether.ws.codec.MessageHandler;
import dev.tether.ws.codec.Opcodes;
import dev.tether.ws.codec.ProtocolException;
import dev.tether.ws.codec.Role;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Compression and decompression of messages, through the frame codec, as RFC 7692 section 7.2 says. */
class MessageDeflateTest {

    /** Collects whole messages. */
    static class Messages implements MessageHandler {
        final List<byte[]> got = new ArrayList<>();
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();

        @Override public void onMessageStart(int opcode) { current.reset(); }
        @Override public void onMessageData(ByteBuffer chunk) {
            byte[] a = new byte[chunk.remaining()];
            chunk.get(a);
            current.writeBytes(a);
        }
        @Override public void onMessageEnd() { got.add(current.toByteArray()); }
        @Override public void onPing(ByteBuffer payload) { }
        @Override public void onPong(ByteBuffer payload) { }
        @Override public void onClose(int code, String reason) { }
    }

    /** Writes a compressed message as {@code fragments} frames, RSV1 on the first only. */
    private static void writeCompressed(MessageDeflater deflater, ByteBuffer wire, int opcode, byte[] data, int fragments) {
        FrameWriter writer = new FrameWriter(Role.SERVER);
        writer.allowRsv(4);
        int step = Math.max(1, data.length / fragments);
        int off = 0;
        for (int f = 0; f < fragments; f++) {
            boolean last = f == fragments - 1;
            int end = last ? data.length : Math.min(data.length, off + step);
            ByteBuffer compressed = deflater.deflate(ByteBuffer.wrap(data, off, end - off), last);
            writer.writeFrame(wire, last, f == 0 ? 4 : 0, f == 0 ? opcode : Opcodes.CONTINUATION, compressed);
            off = end;
        }
    }

    @ParameterizedTest(name = "window {0}, no context takeover {1}")
    @CsvSource({"15, false", "15, true", "9, false", "9, true", "8, true"})
    void messagesRoundTripForEveryWindowAndContextMode(int windowBits, boolean noContext) throws Exception {
        Random random = new Random(windowBits);
        MessageDeflater deflater = new MessageDeflater(windowBits, noContext, Deflater.DEFAULT_COMPRESSION);
        Messages messages = new Messages();
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, messages);
        decoder.enableDeflate(new MessageInflater(noContext, DecoderLimits.DEFAULT.maxMessageSize()));
        List<byte[]> sent = new ArrayList<>();
        ByteBuffer wire = ByteBuffer.allocate(16 << 20);
        for (int i = 0; i < 40; i++) {
            int size = new int[] {0, 1, 16, 125, 4096, 70_000, 300_000}[i % 7];
            byte[] data = i % 2 == 0 ? ("repetitive text " + i + " ").repeat(size / 18 + 1).substring(0, size)
                    .getBytes(StandardCharsets.UTF_8) : randomBytes(random, size);
            sent.add(data);
            writeCompressed(deflater, wire, i % 2 == 0 ? Opcodes.TEXT : Opcodes.BINARY, data, 1 + i % 4);
        }
        decoder.decode(wire.flip());
        assertThat(messages.got).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertThat(messages.got.get(i)).as("message %d", i).isEqualTo(sent.get(i));
        }
        deflater.end();
    }

    @Test
    void repetitiveTextActuallyShrinks() {
        MessageDeflater deflater = new MessageDeflater(15, false, Deflater.DEFAULT_COMPRESSION);
        byte[] text = "hello websocket ".repeat(1000).getBytes(StandardCharsets.UTF_8);
        assertThat(deflater.deflate(ByteBuffer.wrap(text), true).remaining()).isLessThan(text.length / 20);
        deflater.end();
    }

    @Test
    void rfcExampleHelloInflates() throws Exception {
        // RFC 7692 section 7.2.3.1: "Hello" compressed is c1 07 f2 48 cd c9 c9 07 00.
        Messages messages = new Messages();
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, messages);
        decoder.enableDeflate(new MessageInflater(false, 1 << 20));
        decoder.decode(ByteBuffer.wrap(HexFormat.of().parseHex("c107f248cdc9c90700")));
        // Section 7.2.3.2: the same, split in two fragments.
        decoder.decode(ByteBuffer.wrap(HexFormat.of().parseHex("4103f248cd" + "8004c9c90700")));
        assertThat(messages.got).extracting(b -> new String(b, StandardCharsets.UTF_8)).containsExactly("Hello", "Hello");
    }

    @ParameterizedTest
    @CsvSource({"false,whole", "true,whole", "false,bytewise", "true,bytewise"})
    void aFinalDeflateBlockEndsTheStreamAndTheNextMessageStartsANewOne(boolean noContext, String feed) throws Exception {
        // RFC 7692 section 7.2.3.3: "Hello" in a block with BFINAL set, then one byte (an empty
        // block's header) so the tail can be appended as for any message. Then "Hello" the usual
        // way (7.2.3.1), which must inflate on a new stream however the bytes arrive.
        byte[] wire = HexFormat.of().parseHex("c108f348cdc9c9070000" + "c107f248cdc9c90700");
        Messages messages = new Messages();
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, messages);
        decoder.enableDeflate(new MessageInflater(noContext, 1 << 20));
        if (feed.equals("whole")) {
            decoder.decode(ByteBuffer.wrap(wire));
        } else {
            for (byte b : wire) {
                decoder.decode(ByteBuffer.wrap(new byte[] {b}));
            }
        }
        assertThat(messages.got).extracting(b -> new String(b, StandardCharsets.UTF_8)).containsExactly("Hello", "Hello");
    }

    @Test
    void theLimitIsCrossedAtTheSameByteHoweverTheInputIsSplit() throws Exception {
        // 100 KiB of zeros, compressed, against a 64 KiB limit, then fed whole and in 16-byte
        // reads: the same 1009 both ways, after exactly the limit's worth of bytes went on.
        MessageDeflater deflater = new MessageDeflater(15, false, 6);
        ByteBuffer compressed = deflater.deflate(ByteBuffer.wrap(new byte[100 * 1024]), true);
        byte[] input = new byte[compressed.remaining()];
        compressed.get(input);
        deflater.end();
        for (int piece : new int[] {input.length, 16, 1}) {
            MessageInflater inflater = new MessageInflater(false, 64 * 1024);
            long[] delivered = {0};
            ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> {
                for (int at = 0; at < input.length; at += piece) {
                    inflater.inflate(ByteBuffer.wrap(input, at, Math.min(piece, input.length - at)),
                            chunk -> delivered[0] += chunk.remaining());
                }
                inflater.finish(chunk -> delivered[0] += chunk.remaining());
            });
            assertThat(e).as("pieces of %d", piece).isNotNull();
            assertThat(e.closeCode()).isEqualTo(1009);
            assertThat(delivered[0]).isEqualTo(64 * 1024);
            inflater.end();
        }
    }

    @Test
    void rsv1OnAContinuationOrAControlFrameIsAProtocolError() {
        for (String wire : new String[] {"4103f248cd" + "c004c9c90700", "c900"}) {
            FrameDecoder decoder = new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, new Messages());
            decoder.enableDeflate(new MessageInflater(false, 1 << 20));
            ProtocolException e = catchThrowableOfType(ProtocolException.class,
                    () -> decoder.decode(ByteBuffer.wrap(HexFormat.of().parseHex(wire))));
            assertThat(e.closeCode()).as(wire).isEqualTo(1002);
            assertThat(e).hasMessageContaining("RSV1");
        }
    }

    @Test
    void inflatedTextThatIsNotUtf8Is1007AndCorruptDataIs1007() {
        MessageDeflater deflater = new MessageDeflater(15, false, Deflater.DEFAULT_COMPRESSION);
        ByteBuffer wire = ByteBuffer.allocate(1024);
        writeCompressed(deflater, wire, Opcodes.TEXT, new byte[] {(byte) 0xC0, (byte) 0xAF}, 1);
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, new Messages());
        decoder.enableDeflate(new MessageInflater(false, 1 << 20));
        assertThat(catchThrowableOfType(ProtocolException.class, () -> decoder.decode(wire.flip())).closeCode())
                .isEqualTo(1007);
        FrameDecoder other = new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, new Messages());
        other.enableDeflate(new MessageInflater(false, 1 << 20));
        assertThat(catchThrowableOfType(ProtocolException.class,
                () -> other.decode(ByteBuffer.wrap(HexFormat.of().parseHex("c203ffffff")))).closeCode()).isEqualTo(1007);
    }

    @Test
    void decompressionBombIsStoppedWith1009WhileTheHeapStaysSmall() throws Exception {
        // 1 GiB of zeros compresses to about 1 MiB; the limit is 64 MiB.
        Deflater bombMaker = new Deflater(Deflater.BEST_COMPRESSION, true);
        ByteBuffer compressed = ByteBuffer.allocate(4 << 20);
        byte[] zeros = new byte[1 << 20];
        for (int i = 0; i < 1024; i++) {
            bombMaker.setInput(zeros);
            while (!bombMaker.needsInput()) {
                bombMaker.deflate(compressed, Deflater.NO_FLUSH);
            }
        }
        bombMaker.deflate(compressed, Deflater.SYNC_FLUSH);
        bombMaker.end();
        compressed.flip();
        ByteBuffer wire = ByteBuffer.allocate(compressed.remaining() + 16);
        FrameWriter writer = new FrameWriter(Role.SERVER);
        writer.allowRsv(4);
        writer.writeFrame(wire, true, 4, Opcodes.BINARY, compressed);
        wire.flip();

        long[] delivered = {0};
        MessageHandler counting = new Messages() {
            @Override public void onMessageData(ByteBuffer chunk) { delivered[0] += chunk.remaining(); chunk.position(chunk.limit()); }
        };
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, counting);
        decoder.enableDeflate(new MessageInflater(false, DecoderLimits.DEFAULT.maxMessageSize()));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> decoder.decode(wire));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(e.closeCode()).isEqualTo(1009);
        assertThat(delivered[0]).isLessThanOrEqualTo(DecoderLimits.DEFAULT.maxMessageSize());
        System.out.printf("decompression bomb of %d compressed bytes: stopped after %d inflated bytes, %d bytes allocated%n",
                compressed.limit(), delivered[0], allocated);
        assertThat(allocated).as("bytes allocated while inflating the bomb").isLessThan(1 << 20);
    }

    private static byte[] randomBytes(Random random, int size) {
        byte[] a = new byte[size];
        random.nextBytes(a);
        return a;
    }
}
