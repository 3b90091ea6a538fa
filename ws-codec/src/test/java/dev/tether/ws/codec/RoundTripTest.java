package dev.tether.ws.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Writer to parser, for random messages (sizes across every length encoding, text and binary,
 * fragmented at random with control frames between fragments), fed in random splits. The seed
 * is printed in every assertion message so a failure can be replayed.
 */
class RoundTripTest {
    private static final int[] SIZES = {0, 1, 125, 126, 127, 65535, 65536, 65537};

    @ParameterizedTest
    @EnumSource(Role.class)
    void randomMessagesSurviveWriterToParserInAnySplit(Role writerRole) throws Exception {
        long seed = Long.getLong("tether.seed", new Random().nextLong());
        Random random = new Random(seed);
        Role readerRole = writerRole == Role.CLIENT ? Role.SERVER : Role.CLIENT;
        for (int round = 0; round < 30; round++) {
            FrameWriter writer = new FrameWriter(writerRole);
            List<byte[]> sent = new ArrayList<>();
            List<String> sentKinds = new ArrayList<>();
            ByteBuffer wire = ByteBuffer.allocate(8 << 20);
            int pings = 0;
            for (int m = 0; m < 1 + random.nextInt(8); m++) {
                boolean text = random.nextBoolean();
                int size = random.nextInt(3) == 0 ? SIZES[random.nextInt(SIZES.length)]
                        : random.nextInt(4) == 0 ? random.nextInt(1 << 20) : random.nextInt(300);
                byte[] payload = text ? randomText(random, size) : randomBytes(random, size);
                sent.add(payload);
                sentKinds.add(text ? "text" : "binary");
                int fragments = random.nextInt(3) == 0 ? 1 + random.nextInt(6) : 1;
                int offset = 0;
                for (int f = 0; f < fragments; f++) {
                    boolean last = f == fragments - 1;
                    int end = last ? payload.length : offset + random.nextInt(payload.length - offset + 1);
                    int opcode = f == 0 ? (text ? Opcodes.TEXT : Opcodes.BINARY) : Opcodes.CONTINUATION;
                    writer.writeFrame(wire, last, 0, opcode, ByteBuffer.wrap(payload, offset, end - offset));
                    offset = end;
                    if (!last && random.nextBoolean()) {
                        writer.writeFrame(wire, true, 0, Opcodes.PING, ByteBuffer.wrap(randomBytes(random, random.nextInt(126))));
                        pings++;
                    }
                }
            }
            wire.flip();

            Recorder rec = new Recorder();
            FrameDecoder decoder = new FrameDecoder(readerRole, DecoderLimits.DEFAULT, rec);
            while (wire.hasRemaining()) {
                int chunk = Math.min(wire.remaining(), random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 1 + random.nextInt(70_000));
                decoder.decode(wire.slice(wire.position(), chunk));
                wire.position(wire.position() + chunk);
            }

            String context = "seed " + seed + " (replay with -Dtether.seed=" + seed + "), round " + round;
            assertThat(rec.messages).as(context).hasSize(sent.size());
            for (int i = 0; i < sent.size(); i++) {
                assertThat(rec.messages.get(i)).as(context + ", message " + i).isEqualTo(sent.get(i));
            }
            assertThat(rec.events.stream().filter(e -> e.startsWith("ping:")).count()).as(context).isEqualTo(pings);
            assertThat(rec.events.stream().filter(e -> !e.startsWith("ping:")).map(e -> e.substring(0, e.indexOf(':'))))
                    .as(context).containsExactlyElementsOf(sentKinds);
            assertThat(decoder.betweenMessages()).as(context).isTrue();
        }
    }

    private static byte[] randomBytes(Random random, int size) {
        byte[] a = new byte[size];
        random.nextBytes(a);
        return a;
    }

    /** Well-formed UTF-8 of about {@code size} bytes, mixing 1- to 4-byte characters. */
    private static byte[] randomText(Random random, int size) {
        StringBuilder sb = new StringBuilder();
        int bytes = 0;
        while (bytes < size) {
            int cp = switch (random.nextInt(4)) {
                case 0 -> 0x20 + random.nextInt(0x5F);
                case 1 -> 0xA0 + random.nextInt(0x700);
                case 2 -> 0x4E00 + random.nextInt(0x5000);
                default -> 0x1F300 + random.nextInt(0x300);
            };
            sb.appendCodePoint(cp);
            bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
