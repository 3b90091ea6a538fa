package dev.tether.ws.transport.nio;

import dev.tether.ws.WsProxy;
import dev.tether.ws.internal.ClientTls;
import dev.tether.ws.internal.ProxyTunnel;
import dev.tether.ws.spi.ConnectAbort;
import dev.tether.ws.spi.Connection;
import dev.tether.ws.spi.ConnectionListener;
import dev.tether.ws.spi.Deadline;
import dev.tether.ws.spi.Endpoint;
import dev.tether.ws.spi.HappyEyeballs;
import dev.tether.ws.spi.SocketSettings;
import dev.tether.ws.internal.HostPort;
import dev.tether.ws.spi.HostResolver;
import dev.tether.ws.spi.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;

/**
 * The NIO transport ("nio"): non-blocking channels on shared selector loops, for programs that
 * hold many connections. Preferred over "blocking" when both are present. {@code wss} runs an
 * SSLEngine per connection ({@link TlsPipeline}) with the policy of {@link ClientTls}.
 */
public final class NioTransport implements Transport {
    /**
     * System property, read once as the transport loads: bytes a connection may queue for a peer
     * that is not reading. Default 1 MiB.
     */
    static final String QUEUE_PROPERTY = "tether.ws.nio.writeQueueBytes";

    private final long maxQueuedBytes = Long.getLong(QUEUE_PROPERTY, 1L << 20);

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public int priority() {
        return 20;
    }

    @Override
    public Connection open(Endpoint endpoint, ConnectionListener listener) throws IOException {
        String target = HostPort.of(endpoint.host(), endpoint.port());
        // Certificate files are read before any network work: a bad one costs no connection.
        ClientTls tls = endpoint.secure() ? ClientTls.forEndpoint(endpoint) : null;
        Deadline deadline = Deadline.in(endpoint.timeoutNanos());
        ConnectAbort abort = endpoint.abort();
        boolean direct = endpoint.proxy().type() == WsProxy.Type.DIRECT;
        NioConnection connection;
        if (direct) {
            List<InetAddress> addresses = HostResolver.resolve(endpoint.host(), endpoint.resolver(), deadline, abort);
            endpoint.trace().resolved();
            connection = HappyEyeballs.connect(target, addresses, endpoint.port(), deadline, abort,
                    new Dialer(endpoint.host(), endpoint.port(), endpoint.writeTimeout(), tls, endpoint.socket()));
        } else {
            connection = throughProxy(endpoint, deadline, tls);
        }
        endpoint.trace().connected();
        try {
            if (!direct) {
                connection.adopt(deadline);  // onto its event loop, as if it had connected there
            }
            if (tls != null) {
                connection.handshake(deadline);  // the same deadline: DNS, TCP and TLS together
                endpoint.trace().secured();
            }
            // Only the winner of the race ever reports to the engine: a refused attempt at another
            // address must not end the session.
            connection.attach(listener);
            return connection;
        } catch (IOException | RuntimeException e) {
            connection.close();
            abort.check();  // called off: say so rather than "closed locally"
            throw e;
        } finally {
            abort.release(connection);  // the engine's now, or closed
        }
    }

    /**
     * The proxy hop, on a blocking channel ({@link ProxyTunnel} is shared with the blocking
     * transport); then the channel goes non-blocking, in a connection registered with the abort.
     */
    private NioConnection throughProxy(Endpoint endpoint, Deadline deadline, ClientTls tls)
            throws IOException {
        ConnectAbort abort = endpoint.abort();
        SocketChannel channel = ProxyTunnel.open(endpoint, deadline, new BlockingChannelDialer(endpoint.socket()), SocketChannel::socket);
        try {
            channel.configureBlocking(false);
            NioConnection connection = new NioConnection(EventLoops.next(), channel, endpoint.host(), endpoint.port(),
                    endpoint.writeTimeout(), maxQueuedBytes, tls);
            abort.closeOnAbort(connection);  // called off meanwhile: closes it, and the channel, and throws
            return connection;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        } finally {
            abort.release(channel);  // the connection's now, or closed
        }
    }

    /** Non-blocking channels on the event loops, for {@link HappyEyeballs} to race. */
    private final class Dialer implements HappyEyeballs.Dialer<NioConnection> {
        private final String host;
        private final int port;
        private final Duration writeTimeout;
        private final ClientTls tls;
        private final SocketSettings settings;

        Dialer(String host, int port, Duration writeTimeout, ClientTls tls, SocketSettings settings) {
            this.host = host;
            this.port = port;
            this.writeTimeout = writeTimeout;
            this.tls = tls;
            this.settings = settings;
        }

        @Override
        public NioConnection create(InetSocketAddress address) throws IOException {
            SocketChannel channel = SocketChannel.open();
            try {
                channel.configureBlocking(false);
                // Frames are written whole; Nagle would only hold back the tail of each one.
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                settings.applyTo(channel);  // the user's options and local address
                return new NioConnection(EventLoops.next(), channel, host, port, writeTimeout, maxQueuedBytes, tls);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        @Override
        public void connect(NioConnection connection, InetSocketAddress address, Deadline deadline) throws IOException {
            connection.connect(address, deadline);
        }
    }
}
