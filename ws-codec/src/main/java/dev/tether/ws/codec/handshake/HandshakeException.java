package dev.tether.ws.codec.handshake;

/**
 * An opening handshake that cannot complete (RFC 6455 section 4), with a message that says
 * precisely what was wrong.
 *
 * <p>On the client, {@link #statusCode()} and {@link #headers()} are those of the response
 * that was refused, so a caller can act on, say, a 401 or a redirect; they are -1 and empty
 * when no response head could be read. On the server they are the status and extra headers to
 * answer with (400, 426 with {@code Sec-WebSocket-Version: 13}, 431), see
 * {@link ServerHandshake#errorResponse}.
 */
public final class HandshakeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int statusCode;
    /** Immutable; transient because HttpHeaders is not serializable. */
    private final transient HttpHeaders headers;

    /** A failure with no status (no response head was read). */
    public HandshakeException(String message) {
        this(message, -1, HttpHeaders.empty());
    }

    public HandshakeException(String message, int statusCode, HttpHeaders headers) {
        super(message);
        this.statusCode = statusCode;
        this.headers = HttpHeaders.copyOf(headers);
    }

    /** The status received (client) or to send (server), or -1 when there is none. */
    public int statusCode() {
        return statusCode;
    }

    /** The headers received (client) or to add to the error response (server); never null. */
    public HttpHeaders headers() {
        return headers == null ? HttpHeaders.empty() : headers;
    }
}
