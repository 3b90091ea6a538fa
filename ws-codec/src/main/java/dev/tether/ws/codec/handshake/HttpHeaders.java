package dev.tether.ws.codec.handshake;

import dev.tether.ws.codec.internal.HttpSyntax;
import java.util.ArrayList;
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
 * <p>{@code new HttpHeaders()} is mutable and owned by the thread that fills it; {@link #copyOf}
 * gives an immutable copy that is safe to share, and every header set handed out by this
 * package is such a copy.
 */
public final class HttpHeaders {
    private static final HttpHeaders EMPTY = copyOf(new HttpHeaders());

    /** Names as given and their values, index for index. Owned by the creating thread until
     * {@link #copyOf} freezes a copy; a frozen instance holds unmodifiable lists. */
    private final List<String> names;
    private final List<String> values;
    private final boolean frozen;

    /** A new, empty, mutable header set. */
    public HttpHeaders() {
        this(new ArrayList<>(), new ArrayList<>(), false);
    }

    private HttpHeaders(List<String> names, List<String> values, boolean frozen) {
        this.names = names;
        this.values = values;
        this.frozen = frozen;
    }

    /** An immutable copy; an instance that is already immutable is returned as is. */
    public static HttpHeaders copyOf(HttpHeaders headers) {
        return headers.frozen ? headers
                : new HttpHeaders(List.copyOf(headers.names), List.copyOf(headers.values), true);
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
        names.add(name);
        values.add(value);
        return this;
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
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return Optional.of(values.get(i));
            }
        }
        return Optional.empty();
    }

    /** Every value of the named field, in order; empty if absent. */
    public List<String> all(String name) {
        List<String> found = new ArrayList<>(2);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                found.add(values.get(i));
            }
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
        for (String t : tokens(name)) {
            if (t.equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    public boolean contains(String name) {
        return first(name).isPresent();
    }

    /** The distinct field names in order of first appearance, spelled as first seen. */
    public List<String> names() {
        Set<String> seen = new LinkedHashSet<>();
        List<String> distinct = new ArrayList<>();
        for (String n : names) {
            if (seen.add(n.toLowerCase(Locale.ROOT))) {
                distinct.add(n);
            }
        }
        return List.copyOf(distinct);
    }

    /** Number of fields, counting each occurrence. */
    public int size() {
        return names.size();
    }

    public boolean isEmpty() {
        return names.isEmpty();
    }

    /** Each field in order, as sent. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < names.size(); i++) {
            action.accept(names.get(i), values.get(i));
        }
    }

    /** Equal when the same fields appear in the same order, names compared ignoring case. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HttpHeaders other) || other.size() != size()) {
            return false;
        }
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).equalsIgnoreCase(other.names.get(i))
                    || !values.get(i).equals(other.values.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < names.size(); i++) {
            h = 31 * (31 * h + names.get(i).toLowerCase(Locale.ROOT).hashCode())
                    + values.get(i).hashCode();
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
