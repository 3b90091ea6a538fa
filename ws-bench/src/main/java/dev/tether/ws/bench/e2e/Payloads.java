package dev.tether.ws.bench.e2e;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * The messages of the end-to-end rows: random binary (64 B, 1 MiB), and JSON-like text of an
 * exact UTF-8 size, valid UTF-8 with a few non-ASCII characters (so that every stack's UTF-8
 * check leaves its ASCII fast path), from a fixed seed. Text messages come in a set of
 * {@value #VARIANTS} that differ in their figures, sent in turn: compression with context
 * takeover then sees realistic repetition, not one message over and over.
 */
enum Payloads {
    BIN64(64, false),
    BIN1M(1 << 20, false),
    TEXT256(256, true),
    TEXT1K(1024, true);

    static final int VARIANTS = Quotes.VARIANTS;

    final int size;
    final boolean text;
    private final byte[] bytes;
    private final String[] texts;

    Payloads(int size, boolean text) {
        this.size = size;
        this.text = text;
        Random random = new Random(size);
        if (text) {
            bytes = null;
            texts = new String[Quotes.VARIANTS];
            for (int i = 0; i < texts.length; i++) {
                texts[i] = json(random, size);
            }
        } else {
            bytes = new byte[size];
            random.nextBytes(bytes);
            texts = null;
        }
    }

    /** The binary message (shared: the stacks mask into their own buffers). */
    byte[] bytes() {
        return bytes;
    }

    /** Text message {@code i}, in turn among the variants. */
    String text(int i) {
        return texts[i % texts.length];
    }

    /** Sends message {@code i} of this payload. */
    void send(Client c, int i) throws Exception {
        if (text) {
            c.sendText(text(i));
        } else {
            c.send(bytes);
        }
    }

    /** Constants the enum's constructor uses (an enum's own statics are not set yet when it runs). */
    private static final class Quotes {
        static final int VARIANTS = 64;
        static final String[] SYMBOLS = {"AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "TSLA", "META", "ORCL"};
        static final String[] VENUES = {"XNAS", "XNYS", "BATS", "ARCX"};
        static final String PAD = "abcdefghijklmnopqrstuvwxyz0123456789";
    }

    /**
     * Quotes as a trading feed might send them, {@code {"q":[{...},{...}],"pad":"..."}}, as many
     * as fit, padded to exactly {@code size} bytes of UTF-8.
     */
    static String json(Random random, int size) {
        StringBuilder s = new StringBuilder("{\"q\":[");
        String end = "],\"pad\":\"";
        for (int n = 0; ; n++) {
            String quote = String.format(Locale.ROOT,
                    "%s{\"sym\":\"%s\",\"px\":%.2f,\"qty\":%d,\"side\":\"%s\",\"venue\":\"%s\",\"ts\":%d,"
                            + "\"cur\":\"€\",\"note\":\"café\"}",
                    n == 0 ? "" : ",", Quotes.SYMBOLS[random.nextInt(Quotes.SYMBOLS.length)], 50 + random.nextInt(50_000) / 100.0,
                    100 * (1 + random.nextInt(50)), random.nextBoolean() ? "buy" : "sell",
                    Quotes.VENUES[random.nextInt(Quotes.VENUES.length)], 1_700_000_000_000L + random.nextInt(1_000_000));
            if (utf8(s) + utf8(quote) + utf8(end) + 2 > size) {
                if (n == 0) {
                    throw new IllegalArgumentException("a quote does not fit in " + size + " bytes");
                }
                break;
            }
            s.append(quote);
        }
        s.append(end);
        while (utf8(s) + 2 < size) {
            s.append(Quotes.PAD.charAt(random.nextInt(Quotes.PAD.length())));
        }
        s.append("\"}");
        if (utf8(s) != size) {
            throw new IllegalStateException("JSON of " + utf8(s) + " bytes, not " + size);
        }
        return s.toString();
    }

    private static int utf8(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
