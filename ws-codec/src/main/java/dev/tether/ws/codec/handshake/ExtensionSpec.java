package dev.tether.ws.codec.handshake;

import dev.tether.ws.codec.internal.ExtensionHeaderParser;
import dev.tether.ws.codec.internal.HttpSyntax;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One element of a {@code Sec-WebSocket-Extensions} header (RFC 6455 section 9.1): an extension
 * name and its parameters, e.g. {@code permessage-deflate; client_max_window_bits=10}.
 *
 * @param name       the extension token
 * @param parameters parameter names to values, in order, unmodifiable; a parameter given
 *                   without a value maps to the empty string, which cannot be confused with a
 *                   real value because section 9.1 requires values, quoted or not, to be tokens
 */
public record ExtensionSpec(String name, Map<String, String> parameters) {
    public ExtensionSpec {
        if (!HttpSyntax.isToken(name)) {
            throw new IllegalArgumentException("extension name " + HttpSyntax.quote(name) + " is not a token");
        }
        parameters.forEach((k, v) -> {
            if (!HttpSyntax.isToken(k) || !(v.isEmpty() || HttpSyntax.isToken(v))) {
                throw new IllegalArgumentException("extension " + name + ": parameter "
                        + HttpSyntax.quote(k) + "=" + HttpSyntax.quote(v) + " is not token[=token]");
            }
        });
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** An extension without parameters. */
    public static ExtensionSpec of(String name) {
        return new ExtensionSpec(name, Map.of());
    }

    /**
     * Parses one header value, which may hold several comma-separated extensions.
     *
     * @throws IllegalArgumentException saying where and why the value is malformed
     */
    public static List<ExtensionSpec> parseHeader(String headerValue) {
        return List.copyOf(ExtensionHeaderParser.parse(headerValue));
    }

    /** The header form, {@code name; param=value; flag}. */
    public String toHeaderValue() {
        StringBuilder out = new StringBuilder(name);
        parameters.forEach((k, v) -> out.append("; ").append(k).append(v.isEmpty() ? "" : "=" + v));
        return out.toString();
    }

    /** Several extensions as one header value, comma-separated. */
    public static String toHeaderValue(List<ExtensionSpec> extensions) {
        return extensions.stream().map(ExtensionSpec::toHeaderValue).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return toHeaderValue();
    }
}
