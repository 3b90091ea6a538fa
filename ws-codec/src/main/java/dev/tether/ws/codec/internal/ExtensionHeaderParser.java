package dev.tether.ws.codec.internal;

import dev.tether.ws.codec.handshake.ExtensionSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a {@code Sec-WebSocket-Extensions} value, RFC 6455 section 9.1:
 *
 * <pre>
 *   extension-list = 1#extension
 *   extension      = extension-token *( ";" extension-param )
 *   extension-param = token [ "=" (token | quoted-string) ]
 * </pre>
 *
 * with optional whitespace around the separators (the implied LWS of RFC 2616 section 2.1,
 * which section 9.1's ABNF inherits) and empty list elements skipped (RFC 7230 section 7).
 * One instance per value, owned by the calling thread.
 */
public final class ExtensionHeaderParser {
    private final String text;
    /** Index of the next character to read; owned by the calling thread. */
    private int pos;

    private ExtensionHeaderParser(String text) {
        this.text = text;
    }

    /** @throws IllegalArgumentException saying where and why the value is malformed */
    public static List<ExtensionSpec> parse(String headerValue) {
        return new ExtensionHeaderParser(headerValue).list();
    }

    private List<ExtensionSpec> list() {
        List<ExtensionSpec> out = new ArrayList<>();
        while (true) {
            skipOws();
            if (pos == text.length()) {
                return out;
            }
            if (text.charAt(pos) == ',') {
                pos++;
                continue;
            }
            out.add(extension());
            skipOws();
            if (pos < text.length() && text.charAt(pos) != ',') {
                throw fail("expected ';' or ','");
            }
        }
    }

    private ExtensionSpec extension() {
        String name = token("an extension name");
        Map<String, String> params = new LinkedHashMap<>();
        skipOws();
        while (pos < text.length() && text.charAt(pos) == ';') {
            pos++;
            skipOws();
            String param = token("a parameter name");
            skipOws();
            String value = "";
            if (pos < text.length() && text.charAt(pos) == '=') {
                pos++;
                skipOws();
                value = pos < text.length() && text.charAt(pos) == '"' ? quoted() : token("a parameter value");
                skipOws();
            }
            // RFC 7692 section 7.1 and its like make a repeated parameter an error; a map
            // could not represent it anyway.
            if (params.putIfAbsent(param, value) != null) {
                throw fail("parameter " + param + " repeated in extension " + name);
            }
        }
        return new ExtensionSpec(name, params);
    }

    private String token(String what) {
        int start = pos;
        while (pos < text.length() && HttpSyntax.isTokenChar(text.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw fail("expected " + what);
        }
        return text.substring(start, pos);
    }

    /** {@code quoted-string}, RFC 7230 section 3.2.6; section 9.1 requires the unescaped
     * value to be a token. */
    private String quoted() {
        int start = pos++;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos == text.length()) {
                pos = start;
                throw fail("unterminated quoted string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                if (pos == text.length()) {
                    throw fail("unterminated quoted string");
                }
                c = text.charAt(pos++);
            }
            value.append(c);
        }
        if (!HttpSyntax.isToken(value.toString())) {
            pos = start;
            throw fail("quoted value " + HttpSyntax.quote(value.toString())
                    + " is not a token (RFC 6455 section 9.1)");
        }
        return value.toString();
    }

    private void skipOws() {
        while (pos < text.length() && HttpSyntax.isOws(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException fail(String why) {
        return new IllegalArgumentException(why + " at index " + pos + " of " + HttpSyntax.quote(text));
    }
}
