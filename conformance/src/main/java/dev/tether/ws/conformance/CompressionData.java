package dev.tether.ws.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.Deflater;

/**
 * The five payload sources of categories 12 and 13, in the suite's order (12.1 to 12.5; 13.x use
 * the first). The suite reads five files (a JSON document, the 512x512 "Lena" bitmap, Goethe's
 * Faust I from Project Gutenberg, an HTML page and a PDF paper); those are not ours to copy, so
 * each is a stand-in of the same kind, the same size and the same type (text or binary),
 * generated from a fixed seed: the same bytes on every run and every machine.
 *
 * <ul>
 *   <li>JSON, text, 194056 bytes: records with repeated keys, numbers and strings, some of them
 *       in Greek, Cyrillic, CJK and emoji (two to four UTF-8 bytes per character);</li>
 *   <li>bitmap, binary, 263222 bytes: a BMP header, a grey palette and 512x512 8-bit pixels of
 *       smooth gradients with noise, the layout of lena512.bmp;</li>
 *   <li>German verse, binary, 222218 bytes: speakers, lines and stage directions from a German
 *       word list, UTF-8 umlauts included;</li>
 *   <li>HTML, text, 263647 bytes: nested markup, attributes, entities and mixed-language text;</li>
 *   <li>PDF, binary, 1042328 bytes: objects whose streams are already deflated or random (as
 *       images are), so that most of it does not compress again.</li>
 * </ul>
 *
 * Messages are windows onto a source, taken one after another and wrapping at its end, as the
 * suite takes them: for text sources the window is counted in characters (code points), so
 * every message is valid UTF-8 while its byte length may exceed the nominal size.
 */
final class CompressionData {
    /** One source: its bytes laid out twice, so that every window is one contiguous slice. */
    static final class Source {
        private final String name;
        private final boolean binary;
        private final int size;
        private final byte[] twice;
        /** Text only: byte offset in {@code twice} of each code point, plus one past the end. */
        private final int[] offsets;
        /** Units (bytes, or code points for text) in one copy of the source. */
        private final int units;

        private Source(String name, boolean binary, byte[] bytes) {
            this.name = name;
            this.binary = binary;
            this.size = bytes.length;
            this.twice = new byte[bytes.length * 2];
            System.arraycopy(bytes, 0, twice, 0, bytes.length);
            System.arraycopy(bytes, 0, twice, bytes.length, bytes.length);
            if (binary) {
                offsets = null;
                units = bytes.length;
            } else {
                String s = new String(bytes, StandardCharsets.UTF_8);
                int n = s.codePointCount(0, s.length());
                offsets = new int[2 * n + 1];
                int at = 0;
                int i = 0;
                for (int copy = 0; copy < 2; copy++) {
                    for (int c = 0; c < s.length(); ) {
                        int cp = s.codePointAt(c);
                        offsets[i++] = at;
                        at += utf8Length(cp);
                        c += Character.charCount(cp);
                    }
                }
                offsets[i] = at;
                units = n;
            }
        }

        String name() {
            return name;
        }

        boolean binary() {
            return binary;
        }

        /** Bytes in the source. */
        int size() {
            return size;
        }

        /** Units in the source: bytes, or characters for text. */
        int units() {
            return units;
        }

        /**
         * Message {@code index} (0-based) of a case whose messages are {@code length} units
         * long: the window after the previous message's, wrapping round.
         */
        Slice message(int index, int length) {
            if (length > units) {
                throw new IllegalArgumentException(length + " is longer than " + name + " (" + units + ")");
            }
            int start = (int) ((long) index * length % units);
            if (binary) {
                return new Slice(twice, start, length);
            }
            int from = offsets[start];
            return new Slice(twice, from, offsets[start + length] - from);
        }

        private static int utf8Length(int cp) {
            return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        }
    }

    private CompressionData() {
    }

    // ---- the generators ------------------------------------------------------------------------

    private static final String[] NAMES = {
        "Jürgen Müller", "Zoë Ångström", "Σωκράτης Παππάς", "Анна Смирнова", "山田太郎", "José Núñez",
        "Chloé Dubois", "Øyvind Løvås", "Łukasz Wójcik", "محمد علي", "Ada Lovelace", "Grace Hopper",
    };
    private static final String[] CITIES = {
        "Köln", "München", "Zürich", "Αθήνα", "Москва", "東京", "São Paulo", "Kraków", "Reykjavík", "Berlin",
    };
    private static final String[] TAGS = {
        "alpha", "beta", "gamma", "delta", "release", "nightly", "ünïcödé", "日本", "🙂", "🚀", "data", "json",
    };

