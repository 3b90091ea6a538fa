package dev.tether.ws.conformance;

import java.util.HashMap;
import java.util.Map;

/**
 * Payloads made by repeating a short pattern, as Autobahn builds them ({@code "*" * n},
 * {@code payload_len = n} over {@code "BAsd7&jh23"}, ...). Each pattern is laid out once in an
 * array as long as the longest request so far, and every payload is a prefix of it: the
 * 16 MiB message of case 9.1.6 and the 64 KiB one of 9.1.1 share their bytes, and the
 * expected echo is the same slice the peer sent.
 */
public final class Payloads {
    private static final Map<Slice, byte[]> LAID_OUT = new HashMap<>();

    private Payloads() {
    }

    /** {@code pattern} repeated, then cut, to exactly {@code length} bytes. */
    public static synchronized Slice repeat(Slice pattern, int length) {
        if (pattern.length() == 0) {
            throw new IllegalArgumentException("empty pattern");
        }
        byte[] have = LAID_OUT.get(pattern);
        if (have == null || have.length < length) {
            byte[] grown = new byte[length];
            for (int i = 0; i < length; i += pattern.length()) {
                System.arraycopy(pattern.array(), pattern.offset(), grown, i, Math.min(pattern.length(), length - i));
            }
            LAID_OUT.put(pattern, grown);
            have = grown;
        }
        return new Slice(have, 0, length);
    }

    public static Slice repeat(String asciiPattern, int length) {
        return repeat(Slice.utf8(asciiPattern), length);
    }
}
