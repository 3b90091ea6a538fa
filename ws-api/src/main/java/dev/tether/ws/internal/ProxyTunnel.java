package dev.tether.ws.internal;

import dev.tether.ws.ProxyException;
import dev.tether.ws.WsProxy;
import dev.tether.ws.spi.ConnectAbort;
import dev.tether.ws.spi.Deadline;
import dev.tether.ws.spi.Endpoint;
import dev.tether.ws.spi.HappyEyeballs;
import dev.tether.ws.spi.HostResolver;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.function.Function;

/**
 * The proxy hop of a connect, written once for both transports: resolve the proxy's name, connect
 * to it (RFC 8305, as for a server), and have it open a tunnel to the server (HTTP
 * {@code CONNECT} or SOCKS5) with blocking reads on the connected socket, all within the connect
 * deadline and called off by the endpoint's {@link ConnectAbort}. The server's own name is not
 * resolved here, except for a SOCKS5 proxy told to {@linkplain WsProxy#resolveLocally resolve
 * locally}. What comes back carries bytes to the server: the transport runs TLS over it for
 * {@code wss}, with the server's name.
 */
public final class ProxyTunnel {
    private ProxyTunnel() {
    }

    /**
     * A connection to {@code endpoint.proxy()} with the tunnel to the endpoint open. It stays
     * registered with the endpoint's abort: the caller releases it once it hands it on.
     *
     * @param dialer makes blocking-capable connections: the exchange reads {@code socketOf(t)}'s
     *     streams
     * @param socketOf the socket of a connection, in blocking mode
     * @throws ProxyException when the proxy refuses, naming it and what it said
     * @throws SocketTimeoutException when the deadline passes first
     * @throws InterruptedIOException when the connect is called off
     */
    public static <T extends Closeable> T open(Endpoint endpoint, Deadline deadline, HappyEyeballs.Dialer<T> dialer,
                                               Function<T, Socket> socketOf) throws IOException {
        WsProxy proxy = endpoint.proxy();
        if (proxy.type() == WsProxy.Type.DIRECT) {
            throw new IllegalArgumentException("no proxy to tunnel through");
        }
        ConnectAbort abort = endpoint.abort();
        String target = HostPort.of(endpoint.host(), endpoint.port());
        // The builder's resolver serves the proxy's name too: it is how this program resolves names.
        List<InetAddress> proxyAddresses = HostResolver.resolve(proxy.host(), endpoint.resolver(), deadline, abort);
        InetAddress targetAddress = null;
        if (proxy.type() == WsProxy.Type.SOCKS5 && proxy.resolvesLocally() && !IpLiteral.is(endpoint.host())) {
            // The first address only: each other one would cost another proxy connection.
            targetAddress = HostResolver.resolve(endpoint.host(), endpoint.resolver(), deadline, abort).get(0);
        }
        String what = (proxy.type() == WsProxy.Type.HTTP ? "CONNECT to " : "SOCKS5 CONNECT to ") + target
                + " through " + proxy;
        HttpConnectTunnel.Authorization authorization = proxy.type() == WsProxy.Type.HTTP && proxy.username().isPresent()
                ? new HttpConnectTunnel.Authorization(HttpConnectTunnel.basic(proxy),
                        "the credentials for user \"" + proxy.username().get() + "\"")
                : null;
        boolean mayRetry = true;
        while (true) {
            T connection = HappyEyeballs.connect(proxy.toString(), proxyAddresses, proxy.port(), deadline, abort, dialer);
            boolean open = false;
            try {
                ProxyIo io = new ProxyIo(socketOf.apply(connection), deadline, what);
                if (proxy.type() == WsProxy.Type.HTTP) {
                    HttpConnectTunnel.Authorization retryWith =
                            HttpConnectTunnel.exchange(io, proxy, target, authorization, mayRetry);
                    if (retryWith != null) {
                        // RFC 9110 section 15.5.8: repeat the request with credentials. Many proxies
                        // close after a 407 (Jetty does), so the retry gets a connection of its own.
                        authorization = retryWith;
                        mayRetry = false;
                        continue;
                    }
                } else {
                    Socks5Tunnel.exchange(io, proxy, endpoint.host(), endpoint.port(), targetAddress);
                }
                io.done();
                open = true;
                return connection;
            } catch (IOException e) {
                throw explain(e, abort, deadline, what, proxy);
            } finally {
                if (!open) {
                    abort.release(connection);
                    closeQuietly(connection);
                }
            }
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // Abandoned: nothing more to do with it.
        }
    }

    /** Says why in terms of the connect: called off, out of time, or the proxy's own words. */
    private static IOException explain(IOException e, ConnectAbort abort, Deadline deadline, String what,
                                       WsProxy proxy) throws InterruptedIOException {
        abort.check();  // closed by close() or exit(): say so rather than "Socket closed"
        if (e instanceof SocketTimeoutException || deadline.expired()) {
            SocketTimeoutException timeout = deadline.expired(what);
            timeout.initCause(e);
            return timeout;
        }
        if (e instanceof ProxyException) {
            return e;
        }
        ProxyException failed = new ProxyException(what + " failed: " + e.getMessage(), proxy, -1);
        failed.initCause(e);
        return failed;
    }
}
