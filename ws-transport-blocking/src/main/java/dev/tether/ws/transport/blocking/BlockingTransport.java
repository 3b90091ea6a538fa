package dev.tether.ws.transport.blocking;

import dev.tether.ws.internal.IpLiteral;
import dev.tether.ws.internal.HostPort;
import dev.tether.ws.spi.HostResolver;
import dev.tether.ws.spi.Deadline;
import dev.tether.ws.internal.ClientTls;
import dev.tether.ws.internal.ProxyTunnel;
import dev.tether.ws.WsProxy;
import dev.tether.ws.spi.ConnectAbort;
import dev.tether.ws.spi.Connection;
import dev.tether.ws.spi.ConnectionListener;
import dev.tether.ws.spi.Endpoint;
import dev.tether.ws.spi.HappyEyeballs;
import dev.tether.ws.spi.Transport;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLSocket;

/**
 * The blocking transport: {@code Socket} / {@code SSLSocket}, one thread reading each
 * connection (platform or virtual: {@link ReaderThreads}), writes on the caller's
 * thread. Stateless apart from what is JVM-wide (the write watchdog, the platform readers'
 * budget), so one instance (or several, as ServiceLoader makes them) serves any number of
 * connections.
 */
public final class BlockingTransport implements Transport {
    private static final System.Logger LOG = System.getLogger(BlockingTransport.class.getName());
    /** Below NIO's 20: with both present, the one that scales to many connections wins. */
    static final int PRIORITY = 10;

    private final ReaderThreads readers;

    /** For ServiceLoader: reader threads as {@link ReaderThreads#KIND_PROPERTY} says. */
    public BlockingTransport() {
        this(ReaderThreads.fromProperties());
    }

    BlockingTransport(ReaderThreads readers) {
        this.readers = readers;
    }

    ReaderThreads readers() {
        return readers;
    }

    @Override
    public String name() {
        return "blocking";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Connection open(Endpoint endpoint, ConnectionListener listener) throws IOException {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(listener, "listener");
        // Certificate files are read before any network work: a bad one costs no connection.
        ClientTls tls = endpoint.secure() ? ClientTls.forEndpoint(endpoint) : null;
        String host = endpoint.host();
        int port = endpoint.port();
        String target = HostPort.of(host, port);
        Deadline deadline = Deadline.in(endpoint.timeoutNanos());

        ConnectAbort abort = endpoint.abort();
        Socket tcp;
        if (endpoint.proxy().type() == WsProxy.Type.DIRECT) {
            List<InetAddress> addresses = HostResolver.resolve(host, endpoint.resolver(), deadline, abort);
            endpoint.trace().resolved();
            tcp = HappyEyeballs.connect(target, addresses, port, deadline, abort, new TcpConnector(endpoint.socket()));
        } else {
            // TCP to the proxy and its tunnel to the server; TLS, if any, then runs through it.
            tcp = ProxyTunnel.open(endpoint, deadline, new TcpConnector(endpoint.socket()), s -> s);
        }
        endpoint.trace().connected();
        Socket socket = tcp;
        ReadAheadSocket readAhead = null;
        try {
            if (tls != null) {
                readAhead = new ReadAheadSocket(tcp);
                socket = TlsLayer.wrap(tcp, readAhead, tls, deadline);  // abort closes tcp, which ends the handshake
                endpoint.trace().secured();
            }
            String description = describe(tcp, socket, host, endpoint.proxy());
            BlockingConnection connection = new BlockingConnection(tcp, socket, readAhead, tls, listener, target,
                    description, endpoint.writeTimeout(), readers);
            LOG.log(Level.DEBUG, "connected: {0}", description);
            return connection;
        } catch (IOException | RuntimeException e) {
            TcpConnector.closeQuietly(socket);
            TcpConnector.closeQuietly(tcp);
            if (readAhead != null) {
                readAhead.release();  // the handshake's reads are over
            }
            abort.check();  // called off: say so rather than "Socket closed"
            throw e;
        } finally {
            abort.release(tcp);  // the connection is the engine's now, or closed
        }
    }

    /** E.g. {@code tcp 127.0.0.1:5050->127.0.0.1:8080} or {@code tls TLSv1.3 ...->... (example.com)}. */
    private static String describe(Socket tcp, Socket socket, String host, WsProxy proxy) {
        String protocol = socket instanceof SSLSocket ssl ? "tls " + ssl.getSession().getProtocol() : "tcp";
        String remote = HostPort.of(tcp.getRemoteSocketAddress());
        String named = IpLiteral.is(host) ? "" : " (" + host + ")";
        if (proxy.type() != WsProxy.Type.DIRECT) {
            named = " (" + proxy + ", tunnel to " + host + ")";  // the remote address is the proxy's
        }
        return protocol + " " + HostPort.of(tcp.getLocalSocketAddress()) + "->" + remote + named;
    }

    @Override
    public String toString() {
        return "BlockingTransport[" + name() + ", priority " + PRIORITY + "]";
    }
}
