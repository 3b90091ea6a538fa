package dev.tether.ws.codec.handshake;

import dev.tether.ws.codec.internal.HttpSyntax;
import dev.tether.ws.codec.internal.WebSocketKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server's side of the opening handshake, RFC 6455 section 4.2: checks a client's request
 * (section 4.2.1) and writes the answer (section 4.2.2), or an error response.
 *
 * <pre>{@code
 * HttpRequestHead head = ...; // from HttpHeadParser.forRequests()
 * try {
 *     ServerHandshake handshake = ServerHandshake.validate(head);
 *     channel.write(handshake.acceptResponse(handshake.selectSubprotocol(List.of("chat")), List.of()));
 * } catch (HandshakeException e) {
 *     channel.write(ServerHandshake.errorResponse(e));
 * }
 * }</pre>
 *
 * Immutable.
 */
public final class ServerHandshake {
    private static final String VERSION = "13";

    private final HttpRequestHead request;
    private final String key;
    private final List<String> offeredSubprotocols;
    private final List<ExtensionSpec> offeredExtensions;

    private ServerHandshake(HttpRequestHead request, String key, List<String> offeredSubprotocols,
                            List<ExtensionSpec> offeredExtensions) {
        this.request = request;
        this.key = key;
        this.offeredSubprotocols = offeredSubprotocols;
        this.offeredExtensions = offeredExtensions;
    }

    /**
     * Checks a request against RFC 6455 section 4.2.1.
     *
     * @throws HandshakeException carrying the status to answer with: 426 with
     *     {@code Sec-WebSocket-Version: 13} for a missing or other version (section 4.4), 400
     *     for everything else
     */
    public static ServerHandshake validate(HttpRequestHead request) throws HandshakeException {
        HttpHeaders headers = request.headers();
        if (!request.method().equals("GET")) {
            throw badRequest("expected method GET, got " + request.method());
        }
        if (!request.version().equals("HTTP/1.1")) {
            throw badRequest("expected HTTP/1.1, got " + request.version());
        }
        // RFC 7230 section 5.4: a request without exactly one Host is answered with 400.
        int hosts = headers.all("Host").size();
        if (hosts != 1) {
            throw badRequest(hosts == 0 ? "missing Host header" : "Host header appears " + hosts + " times");
        }
        if (!headers.hasToken("Upgrade", "websocket")) {
            throw badRequest(headers.contains("Upgrade")
                    ? "Upgrade header " + joined(headers, "Upgrade") + " lacks websocket"
                    : "missing Upgrade header");
        }
        if (!headers.hasToken("Connection", "upgrade")) {
            throw badRequest(headers.contains("Connection")
                    ? "Connection header " + joined(headers, "Connection") + " lacks the upgrade token"
                    : "missing Connection header");
        }
        // Checked before the key: a client of an older draft sends no Sec-WebSocket-Key, and
        // 426 tells it which version to speak (RFC 6455 section 4.4).
        List<String> versions = headers.all("Sec-WebSocket-Version");
        if (versions.size() != 1 || !versions.get(0).equals(VERSION)) {
            throw new HandshakeException(versions.isEmpty() ? "missing Sec-WebSocket-Version header"
                    : "unsupported Sec-WebSocket-Version " + joined(headers, "Sec-WebSocket-Version")
                    + ", expected 13", 426, new HttpHeaders().add("Sec-WebSocket-Version", VERSION));
        }
        List<String> keys = headers.all("Sec-WebSocket-Key");
        if (keys.size() != 1) {
            throw badRequest(keys.isEmpty() ? "missing Sec-WebSocket-Key header"
                    : "Sec-WebSocket-Key header appears " + keys.size() + " times");
        }
        if (!WebSocketKeys.isValidKey(keys.get(0))) {
            throw badRequest("Sec-WebSocket-Key " + HttpSyntax.quote(keys.get(0))
                    + " is not the base64 form of 16 bytes (RFC 6455 section 4.2.1)");
        }
        List<String> subprotocols = headers.tokens("Sec-WebSocket-Protocol");
        for (String p : subprotocols) {
            if (!HttpSyntax.isToken(p)) {
                throw badRequest("Sec-WebSocket-Protocol offers " + HttpSyntax.quote(p) + ", which is not a token");
            }
        }
        List<ExtensionSpec> extensions = new ArrayList<>();
        for (String value : headers.all("Sec-WebSocket-Extensions")) {
            try {
                extensions.addAll(ExtensionSpec.parseHeader(value));
            } catch (IllegalArgumentException e) {
                throw badRequest("malformed Sec-WebSocket-Extensions: " + e.getMessage());
            }
        }
        return new ServerHandshake(request, keys.get(0), subprotocols, List.copyOf(extensions));
    }