    /** A JSON array of records, cut to at most {@code bytes} bytes at a character boundary. */
    private static byte[] json(int bytes) {
        SplittableRandom r = new SplittableRandom(0x12_01L);
        StringBuilder s = new StringBuilder(bytes + 1024);
        s.append("[\n");
        for (int id = 1, size = 0; size < bytes; id++) {
            int mark = s.length();
            String name = NAMES[r.nextInt(NAMES.length)];
            s.append("  {\"id\": ").append(id)
                    .append(", \"name\": \"").append(name).append('"')
                    .append(", \"email\": \"user").append(r.nextInt(100_000)).append("@example.org\"")
                    .append(", \"score\": ").append(r.nextInt(100_000) / 100.0)
                    .append(", \"active\": ").append(r.nextBoolean())
                    .append(", \"address\": {\"city\": \"").append(CITIES[r.nextInt(CITIES.length)])
                    .append("\", \"zip\": \"").append(10_000 + r.nextInt(89_999)).append("\"}")
                    .append(", \"tags\": [");
            int tags = 1 + r.nextInt(4);
            for (int t = 0; t < tags; t++) {
                s.append(t == 0 ? "" : ", ").append('"').append(TAGS[r.nextInt(TAGS.length)]).append('"');
            }
            s.append("], \"history\": [");
            int points = r.nextInt(6);
            for (int p = 0; p < points; p++) {
                s.append(p == 0 ? "" : ", ").append(r.nextInt(1_000_000));
            }
            s.append("], \"note\": \"").append(words(r, GERMAN, 3 + r.nextInt(10))).append("\"},\n");
            size += utf8Size(s, mark);
        }
        return cut(s.toString(), bytes);
    }

