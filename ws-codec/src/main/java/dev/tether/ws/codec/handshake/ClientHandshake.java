package dev.tether.ws.codec.handshake;

import dev.tether.ws.codec.internal.AcceptDigest;
import dev.tether.ws.codec.internal.HttpSyntax;
import dev.tether.ws.codec.internal.WebSocketKeys;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The client's side of the opening handshake, RFC 6455 section 4.1: the request to send and
 * the checks the response must pass.
 *
 * <pre>{@code
 * ClientHandshake handshake = ClientHandshake.builder(URI.create("wss://example.com/chat"))
 *         .subprotocols(List.of("chat")).build();
 * channel.write(handshake.requestBytes());
 * HttpHeadParser<HttpResponseHead> parser = HttpHeadParser.forResponses();
 * // ... parser.parse(buffer) after each read until it returns the head, then:
 * HandshakeResult result = handshake.validate(head); // frames may follow in buffer
 * }</pre>
 *
 * <p>Each instance holds its own random key, so build one per connection attempt; a
 * {@link Builder} may be kept and built again to reconnect. Immutable once built.
 */
public final class ClientHandshake {
    /** Fields the handshake writes itself (section 4.1), and the two that would give the
     * request a body the server would wait for, or read the first frames as. */
    private static final Set<String> OWNED = Set.of("host", "upgrade", "connection",
            "sec-websocket-key", "sec-websocket-version", "sec-websocket-accept",
            "content-length", "transfer-encoding");
    private static final Map<String, String> VIA_OPTION = Map.of(
            "sec-websocket-protocol", "subprotocols(...)",
            "sec-websocket-extensions", "extensions(...)",
            "origin", "origin(...)");

    /** The key's 24 base64 characters as octets (also written into the request). */
    private final byte[] key;
    private final byte[] request;
    private final List<String> subprotocols;
    private final Set<String> offeredExtensions;

    private ClientHandshake(byte[] key, byte[] request, List<String> subprotocols,
                            Set<String> offeredExtensions) {
        this.key = key;
        this.request = request;
        this.subprotocols = subprotocols;
        this.offeredExtensions = offeredExtensions;
    }

    /**
     * A handshake for {@code host:port}. The host is a name, an IPv4 address or an IPv6
     * literal, with or without brackets.
     */
    public static Builder builder(String host, int port, boolean secure) {
        return new Builder(host, port, secure);
    }

