package dev.tether.ws.conformance;

import dev.tether.ws.codec.Utf8Validator;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte sequences of cases 6.5.x to 6.23.x: one family per subcategory, in the suite's
 * order, each sample valid or not as UTF-8 (RFC 3629). The families follow the sections of
 * Markus Kuhn's "UTF-8 decoder capability and stress test": correct text, boundary code
 * points, stray and missing continuation bytes, impossible bytes, overlong forms, surrogates,
 * plus non-characters and specials, which are valid UTF-8 and must be accepted.
 */
final class Utf8Samples {
    /** "κόσμε", Greek for "cosmos", the classic first line of the test file. */
    static final Slice KOSME = Slice.hex("cebae1bdb9cf83cebcceb5");

    record Sample(boolean valid, Slice bytes) {
    }

    record Family(String name, List<Sample> samples) {
    }

    private Utf8Samples() {
    }

    static List<Family> families() {
        List<Family> f = new ArrayList<>();
        f.add(family("Some valid UTF-8 sequences", true,
                "68656c6c6f24776f726c64",        // hello$world, U+0024
                "68656c6c6fc2a2776f726c64",      // U+00A2
                "68656c6c6fe282ac776f726c64",    // U+20AC
                "68656c6c6ff0a4ada2776f726c64",  // U+24B62
                KOSME.toHex()));
        f.add(prefixesOfKosme());
        f.add(family("First possible sequence of a certain length", true,
                "00", "c280", "e0a080", "f0908080"));
        f.add(family("First possible sequence length 5/6 (invalid codepoints)", false,
                "f888808080", "fc8480808080"));
        f.add(family("Last possible sequence of a certain length", true,
                "7f", "dfbf", "efbfbf", "f48fbfbf"));
        f.add(family("Last possible sequence length 4/5/6 (invalid codepoints)", false,
                "f7bfbfbf", "fbbfbfbfbf", "fdbfbfbfbfbf"));
        List<Sample> boundaries = new ArrayList<>(samples(true, "ed9fbf", "ee8080", "efbfbd", "f48fbfbf"));
        boundaries.add(new Sample(false, Slice.hex("f4908080")));  // U+110000, past the last code point
        f.add(new Family("Other boundary conditions", boundaries));
        f.add(unexpectedContinuations());
        f.add(lonelyStarts());
        f.add(family("Sequences with last continuation byte missing", false, LAST_BYTE_MISSING));
        f.add(family("Concatenation of incomplete sequences", false, String.join("", LAST_BYTE_MISSING)));
        f.add(family("Impossible bytes", false, "fe", "ff", "fefeffff"));
        f.add(family("Examples of an overlong ASCII character", false,
                "c0af", "e080af", "f08080af", "f8808080af", "fc80808080af"));
        f.add(family("Maximum overlong sequences", false,
                "c1bf", "e09fbf", "f08fbfbf", "f887bfbfbf", "fc83bfbfbfbf"));
        f.add(family("Overlong representation of the NUL character", false,
                "c080", "e08080", "f0808080", "f880808080", "fc8080808080"));
        f.add(family("Single UTF-16 surrogates", false, SURROGATES_HIGH[0], SURROGATES_HIGH[1],
                SURROGATES_HIGH[2], SURROGATES_HIGH[3], "edb080", "edbe80", "edbfbf"));
        f.add(pairedSurrogates());
        f.add(nonCharacters());
        f.add(family("Unicode specials (i.e. replacement char)", true,
                "efbfb9", "efbfba", "efbfbb", "efbfbc", "efbfbd", "efbfbe", "efbfbf"));
        return f;
    }

    /** A lead byte of each length with its last continuation byte missing: first the lowest
     * leads, then the highest. */
    private static final String[] LAST_BYTE_MISSING = {
        "c0", "e080", "f08080", "f8808080", "fc80808080",
        "df", "efbf", "f7bfbf", "fbbfbfbf", "fdbfbfbfbf"};

    private static final String[] SURROGATES_HIGH = {"eda080", "edadbf", "edae80", "edafbf"};

    /** Every prefix of "κόσμε": valid exactly when it ends on a character boundary. */
    private static Family prefixesOfKosme() {
        List<Sample> s = new ArrayList<>();
        for (int n = 1; n <= KOSME.length(); n++) {
            Slice prefix = KOSME.sub(0, n);
            s.add(new Sample(Utf8Validator.isValid(ByteBuffer.wrap(prefix.toArray())), prefix));
        }
        return new Family("All prefixes of a valid UTF-8 string that contains multi-byte code points", s);
    }

    /** Stray continuation bytes: short runs, then 0x80 to 0xBE in one string. */
    private static Family unexpectedContinuations() {
        List<Sample> s = new ArrayList<>(samples(false,
                "80", "bf", "80bf", "80bf80", "80bf80bf", "80bf80bf80", "80bf80bf80bf"));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int b = 0x80; b < 0xBF; b++) {
            all.write(b);
        }
        s.add(new Sample(false, Slice.of(all.toByteArray())));
        return new Family("Unexpected continuation bytes", s);
    }

    /** Each lead byte of a range followed by a space instead of its continuation bytes. */
    private static Family lonelyStarts() {
        int[][] ranges = {{0xC0, 0xDF}, {0xE0, 0xEF}, {0xF0, 0xF7}, {0xF8, 0xFB}, {0xFC, 0xFD}};
        List<Sample> s = new ArrayList<>();
        for (int[] r : ranges) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int b = r[0]; b < r[1]; b++) {
                out.write(b);
                out.write(0x20);
            }
            s.add(new Sample(false, Slice.of(out.toByteArray())));
        }
        return new Family("Lonely start characters", s);
    }

    /** A high surrogate followed by a low one, as UTF-8 of each: still invalid (RFC 3629 section 3). */
    private static Family pairedSurrogates() {
        List<Sample> s = new ArrayList<>();
        for (String high : SURROGATES_HIGH) {
            for (String low : new String[] {"edb080", "edbfbf"}) {
                s.add(new Sample(false, Slice.hex(high + low)));
            }
        }
        return new Family("Paired UTF-16 surrogates", s);
    }

    /** U+FFFE, U+FFFF and the last two code points of each supplementary plane: valid UTF-8. */
    private static Family nonCharacters() {
        List<Sample> s = new ArrayList<>(samples(true, "efbfbe", "efbfbf"));
        for (int lead = 0xF0; lead <= 0xF4; lead++) {
            for (int second : new int[] {0x8F, 0x9F, 0xAF, 0xBF}) {
                boolean pastMax = lead == 0xF4 && second != 0x8F;   // above U+10FFFF
                boolean overlong = lead == 0xF0 && second == 0x8F;  // below U+10000
                if (pastMax || overlong) {
                    continue;
                }
                for (int last : new int[] {0xBE, 0xBF}) {
                    s.add(new Sample(true, Slice.bytes(lead, second, 0xBF, last)));
                }
            }
        }
        return new Family("Non-character code points (valid UTF-8)", s);
    }

    private static Family family(String name, boolean valid, String... hex) {
        return new Family(name, samples(valid, hex));
    }

    private static List<Sample> samples(boolean valid, String... hex) {
        List<Sample> s = new ArrayList<>();
        for (String h : hex) {
            s.add(new Sample(valid, Slice.hex(h)));
        }
        return s;
    }
}
