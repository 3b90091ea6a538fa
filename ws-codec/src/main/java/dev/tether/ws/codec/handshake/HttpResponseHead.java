package dev.tether.ws.codec.handshake;

import java.util.Objects;

/**
 * The head of an HTTP/1.1 response, RFC 7230 section 3.1.2: status line and header fields.
 *
 * @param version      {@code HTTP/1.1} (or {@code HTTP/1.0}, from an old intermediary)
 * @param statusCode   the three-digit status code
 * @param reasonPhrase the reason phrase, possibly empty
 * @param headers      the header fields, an immutable copy
 */
public record HttpResponseHead(String version, int statusCode, String reasonPhrase,
                               HttpHeaders headers) {
    public HttpResponseHead {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(reasonPhrase, "reasonPhrase");
        headers = HttpHeaders.copyOf(headers);
    }

    /** "404 Not Found", or "404" when the reason phrase is empty, for messages. */
    public String status() {
        return reasonPhrase.isEmpty() ? Integer.toString(statusCode) : statusCode + " " + reasonPhrase;
    }
}