    public HttpRequestHead request() {
        return request;
    }

    /** The resource name the client asked for, path and query (RFC 6455 section 3). */
    public String resource() {
        return request.target();
    }

    /** The {@code Origin} header, for a server that restricts which pages may connect
     * (RFC 6455 section 10.2). */
    public Optional<String> origin() {
        return request.headers().first("Origin");
    }

    /** The subprotocols the client offered, in its order of preference. */
    public List<String> offeredSubprotocols() {
        return offeredSubprotocols;
    }

    /** The extension offers, in the client's order of preference. */
    public List<ExtensionSpec> offeredExtensions() {
        return offeredExtensions;
    }

    /** The first of the server's {@code supported} subprotocols, in the server's order of
     * preference, that the client offered; empty when there is none in common. */
    public Optional<String> selectSubprotocol(List<String> supported) {
        return supported.stream().filter(offeredSubprotocols::contains).findFirst();
    }

    /** The 101 answer with neither subprotocol nor extensions. */
    public ByteBuffer acceptResponse() {
        return acceptResponse(Optional.empty(), List.of());
    }

    /**
     * The 101 answer of RFC 6455 section 4.2.2 item 5.
     *
     * @param subprotocol the one chosen, which the client must have offered
     * @param extensions  the accepted extensions with their response parameters, in the order
     *                    they apply; each must be named in an offer
     * @throws IllegalArgumentException if the subprotocol or an extension was not offered
     */
    public ByteBuffer acceptResponse(Optional<String> subprotocol, List<ExtensionSpec> extensions) {
        HttpHeaders headers = new HttpHeaders()
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Accept", WebSocketKeys.accept(key));
        if (subprotocol.isPresent()) {
            if (!offeredSubprotocols.contains(subprotocol.get())) {
                throw new IllegalArgumentException("subprotocol " + subprotocol.get() + " was not offered");
            }
            headers.add("Sec-WebSocket-Protocol", subprotocol.get());
        }
        for (ExtensionSpec e : extensions) {
            if (offeredExtensions.stream().noneMatch(offer -> offer.name().equals(e.name()))) {
                throw new IllegalArgumentException("extension " + e.name() + " was not offered");
            }
        }
        if (!extensions.isEmpty()) {
            headers.add("Sec-WebSocket-Extensions", ExtensionSpec.toHeaderValue(extensions));
        }
        return ByteBuffer.wrap(HeadWriter.write("HTTP/1.1 101 Switching Protocols", headers, new byte[0]));
    }

    /**
     * The error answer for a refused handshake: the exception's status (400 when it has none
     * this method knows) and headers, {@code Connection: close}, and the message as a short
     * text body so that whoever debugs the client sees why.
     */
    public static ByteBuffer errorResponse(HandshakeException failure) {
        int status = failure.statusCode();
        String reason = switch (status) {
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 426 -> "Upgrade Required";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            default -> {
                status = 400;
                yield "Bad Request";
            }
        };
        byte[] body = (failure.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
        HttpHeaders headers = new HttpHeaders();
        failure.headers().forEach(headers::add);
        headers.add("Content-Type", "text/plain; charset=utf-8")
                .add("Content-Length", Integer.toString(body.length))
                .add("Connection", "close");
        return ByteBuffer.wrap(HeadWriter.write("HTTP/1.1 " + status + " " + reason, headers, body));
    }

    private static HandshakeException badRequest(String message) {
        return new HandshakeException(message, 400, HttpHeaders.empty());
    }

    private static String joined(HttpHeaders headers, String name) {
        return HttpSyntax.quote(String.join(", ", headers.all(name)));
    }
}