    /** lena512.bmp's layout: file and info headers, a 256-entry grey palette, 512x512 pixels. */
    private static byte[] bitmap() {
        int side = 512;
        int pixelsAt = 14 + 40 + 256 * 4;
        byte[] b = new byte[pixelsAt + side * side];
        b[0] = 'B';
        b[1] = 'M';
        le32(b, 2, b.length);
        le32(b, 10, pixelsAt);
        le32(b, 14, 40);
        le32(b, 18, side);
        le32(b, 22, side);
        b[26] = 1;
        b[28] = 8;
        le32(b, 34, side * side);
        le32(b, 46, 256);
        for (int i = 0; i < 256; i++) {
            int p = 54 + 4 * i;
            b[p] = b[p + 1] = b[p + 2] = (byte) i;
        }
        SplittableRandom r = new SplittableRandom(0x12_02L);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double v = 120 + 55 * Math.sin(x / 37.0) * Math.cos(y / 29.0) + 35 * Math.sin((x + 2 * y) / 71.0)
                        + 25 * Math.cos(Math.hypot(x - 260, y - 240) / 19.0) + r.nextInt(13) - 6;
                b[pixelsAt + y * side + x] = (byte) Math.max(0, Math.min(255, (int) v));
            }
        }
        return b;
    }

    private static final String[] GERMAN = {
        "und", "der", "die", "das", "ich", "nicht", "mit", "mir", "sich", "dem", "den", "ein", "zu", "ist",
        "so", "was", "wie", "auf", "Welt", "Geist", "Herz", "Nacht", "Himmel", "Erde", "Leben", "Tag",
        "Wissen", "Natur", "Gott", "Seele", "Liebe", "Brust", "Träume", "Ströme", "Gefühl", "Größe", "müssen",
        "können", "schön", "Blüte", "Mädchen", "Flügel", "Glück", "Tür", "Bücher", "Kräfte", "dürfen", "süß",
        "heiß", "Fuß", "weiß", "Straße", "doch", "noch", "mehr", "hier", "dort", "ach", "oh", "wohl", "gar",
    };
    private static final String[] SPEAKERS = {"FAUST.", "MEPHISTOPHELES.", "WAGNER.", "MARGARETE.", "MARTHE.", "CHOR."};

    /** Verse: a speaker, four to twelve lines, now and then a stage direction. */
    private static byte[] verse(int bytes) {
        SplittableRandom r = new SplittableRandom(0x12_03L);
        StringBuilder s = new StringBuilder(bytes + 1024);
        s.append("Faust: Der Tragödie erster Teil (a stand-in)\r\n\r\n");
        for (int size = 0; size < bytes; ) {
            int mark = s.length();
            s.append(SPEAKERS[r.nextInt(SPEAKERS.length)]).append("\r\n");
            int lines = 4 + r.nextInt(9);
            for (int l = 0; l < lines; l++) {
                String line = words(r, GERMAN, 4 + r.nextInt(6));
                s.append(Character.toUpperCase(line.charAt(0))).append(line, 1, line.length())
                        .append(",;.!?".charAt(r.nextInt(5))).append("\r\n");
            }
            if (r.nextInt(4) == 0) {
                s.append("\r\n(").append(words(r, GERMAN, 5 + r.nextInt(8))).append(".)\r\n");
            }
            s.append("\r\n");
            size += utf8Size(s, mark);
        }
        return cut(s.toString(), bytes);
    }

    /** An HTML page of sections, tables and lists with mixed-language text. */
    private static byte[] html(int bytes) {
        SplittableRandom r = new SplittableRandom(0x12_04L);
        StringBuilder s = new StringBuilder(bytes + 1024);
        s.append("<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Große Übersicht &amp; Daten</title>\n<style>td { padding: 2px; }</style>\n</head>\n<body>\n");
        for (int section = 1, size = 0; size < bytes; section++) {
            int mark = s.length();
            s.append("<div class=\"section\" id=\"s").append(section).append("\">\n<h2>")
                    .append(words(r, GERMAN, 3)).append(" &mdash; ").append(NAMES[r.nextInt(NAMES.length)]).append("</h2>\n");
            s.append("<p class=\"lead\">").append(words(r, GERMAN, 20 + r.nextInt(30))).append(" &laquo;")
                    .append(CITIES[r.nextInt(CITIES.length)]).append("&raquo;</p>\n");
            s.append("<table class=\"data\">\n");
            int rows = 2 + r.nextInt(6);
            for (int row = 0; row < rows; row++) {
                s.append("  <tr><td class=\"k\">").append(TAGS[r.nextInt(TAGS.length)]).append("</td><td class=\"v\">")
                        .append(r.nextInt(1_000_000)).append("</td><td><a href=\"/item/").append(r.nextInt(10_000))
                        .append("?lang=de&amp;ref=").append(section).append("\">").append(words(r, GERMAN, 2))
                        .append("</a></td></tr>\n");
            }
            s.append("</table>\n<ul>\n");
            int items = 1 + r.nextInt(5);
            for (int i = 0; i < items; i++) {
                s.append("  <li>").append(words(r, GERMAN, 4 + r.nextInt(8))).append("</li>\n");
            }
            s.append("</ul>\n</div>\n");
            size += utf8Size(s, mark);
        }
        return cut(s.toString(), bytes);
    }

    /** PDF objects: page content deflated, image streams random, a cross-reference table. */
    private static byte[] pdf(int bytes) {
        SplittableRandom r = new SplittableRandom(0x12_05L);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + 65_536);
        out.writeBytes("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n".getBytes(StandardCharsets.ISO_8859_1));
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        byte[] buf = new byte[256 * 1024];
        for (int obj = 1; out.size() < bytes; obj++) {
            byte[] stream;
            String filter;
            if (obj % 3 == 0) {
                stream = new byte[4_096 + r.nextInt(60_000)];
                for (int i = 0; i < stream.length; i++) {
                    stream[i] = (byte) r.nextInt(256);
                }
                filter = "/DCTDecode /Subtype /Image /Width 640 /Height 480";
            } else {
                StringBuilder ops = new StringBuilder();
                int lines = 50 + r.nextInt(400);
                for (int l = 0; l < lines; l++) {
                    ops.append("BT /F1 ").append(9 + r.nextInt(4)).append(" Tf ").append(r.nextInt(600)).append(' ')
                            .append(r.nextInt(800)).append(" Td (").append(words(r, GERMAN, 6)).append(") Tj ET\n");
                }
                deflater.reset();
                deflater.setInput(ops.toString().getBytes(StandardCharsets.UTF_8));
                deflater.finish();
                int n = 0;
                while (!deflater.finished()) {
                    n += deflater.deflate(buf, n, buf.length - n);
                }
                stream = Arrays.copyOf(buf, n);
                filter = "/FlateDecode";
            }
            out.writeBytes((obj + " 0 obj\n<< /Length " + stream.length + " /Filter " + filter + " >>\nstream\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(stream);
            out.writeBytes("\nendstream\nendobj\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        deflater.end();
        byte[] all = out.toByteArray();
        byte[] trailer = "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 >>\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = Arrays.copyOf(all, bytes);
        System.arraycopy(trailer, 0, b, bytes - trailer.length, trailer.length);
        return b;
    }

    private static String words(SplittableRandom r, String[] list, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : " ").append(list[r.nextInt(list.length)]);
        }
        return s.toString();
    }

    /** UTF-8 bytes of {@code s} from {@code from} on. */
    private static int utf8Size(CharSequence s, int from) {
        int n = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    /** The UTF-8 bytes of {@code s}, cut to exactly {@code bytes} at a character boundary
     * (padded with spaces when the cut falls inside a character). */
    private static byte[] cut(String s, int bytes) {
        byte[] all = s.getBytes(StandardCharsets.UTF_8);
        byte[] b = Arrays.copyOf(all, bytes);
        if (all.length > bytes) {
            int i = bytes;
            while (i > 0 && (all[i] & 0xC0) == 0x80) {
                i--;  // the cut fell inside a character: back off to its first byte
            }
            Arrays.fill(b, i, bytes, (byte) ' ');
        }
        return b;
    }

    private static void le32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    // ---- the sources, after the generators' tables (static initialisation order) -------------

    static final Source JSON = new Source("json", false, json(194_056));
    static final Source BITMAP = new Source("bitmap", true, bitmap());
    static final Source VERSE = new Source("verse", true, verse(222_218));
    static final Source HTML = new Source("html", false, html(263_647));
    static final Source PDF = new Source("pdf", true, pdf(1_042_328));

    /** 12.1 to 12.5, the suite's order. */
    static Source forSubcategory12(int j) {
        return switch (j) {
            case 1 -> JSON;
            case 2 -> BITMAP;
            case 3 -> VERSE;
            case 4 -> HTML;
            case 5 -> PDF;
            default -> throw new IllegalArgumentException("12." + j);
        };
    }
}
