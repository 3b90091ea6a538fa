package dev.tether.ws.codec.deflate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.Inflater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our own DEFLATE encoder for the smallest windows (RFC 1951): every shape of input comes back
 * byte for byte through the JDK's inflater, one stream across parts as permessage-deflate with
 * context takeover uses it (RFC 7692 section 7.2.1), each part ended by a sync flush. That the
 * back-references stay inside the window is checked by the conformance module's decoder.
 */
class WindowedEncoderTest {

    /** Inputs that reach each path: literals only, runs past 258, a long part, the empty part. */
    static byte[] input(String shape, SplittableRandom r) {
        return switch (shape) {
            case "random" -> bytes(r, 3000, 256);
            case "run" -> filled(20_000, (byte) 'a');
            case "fewSymbols" -> bytes(r, 5000, 3);
            case "oneSymbol" -> filled(1, (byte) 7);
            case "empty" -> new byte[0];
            case "periodic" -> periodic(40_000, 700);  // period past a 512-byte window
            default -> throw new IllegalArgumentException(shape);
        };
    }

    private static byte[] bytes(SplittableRandom r, int n, int alphabet) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(alphabet);
        }
        return b;
    }

    private static byte[] filled(int n, byte v) {
        byte[] b = new byte[n];
        Arrays.fill(b, v);
        return b;
    }

    private static byte[] periodic(int n, int period) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(period);
        for (int i = 0; i < period; i++) {
            b[i] = (byte) ('a' + r.nextInt(26));
        }
        for (int i = period; i < n; i++) {
            b[i] = b[i - period];
        }
        return b;
    }

    @ParameterizedTest(name = "window {0}, {1}")
    @CsvSource({"256,random", "256,run", "512,fewSymbols", "512,oneSymbol", "512,empty", "512,periodic",
                "512,random", "1024,periodic", "16384,periodic"})
    void everyPartInflatesBackToItsBytesAcrossOneStream(int window, String shape) throws Exception {
        WindowedEncoder encoder = new WindowedEncoder(window);
        Inflater inflater = new Inflater(true);
        SplittableRandom r = new SplittableRandom(window * 31L + shape.hashCode());
        // Several parts on one stream: the later ones refer back into the earlier ones.
        for (int part = 0; part < 6; part++) {
            byte[] in = input(shape, r);
            ByteBuffer out = encoder.encode(ByteBuffer.wrap(in));
            byte[] wire = new byte[out.remaining()];
            out.get(wire);
            assertThat(Arrays.copyOfRange(wire, wire.length - 4, wire.length))
                    .as("a sync flush ends the part").containsExactly(0, 0, 0xFF, 0xFF);
            assertThat(inflate(inflater, wire)).as("part %d", part).isEqualTo(in);
        }
        inflater.end();
    }

    @ParameterizedTest(name = "window {0}")
    @CsvSource({"256", "512"})
    void repetitiveInputShrinksAndForgettingTheHistoryStillRoundTrips(int window) throws Exception {
        WindowedEncoder encoder = new WindowedEncoder(window);
        byte[] in = periodic(10_000, 100);
        for (int part = 0; part < 3; part++) {
            Inflater fresh = new Inflater(true);  // a new stream for each part, as without context takeover
            ByteBuffer out = encoder.encode(ByteBuffer.wrap(in));
            byte[] wire = new byte[out.remaining()];
            out.get(wire);
            assertThat(wire.length).as("100-byte period, 10,000 bytes").isLessThan(400);
            assertThat(inflate(fresh, wire)).isEqualTo(in);
            fresh.end();
            encoder.forget();
        }
    }

    private static byte[] inflate(Inflater inflater, byte[] wire) throws Exception {
        inflater.setInput(wire);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        while (true) {
            int n = inflater.inflate(chunk);
            got.write(chunk, 0, n);
            if (n == 0 && inflater.needsInput()) {
                return got.toByteArray();
            }
        }
    }
}
