package dev.tether.ws.conformance;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A read-only run of bytes inside an array: a payload the peer sends, or one it received.
 * Payloads of the large cases (9.x, up to 16 MiB) are prefixes of one shared array, so a
 * slice never copies; equality is by content, as Autobahn compares what it received with
 * what it expected.
 */
public record Slice(byte[] array, int offset, int length) {
    public static final Slice EMPTY = new Slice(new byte[0], 0, 0);

    public Slice {
        if (offset < 0 || length < 0 || offset + length > array.length) {
            throw new IndexOutOfBoundsException("slice " + offset + "+" + length + " of " + array.length);
        }
    }

    public static Slice of(byte[] bytes) {
        return new Slice(bytes, 0, bytes.length);
    }

    public static Slice utf8(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    public static Slice hex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    /** Bytes given as ints, for payloads written as {@code 0x00, 0xFF, ...}. */
    public static Slice bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return of(b);
    }

    public Slice sub(int from, int len) {
        if (from < 0 || len < 0 || from + len > length) {
            throw new IndexOutOfBoundsException("sub " + from + "+" + len + " of " + length);
        }
        return new Slice(array, offset + from, len);
    }

    public Slice concat(Slice other) {
        byte[] b = Arrays.copyOfRange(array, offset, offset + length + other.length);
        System.arraycopy(other.array, other.offset, b, length, other.length);
        return of(b);
    }

    public byte get(int i) {
        return array[offset + i];
    }

    public byte[] toArray() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    public String toHex() {
        return HexFormat.of().formatHex(array, offset, offset + length);
    }

    /**
     * A short human-readable form for reports: the text when the bytes are printable ASCII,
     * else hex; long payloads are cut, with their length.
     */
    public String preview(int maxBytes) {
        int n = Math.min(length, maxBytes);
        boolean printable = true;
        for (int i = 0; i < n && printable; i++) {
            int b = array[offset + i] & 0xFF;
            printable = b >= 0x20 && b < 0x7F;
        }
        String shown = printable ? new String(array, offset, n, StandardCharsets.US_ASCII)
                : "0x" + HexFormat.of().formatHex(array, offset, offset + n);
        return n < length ? shown + "... (" + length + " bytes)" : shown;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Slice s
                && Arrays.equals(array, offset, offset + length, s.array, s.offset, s.offset + s.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = 31 * h + array[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return preview(32);
    }
}
