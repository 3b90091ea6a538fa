package dev.tether.ws.codec.handshake;

import dev.tether.ws.codec.internal.HttpSyntax;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The header fields of an HTTP/1.1 message: an ordered multimap whose names compare
 * case-insensitively (RFC 7230 section 3.2). Order and repetition are kept because both carry
 * meaning: a field may be sent several times, as a comma-separated list split over lines
 * (RFC 7230 section 3.2.2).
 *
 * <p>Fields are kept as the octets they are on the wire (ISO-8859-1, one octet per char, RFC
 * 7230 section 3.2.4) and turned into Strings only when asked for: a parsed response keeps the
 * bytes it was read from, and the handshake's own checks compare octets, so a handshake costs
 * one small array rather than two Strings per field.
 *
 * <p>{@code new HttpHeaders()} is mutable and owned by the thread that fills it; {@link #copyOf}
 * gives an immutable copy that is safe to share, and every header set handed out by this
 * package is such a copy (held in a final field of an immutable record, which publishes it).
 */
public final class HttpHeaders {
    private static final HttpHeaders EMPTY = copyOf(new HttpHeaders());
    /** Per field in {@link #bounds}: name start, name end, value start, value end. */
    private static final int NAME_START = 0;
    private static final int NAME_END = 1;
    private static final int VALUE_START = 2;
    private static final int VALUE_END = 3;
    private static final int INTS_PER_FIELD = 4;

    // Owned by the creating thread until frozen; a frozen instance never changes again.
    /** The octets the fields' names and values are ranges of (there may be gaps between). */
    private byte[] octets;
    private int octetCount;
    /** {@link #INTS_PER_FIELD} offsets into {@link #octets} per field, in order. */
    private int[] bounds;
    private int size;
    private boolean frozen;

    /** A new, empty, mutable header set. */
    public HttpHeaders() {
        this(new byte[0], 0, new int[0], 0, false);
    }

    private HttpHeaders(byte[] octets, int octetCount, int[] bounds, int size, boolean frozen) {
        this.octets = octets;
        this.octetCount = octetCount;
        this.bounds = bounds;
        this.size = size;
        this.frozen = frozen;
    }

    /**
     * An immutable set over octets a parser read and checked, without copying: the parser hands
     * both arrays over and never touches them again.
     */
    static HttpHeaders parsed(byte[] octets, int octetCount, int[] bounds, int size) {
        return new HttpHeaders(octets, octetCount, bounds, size, true);
    }

    /** An immutable copy; an instance that is already immutable is returned as is. */
    public static HttpHeaders copyOf(HttpHeaders headers) {
        return headers.frozen ? headers
                : new HttpHeaders(Arrays.copyOf(headers.octets, headers.octetCount), headers.octetCount,
                        Arrays.copyOf(headers.bounds, headers.size * INTS_PER_FIELD), headers.size, true);
    }

    /** The immutable empty header set. */
    public static HttpHeaders empty() {
        return EMPTY;
    }

    /**
     * Appends a field.
     *
     * @throws IllegalArgumentException naming the header if the name is not a token (RFC 7230
     *     section 3.2.6) or the value holds a control character other than HTAB, or a character
     *     above 0xFF; CR and LF in particular, which would let a value inject header lines
     * @throws UnsupportedOperationException if this instance is an immutable copy
     */
    public HttpHeaders add(String name, String value) {
        if (frozen) {
            throw new UnsupportedOperationException("immutable header set");
        }
        checkField(name, value);
        int needed = octetCount + name.length() + value.length();
        if (needed > octets.length) {
            octets = Arrays.copyOf(octets, Math.max(needed, octets.length * 2));
        }
        if ((size + 1) * INTS_PER_FIELD > bounds.length) {
            bounds = Arrays.copyOf(bounds, Math.max(INTS_PER_FIELD * 4, bounds.length * 2));
        }
        int at = size * INTS_PER_FIELD;
        bounds[at + NAME_START] = octetCount;
        octetCount = putLatin1(name, octets, octetCount);
        bounds[at + NAME_END] = octetCount;
        bounds[at + VALUE_START] = octetCount;
        octetCount = putLatin1(value, octets, octetCount);
        bounds[at + VALUE_END] = octetCount;
        size++;
        return this;
    }

    /** Writes each char of {@code s} (all at most 0xFF, checked) as its octet; the new end. */
    private static int putLatin1(String s, byte[] out, int at) {
        for (int i = 0; i < s.length(); i++) {
            out[at++] = (byte) s.charAt(i);
        }
        return at;
    }

    static void checkField(String name, String value) {
        if (!HttpSyntax.isToken(name)) {
            throw new IllegalArgumentException("header name " + HttpSyntax.quote(name)
                    + " is not a token (RFC 7230 section 3.2.6)");
        }
        int bad = HttpSyntax.firstInvalidValueChar(value);
        if (bad >= 0) {
            throw new IllegalArgumentException(String.format(
                    "header %s: value has forbidden character U+%04X at index %d",
                    name, (int) value.charAt(bad), bad));
        }
    }

    /** The first value of the named field. */
    public Optional<String> first(String name) {
        int field = indexOf(name, 0);
        return field < 0 ? Optional.empty() : Optional.of(value(field));
    }

    /** Every value of the named field, in order; empty if absent. */
    public List<String> all(String name) {
        List<String> found = new ArrayList<>(2);
        for (int field = indexOf(name, 0); field >= 0; field = indexOf(name, field + 1)) {
            found.add(value(field));
        }
        return List.copyOf(found);
    }

    /**
     * The comma-separated elements of every occurrence of the field, trimmed, with empty
     * elements dropped as RFC 7230 section 7 requires of recipients. For simple token lists
     * like {@code Connection: keep-alive, Upgrade}; quoted strings are not understood.
     */
    public List<String> tokens(String name) {
        List<String> found = new ArrayList<>();
        for (String value : all(name)) {
            for (String element : value.split(",", -1)) {
                String trimmed = HttpSyntax.trimOws(element);
                if (!trimmed.isEmpty()) {
                    found.add(trimmed);
                }
            }
        }
        return List.copyOf(found);
    }

    /** Whether {@link #tokens} of the field contain the token, ignoring ASCII case. */
    public boolean hasToken(String name, String token) {
        return countTokens(name, token) > 0;
    }

    /**
     * Whether {@link #tokens} of the field are exactly {@code token}, once, ignoring ASCII case;
     * compared on the octets, without making Strings.
     */
    boolean hasOnlyToken(String name, String token) {
        return countTokens(name, token) == 1 && countTokens(name, null) == 1;
    }

    /** How many of the field's tokens equal {@code token} (ignoring ASCII case), or all of them
     * when it is null. */
    int countTokens(String name, String token) {
        int count = 0;
        for (int field = indexOf(name, 0); field >= 0; field = indexOf(name, field + 1)) {
            int end = bounds[field * INTS_PER_FIELD + VALUE_END];
            int start = bounds[field * INTS_PER_FIELD + VALUE_START];
            while (start <= end) {
                int comma = start;
                while (comma < end && octets[comma] != ',') {
                    comma++;
                }
                int s = start;
                int e = comma;
                while (s < e && HttpSyntax.isOws(octets[s])) {
                    s++;
                }
                while (e > s && HttpSyntax.isOws(octets[e - 1])) {
                    e--;
                }
                if (e > s && (token == null || equalsIgnoreCase(s, e, token))) {
                    count++;
                }
                start = comma + 1;
            }
        }
        return count;
    }

    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /** The index of the first field at or after {@code from} with this name, or -1. */
    int indexOf(String name, int from) {
        for (int field = from; field < size; field++) {
            int at = field * INTS_PER_FIELD;
            if (equalsIgnoreCase(bounds[at + NAME_START], bounds[at + NAME_END], name)) {
                return field;
            }
        }
        return -1;
    }

    /** How many times the named field appears. */
    int count(String name) {
        int n = 0;
        for (int field = indexOf(name, 0); field >= 0; field = indexOf(name, field + 1)) {
            n++;
        }
        return n;
    }

    /** Whether the field's value is exactly these octets. */
    boolean valueEquals(int field, byte[] expected) {
        int at = field * INTS_PER_FIELD;
        return Arrays.equals(octets, bounds[at + VALUE_START], bounds[at + VALUE_END],
                expected, 0, expected.length);
    }

    String name(int field) {
        int at = field * INTS_PER_FIELD;
        return latin1(bounds[at + NAME_START], bounds[at + NAME_END]);
    }

    String value(int field) {
        int at = field * INTS_PER_FIELD;
        return latin1(bounds[at + VALUE_START], bounds[at + VALUE_END]);
    }

    private String latin1(int start, int end) {
        return new String(octets, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** Whether octets [start, end) spell {@code s}, ignoring ASCII case. */
    private boolean equalsIgnoreCase(int start, int end, String s) {
        if (end - start != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (lowerAscii(octets[start + i] & 0xFF) != lowerAscii(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int lowerAscii(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    /** The octets of the head's field lines: {@code name: value CRLF} each. */
    int wireLength() {
        int n = 0;
        for (int at = 0; at < size * INTS_PER_FIELD; at += INTS_PER_FIELD) {
            n += bounds[at + NAME_END] - bounds[at + NAME_START] + 2
                    + bounds[at + VALUE_END] - bounds[at + VALUE_START] + 2;
        }
        return n;
    }

    /** Writes the field lines ({@link #wireLength()} octets) at {@code pos}; the new end. */
    int writeTo(byte[] out, int pos) {
        for (int at = 0; at < size * INTS_PER_FIELD; at += INTS_PER_FIELD) {
            pos = copy(bounds[at + NAME_START], bounds[at + NAME_END], out, pos);
            out[pos++] = ':';
            out[pos++] = ' ';
            pos = copy(bounds[at + VALUE_START], bounds[at + VALUE_END], out, pos);
            out[pos++] = '\r';
            out[pos++] = '\n';
        }
        return pos;
    }

    private int copy(int start, int end, byte[] out, int pos) {
        System.arraycopy(octets, start, out, pos, end - start);
        return pos + end - start;
    }

    /** The distinct field names in order of first appearance, spelled as first seen. */
    public List<String> names() {
        Set<String> seen = new LinkedHashSet<>();
        List<String> distinct = new ArrayList<>();
        for (int field = 0; field < size; field++) {
            String n = name(field);
            if (seen.add(n.toLowerCase(Locale.ROOT))) {
                distinct.add(n);
            }
        }
        return List.copyOf(distinct);
    }

    /** Number of fields, counting each occurrence. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Each field in order, as sent. */
    public void forEach(BiConsumer<String, String> action) {
        for (int field = 0; field < size; field++) {
            action.accept(name(field), value(field));
        }
    }

    /** Equal when the same fields appear in the same order, names compared ignoring case. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HttpHeaders other) || other.size() != size()) {
            return false;
        }
        for (int field = 0; field < size; field++) {
            if (!other.name(field).equalsIgnoreCase(name(field)) || !other.value(field).equals(value(field))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int field = 0; field < size; field++) {
            h = 31 * (31 * h + name(field).toLowerCase(Locale.ROOT).hashCode()) + value(field).hashCode();
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        forEach((n, v) -> out.append(out.length() > 1 ? ", " : "").append(n).append(": ").append(v));
        return out.append('}').toString();
    }
}
