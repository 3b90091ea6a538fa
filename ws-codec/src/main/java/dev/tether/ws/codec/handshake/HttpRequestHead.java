package dev.tether.ws.codec.handshake;

import java.util.Objects;

/**
 * The head of an HTTP/1.1 request, RFC 7230 section 3.1.1: request line and header fields.
 *
 * @param method  the method, e.g. {@code GET}
 * @param target  the request target as sent, e.g. {@code /chat?room=1}
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers the header fields, an immutable copy
 */
public record HttpRequestHead(String method, String target, String version, HttpHeaders headers) {
    public HttpRequestHead {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(version, "version");
        headers = HttpHeaders.copyOf(headers);
    }
}
