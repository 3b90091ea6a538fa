package dev.tether.ws.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.codec.deflate.MessageDeflater;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Compressing under a window smaller than zlib's (a server's {@code client_max_window_bits}
 * below 15, RFC 7692 section 7.1.2.2): the in-tree decoder, which refuses any back-reference
 * further than the agreed window, reads every message, whole and fragmented, with and without
 * context takeover; and the output uses back-references, so it is much smaller than literals
 * alone (Huffman-only, what Tether sent before).
 */
class SmallWindowDeflateTest {

    /** JSON-like messages as market data, chat and telemetry send them, 60 B to 4 KiB. */
    static List<byte[]> messages(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] syms = {"AAPL", "MSFT", "NVDA", "TSLA", "AMZN", "GOOG"};
        String[] venues = {"XNAS", "XNYS", "BATS", "IEXG"};
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder s = new StringBuilder("[");
            int records = 1 + r.nextInt(i % 10 == 0 ? 40 : 4);
            for (int k = 0; k < records; k++) {
                if (k > 0) {
                    s.append(',');
                }
                s.append("{\"id\":").append(100_000 + r.nextInt(900_000))
                        .append(",\"type\":\"").append(r.nextBoolean() ? "trade" : "quote")
                        .append("\",\"sym\":\"").append(syms[r.nextInt(syms.length)])
                        .append("\",\"px\":").append(100 + r.nextInt(400)).append('.').append(10 + r.nextInt(90))
                        .append(",\"qty\":").append(100 * (1 + r.nextInt(50)))
                        .append(",\"ts\":").append(1_733_212_345_000L + i * 37L + k)
                        .append(",\"venue\":\"").append(venues[r.nextInt(venues.length)])
                        .append("\",\"note\":\"").append(r.nextInt(5) == 0 ? "späte Meldung, 价格更新" : "ok")
                        .append("\"}");
            }
            out.add(s.append(']').toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    @ParameterizedTest(name = "window {0}, no context takeover {1}")
    @CsvSource({"8,false", "9,false", "10,false", "11,false", "12,false", "13,false", "14,false",
                "9,true", "12,true", "14,true"})
    void everyMessageStaysInsideTheWindowAndUsesBackReferences(int bits, boolean noContext) throws Exception {
        MessageDeflater deflater = new MessageDeflater(bits, noContext, Deflater.DEFAULT_COMPRESSION);
        DeflateCheck check = new DeflateCheck(bits, noContext);
        Deflater literalsOnly = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        literalsOnly.setStrategy(Deflater.HUFFMAN_ONLY);
        long compressed = 0;
        long huffman = 0;
        int n = 0;
        for (byte[] m : messages(bits * 31L + (noContext ? 1 : 0), 400)) {
            byte[] wire = n % 7 == 3 ? fragmented(deflater, m) : bytes(deflater.deflate(ByteBuffer.wrap(m), true));
            assertThat(check.message(wire, wire.length)).as("message %d", n).isEqualTo(m);
            compressed += wire.length;
            huffman += huffmanSize(literalsOnly, m, noContext);
            n++;
        }
        deflater.end();
        literalsOnly.end();
        System.out.printf("window %d, no context takeover %s: %d bytes, Huffman-only %d (%.2f)%n",
                bits, noContext, compressed, huffman, (double) compressed / huffman);
        // Literals alone leave JSON at ~0.6 of its size; matches within even 256 bytes do better.
        assertThat((double) compressed / huffman).as("size against literals only").isLessThan(bits <= 9 ? 0.9 : 0.75);
    }

    /**
     * What zlib itself makes of the corpus of {@link #everyMessageStaysInsideTheWindowAndUsesBackReferences}
     * (context takeover, seed {@code bits * 31}) with a real window of that size: Python's zlib
     * 1.2.13, {@code compressobj(6, DEFLATED, -bits, 8)}, a sync flush after each part (every
     * 7th message in three), 4 bytes of tail removed per message; indexed by bits - 9. The
     * script is {@code src/test/resources/zlib-window-sizes.py}.
     */
    private static final long[] ZLIB_SIZES = {62_619, 45_044, 40_541, 41_023, 37_706, 36_942, 36_726};

    /**
     * The size goal of issue 15: within 10% of zlib at the same window, 9 to 14 bits (at 9 bits
     * through Tether's own encoder, which reaches the whole window where zlib reaches 250
     * bytes; see ws-bench/NOTES.md). The in-tree decoder reads every message.
     */
    @ParameterizedTest(name = "window {0}")
    @CsvSource({"9", "10", "11", "12", "13", "14", "15"})
    void compressesWithinTenPercentOfZlibAtTheSameWindow(int bits) throws Exception {
        MessageDeflater deflater = new MessageDeflater(bits, false, Deflater.DEFAULT_COMPRESSION);
        DeflateCheck check = new DeflateCheck(bits, false);
        long compressed = 0;
        long raw = 0;
        int n = 0;
        for (byte[] m : messages(bits * 31L, 400)) {
            byte[] wire = n % 7 == 3 ? fragmented(deflater, m) : bytes(deflater.deflate(ByteBuffer.wrap(m), true));
            assertThat(check.message(wire, wire.length)).as("message %d", n).isEqualTo(m);
            compressed += wire.length;
            raw += m.length;
            n++;
        }
        deflater.end();
        String corpusDir = System.getProperty("tether.corpusDir");  // for the script beside ZLIB_SIZES
        if (corpusDir != null) {
            try (var out = new java.io.DataOutputStream(java.nio.file.Files.newOutputStream(
                    java.nio.file.Path.of(corpusDir, "corpus" + bits + ".bin")))) {
                for (byte[] m : messages(bits * 31L, 400)) {
                    out.writeInt(m.length);
                    out.write(m);
                }
            }
        }
        long zlib = ZLIB_SIZES[bits - 9];
        double ratio = (double) compressed / zlib;
        System.out.printf("window %d: %d bytes in, Tether %d, zlib at that window %d (%.3f of zlib)%n",
                bits, raw, compressed, zlib, ratio);
        assertThat(ratio).as("size against zlib at window %d", bits).isLessThanOrEqualTo(1.10);
    }

    /**
     * Inputs that stress the bound: periods just past the window (a match one byte too far would
     * be tempting), runs longer than a match, messages longer than the encoder's input pieces,
     * random bytes; each read back by the decoder that refuses any reference past the window.
     */
    @ParameterizedTest(name = "window {0}, no context takeover {1}")
    @CsvSource({"8,false", "9,false", "9,true"})
    void periodsJustPastTheWindowAndLongMessagesStayInside(int bits, boolean noContext) throws Exception {
        MessageDeflater deflater = new MessageDeflater(bits, noContext, Deflater.DEFAULT_COMPRESSION);
        DeflateCheck check = new DeflateCheck(bits, noContext);
        SplittableRandom r = new SplittableRandom(bits);
        int window = 1 << bits;
        for (int n = 0; n < 40; n++) {
            int period = window + 1 - n % 3;  // window + 1, window, window - 1
            byte[] m = new byte[n % 5 == 0 ? 20_000 : 1 + r.nextInt(3 * window)];
            for (int i = 0; i < m.length; i++) {
                m[i] = i < period ? (byte) r.nextInt(n % 4 == 0 ? 256 : 4) : m[i - period];
            }
            byte[] wire = n % 7 == 3 ? fragmented(deflater, m) : bytes(deflater.deflate(ByteBuffer.wrap(m), true));
            assertThat(check.message(wire, wire.length)).as("message %d", n).isEqualTo(m);
        }
        deflater.end();
    }

    /** A message sent in three fragments, each compressed on its own (section 6.1). */
    private static byte[] fragmented(MessageDeflater deflater, byte[] m) {
        int a = m.length / 3;
        int b = 2 * m.length / 3;
        ByteBuffer out = ByteBuffer.allocate(m.length * 2 + 64);
        out.put(deflater.deflate(ByteBuffer.wrap(m, 0, a), false));
        out.put(deflater.deflate(ByteBuffer.wrap(m, a, b - a), false));
        out.put(deflater.deflate(ByteBuffer.wrap(m, b, m.length - b), true));
        return bytes(out.flip());
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    private static int huffmanSize(Deflater d, byte[] m, boolean reset) {
        if (reset) {
            d.reset();
        }
        d.setInput(m);
        byte[] out = new byte[m.length * 2 + 64];
        return d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH) - 4;
    }
}