    /** A handshake for a {@code ws://} or {@code wss://} URI (RFC 6455 section 3). */
    public static Builder builder(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("not a ws or wss URI: " + uri);
        }
        if (uri.isOpaque() || uri.getHost() == null) {
            throw new IllegalArgumentException("no host in " + uri);
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("WebSocket URIs have no fragment (RFC 6455 section 3): " + uri);
        }
        boolean secure = scheme.equals("wss");
        int port = uri.getPort() == -1 ? defaultPort(secure) : uri.getPort();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new Builder(uri.getHost(), port, secure).resource(uri.getRawPath() + query);
    }

    /** RFC 6455 section 3: 80 for ws, 443 for wss. */
    static int defaultPort(boolean secure) {
        return secure ? 443 : 80;
    }

    /**
     * {@code Sec-WebSocket-Accept} for a key: base64 of the SHA-1 of the key followed by the
     * GUID {@code 258EAFA5-E914-47DA-95CA-C5AB0DC85B11} (RFC 6455 section 4.2.2 item 5.4).
     */
    public static String acceptFor(String key) {
        return WebSocketKeys.accept(key);
    }

    /** This handshake's {@code Sec-WebSocket-Key}. */
    public String key() {
        return new String(key, StandardCharsets.US_ASCII);
    }

    /** The request to send, in a fresh read-only buffer on each call. */
    public ByteBuffer requestBytes() {
        return ByteBuffer.wrap(request).asReadOnlyBuffer();
    }

    /**
     * Checks the server's response as RFC 6455 section 4.1 requires of the client (its list
     * after "the client MUST validate the server's response").
     *
     * @throws HandshakeException saying which requirement failed; it carries the response's
     *     status code and headers
     */
    public HandshakeResult validate(HttpResponseHead response) throws HandshakeException {
        HttpHeaders headers = response.headers();
        if (response.statusCode() != 101) {
            throw failure(response, "expected 101 Switching Protocols, got " + response.status());
        }
        if (!response.version().equals("HTTP/1.1")) {
            throw failure(response, "expected HTTP/1.1, got " + response.version());
        }
        // The checks compare the response's octets: Strings are made only for an error message.
        if (headers.countTokens("Upgrade", null) == 0) {
            throw failure(response, "missing Upgrade header");
        }
        if (!headers.hasOnlyToken("Upgrade", "websocket")) {
            throw failure(response, "Upgrade header is " + joined(headers, "Upgrade") + ", expected websocket");
        }
        if (!headers.contains("Connection")) {
            throw failure(response, "missing Connection header");
        }
        if (!headers.hasToken("Connection", "upgrade")) {
            throw failure(response, "Connection header " + joined(headers, "Connection")
                    + " lacks the upgrade token");
        }
        int acceptField = single(response, "Sec-WebSocket-Accept");
        if (acceptField < 0) {
            throw failure(response, "missing Sec-WebSocket-Accept header");
        }
        AcceptDigest sha1 = AcceptDigest.take();
        boolean accepted = headers.valueEquals(acceptField, sha1.acceptFor(key));
        sha1.release();
        if (!accepted) {
            throw failure(response, "Sec-WebSocket-Accept is " + HttpSyntax.quote(headers.value(acceptField))
                    + ", expected \"" + acceptFor(key()) + "\"");
        }
        if (!headers.contains("Sec-WebSocket-Extensions") && !headers.contains("Sec-WebSocket-Protocol")) {
            return new HandshakeResult(Optional.empty(), List.of(), headers);
        }
        List<ExtensionSpec> extensions = new ArrayList<>();
        for (String value : headers.all("Sec-WebSocket-Extensions")) {
            try {
                extensions.addAll(ExtensionSpec.parseHeader(value));
            } catch (IllegalArgumentException e) {
                throw failure(response, "malformed Sec-WebSocket-Extensions: " + e.getMessage());
            }
        }
        for (ExtensionSpec extension : extensions) {
            if (!offeredExtensions.contains(extension.name())) {
                throw failure(response, "server accepted extension " + extension.name()
                        + ", which was not offered");
            }
        }
        int protocolField = single(response, "Sec-WebSocket-Protocol");
        Optional<String> subprotocol = protocolField < 0 ? Optional.empty() : Optional.of(headers.value(protocolField));
        if (subprotocol.isPresent() && !subprotocols.contains(subprotocol.get())) {
            throw failure(response, "server chose subprotocol " + HttpSyntax.quote(subprotocol.get())
                    + ", which was not offered" + (subprotocols.isEmpty() ? "" : " (offered " + subprotocols + ")"));
        }
        return new HandshakeResult(subprotocol, extensions, headers);
    }

    /** The index of the field when present once, -1 when absent; a repeated field is an error. */
    private static int single(HttpResponseHead response, String name) throws HandshakeException {
        int count = response.headers().count(name);
        if (count > 1) {
            throw failure(response, name + " header appears " + count + " times, expected at most once");
        }
        return response.headers().indexOf(name, 0);
    }

    private static String joined(HttpHeaders headers, String name) {
        return HttpSyntax.quote(String.join(", ", headers.all(name)));
    }

    private static HandshakeException failure(HttpResponseHead response, String message) {
        return new HandshakeException(message, response.statusCode(), response.headers());
    }

    /**
     * Options of a client handshake. Not thread-safe: owned by the thread configuring it. Every
     * setter checks its input at once and throws IllegalArgumentException naming what is
     * wrong, so nothing malformed can reach the wire.
     */
    public static final class Builder {
        /** The Host field's host, and its port, or -1 for the scheme's default (written without). */
        private final String hostLiteral;
        private final int hostPort;
        // All fields below are owned by the configuring thread.
        private String resource = "/";
        private String origin;
        private List<String> subprotocols = List.of();
        /** The Sec-WebSocket-Protocol value; null when none is offered. */
        private String subprotocolsValue;
        private List<String> extensions = List.of();
        /** The Sec-WebSocket-Extensions value; null when none is offered. */
        private String extensionsValue;
        private Set<String> extensionNames = Set.of();
        /** The caller's fields; null while there are none (a WebSocket keeps its builder). */
        private HttpHeaders headers;
        private SecureRandom random;

        private Builder(String host, int port, boolean secure) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.hostLiteral = hostLiteral(host);
            // RFC 7230 section 5.4 and RFC 6455 section 4.1 item 4: the port is given when it
            // is not the scheme's default.
            this.hostPort = port == defaultPort(secure) ? -1 : port;
        }

        /** The host as it appears in Host: IPv6 literals in brackets (RFC 3986 section 3.2.2). */
        private static String hostLiteral(String host) {
            boolean bracketed = host.length() > 2 && host.startsWith("[") && host.endsWith("]");
            String bare = bracketed ? host.substring(1, host.length() - 1) : host;
            boolean ipv6 = bare.indexOf(':') >= 0;
            boolean ok = !bare.isEmpty() && (ipv6 || !bracketed);
            for (int i = 0; ok && i < bare.length(); i++) {
                char c = bare.charAt(i);
                ok = c < 0x80 && (Character.isLetterOrDigit(c) || c == '.' || c == '%'
                        || (ipv6 ? c == ':' : c == '-' || c == '_' || c == '~'));
            }
            if (!ok) {
                throw new IllegalArgumentException("header Host: " + HttpSyntax.quote(host)
                        + " is not a host name or IP address");
            }
            return ipv6 ? "[" + bare + "]" : bare;
        }

        /**
         * The resource name, path and query, RFC 6455 section 3: "/" when empty, percent-encoded
         * ASCII without spaces, no fragment.
         */
        public Builder resource(String resource) {
            String r = resource.isEmpty() || resource.startsWith("?") ? "/" + resource : resource;
            if (!r.startsWith("/")) {
                throw new IllegalArgumentException("resource " + HttpSyntax.quote(resource) + " must start with /");
            }
            for (int i = 0; i < r.length(); i++) {
                char c = r.charAt(i);
                if (c == '#') {
                    throw new IllegalArgumentException("resource " + HttpSyntax.quote(resource)
                            + " has a fragment, which RFC 6455 section 3 forbids");
                }
                if (c <= 0x20 || c >= 0x7F) {
                    throw new IllegalArgumentException("resource " + HttpSyntax.quote(resource)
                            + " must be percent-encoded ASCII without spaces");
                }
            }
            this.resource = r;
            return this;
        }

        /** The {@code Origin} header, RFC 6455 section 4.1 item 8 (sent by browsers, optional
         * for other clients); null for none. */
        public Builder origin(String origin) {
            if (origin != null) {
                HttpHeaders.checkField("Origin", origin);
            }
            this.origin = origin;
            return this;
        }

        /** Subprotocols to offer in order of preference, RFC 6455 section 4.1 item 10: each a
         * token, all distinct. Replaces any earlier list. */
        public Builder subprotocols(List<String> subprotocols) {
            List<String> checked = List.copyOf(subprotocols);
            Set<String> seen = new HashSet<>();
            for (String p : checked) {
                if (!HttpSyntax.isToken(p)) {
                    throw new IllegalArgumentException("header Sec-WebSocket-Protocol: subprotocol "
                            + HttpSyntax.quote(p) + " is not a token (RFC 6455 section 4.1)");
                }
                if (!seen.add(p)) {
                    throw new IllegalArgumentException("header Sec-WebSocket-Protocol: subprotocol "
                            + p + " offered twice");
                }
            }
            this.subprotocols = checked;
            this.subprotocolsValue = checked.isEmpty() ? null : String.join(", ", checked);
            return this;
        }

        /**
         * Extension offers, RFC 6455 section 4.1 item 11, each a header value in the grammar of
         * section 9.1 such as {@code permessage-deflate; client_max_window_bits}, in order of
         * preference. Replaces any earlier list.
         */
        public Builder extensions(List<String> offers) {
            List<String> checked = List.copyOf(offers);
            Set<String> names = new HashSet<>();
            for (String offer : checked) {
                List<ExtensionSpec> parsed;
                try {
                    parsed = ExtensionSpec.parseHeader(offer);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("header Sec-WebSocket-Extensions: " + e.getMessage(), e);
                }
                if (parsed.isEmpty()) {
                    throw new IllegalArgumentException("header Sec-WebSocket-Extensions: empty offer");
                }
                parsed.forEach(spec -> names.add(spec.name()));
            }
            this.extensions = checked;
            this.extensionsValue = checked.isEmpty() ? null : String.join(", ", checked);
            this.extensionNames = Set.copyOf(names);
            return this;
        }

        /**
         * Adds a header field sent after the handshake's own, e.g. {@code Authorization}.
         *
         * @throws IllegalArgumentException naming the header if the name is not a token, the
         *     value holds a control character, or the field is one the handshake writes itself
         */
        public Builder header(String name, String value) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (OWNED.contains(lower)) {
                throw new IllegalArgumentException("header " + name + " is set by the handshake and cannot be given");
            }
            if (VIA_OPTION.containsKey(lower)) {
                throw new IllegalArgumentException("header " + name + " must be given through "
                        + VIA_OPTION.get(lower));
            }
            if (headers == null) {
                headers = new HttpHeaders();
            }
            headers.add(name, value);
            return this;
        }

        /** The source of keys; by default a shared SecureRandom. */
        public Builder random(SecureRandom random) {
            this.random = random;
            return this;
        }

        /** A handshake with a fresh key. */
        public ClientHandshake build() {
            byte[] key = WebSocketKeys.newKey(random == null ? DefaultRandom.INSTANCE : random);
            // Written twice over the same calls, first to count, so the request is one array of
            // exactly its size.
            HeadWriter request = HeadWriter.counting();
            writeRequest(request, key);
            writeRequest(request.allocate(), key);
            return new ClientHandshake(key, request.bytes(), subprotocols, extensionNames);
        }

        /** The request head, RFC 6455 section 4.1 items 1 to 12, then the caller's fields. */
        private void writeRequest(HeadWriter out, byte[] key) {
            out.text("GET ").text(resource).text(" HTTP/1.1").crlf()
                    .text("Host: ").text(hostLiteral);
            if (hostPort >= 0) {
                out.text(":").decimal(hostPort);
            }
            out.crlf()
                    .field("Upgrade", "websocket")
                    .field("Connection", "Upgrade")
                    .field("Sec-WebSocket-Key", key)
                    .field("Sec-WebSocket-Version", "13");
            if (origin != null) {
                out.field("Origin", origin);
            }
            if (subprotocolsValue != null) {
                out.field("Sec-WebSocket-Protocol", subprotocolsValue);
            }
            if (extensionsValue != null) {
                out.field("Sec-WebSocket-Extensions", extensionsValue);
            }
            if (headers != null) {
                out.fields(headers);
            }
            out.crlf();
        }
    }

    /** Created on first use: seeding a SecureRandom can take a moment. SecureRandom is
     * thread-safe, so one instance serves every builder. */
    private static final class DefaultRandom {
        static final SecureRandom INSTANCE = new SecureRandom();
    }
}
