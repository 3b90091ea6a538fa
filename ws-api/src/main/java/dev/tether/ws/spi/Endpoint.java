package dev.tether.ws.spi;

import dev.tether.ws.Resolver;
import dev.tether.ws.TlsOptions;
import dev.tether.ws.WsProxy;
import java.time.Duration;

/**
 * Where and how to connect.
 *
 * @param host host name or IP literal (IPv6 without brackets)
 * @param port TCP port
 * @param secure true for {@code wss://}: wrap the connection in TLS with {@code tls}
 * @param tls TLS options when {@code secure}
 * @param timeoutNanos time left for name resolution, TCP and TLS together
 * @param writeTimeout longest a write may wait for the peer to take its bytes
 * @param resolver how {@code host} becomes addresses ({@link HostResolver})
 * @param abort called when the engine gives up on this connect (close or exit meanwhile):
 *     register what is opened with it, and release the connection when returning it
 * @param proxy the proxy to tunnel through, already chosen for this connect (the builder's, or
 *     the {@link java.net.ProxySelector}'s); {@link WsProxy#NONE} (or null) to connect directly. The
 *     deadline covers the proxy hop; {@code host} is the server's, for TLS as without a proxy
 * @param trace mark the end of name resolution, TCP and TLS on it, for the connect event
 * @param socket options and local address for every socket this connect opens
 */
public record Endpoint(String host, int port, boolean secure, TlsOptions tls, long timeoutNanos,
                       Duration writeTimeout, Resolver resolver, ConnectAbort abort, WsProxy proxy,
                       ConnectTrace trace, SocketSettings socket) {

    public Endpoint {
        proxy = proxy == null ? WsProxy.NONE : proxy;
        trace = trace == null ? new ConnectTrace() : trace;
        socket = socket == null ? SocketSettings.NONE : socket;
    }

    /** Without a proxy. */
    public Endpoint(String host, int port, boolean secure, TlsOptions tls, long timeoutNanos,
                    Duration writeTimeout, Resolver resolver, ConnectAbort abort) {
        this(host, port, secure, tls, timeoutNanos, writeTimeout, resolver, abort, WsProxy.NONE, new ConnectTrace(),
                SocketSettings.NONE);
    }

    /** With the system's resolver, no proxy, and a connect nobody calls off. */
    public Endpoint(String host, int port, boolean secure, TlsOptions tls, long timeoutNanos, Duration writeTimeout) {
        this(host, port, secure, tls, timeoutNanos, writeTimeout, Resolver.SYSTEM, new ConnectAbort());
    }
}
