package dev.tether.ws;

import java.io.IOException;

/**
 * The proxy refused to open the tunnel, or answered in a way that is not its protocol. The
 * message names the proxy, the server the tunnel was for, and what the proxy said: the HTTP
 * status line, or the SOCKS5 reply code by its RFC 1928 name.
 */
public final class ProxyException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Not serializable; the message names it. */
    private final transient WsProxy proxy;
    private final int code;

    /**
     * @param code the HTTP status, the SOCKS5 reply code (RFC 1928 section 6) or RFC 1929 status,
     *     or -1 when the proxy did not answer with one
     */
    public ProxyException(String message, WsProxy proxy, int code) {
        super(message);
        this.proxy = proxy;
        this.code = code;
    }

    /** The proxy that refused. */
    public WsProxy proxy() {
        return proxy;
    }

    /**
     * The HTTP status (407, 403, 502, ...), the SOCKS5 reply code (5 for "connection refused")
     * or authentication status, or -1 for an answer that had none (a malformed one, or none at all).
     */
    public int code() {
        return code;
    }
}
