package dev.tether.ws.transport.nio;

import dev.tether.ws.spi.ClientTls;
import dev.tether.ws.spi.Connection;
import dev.tether.ws.spi.ConnectionListener;
import dev.tether.ws.spi.Deadline;
import dev.tether.ws.spi.Endpoint;
import dev.tether.ws.spi.HostPort;
import dev.tether.ws.spi.HostResolver;
import dev.tether.ws.spi.Transport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The NIO transport ("nio"): non-blocking channels on shared selector loops, for programs that
 * hold many connections. Preferred over "blocking" when both are present. {@code wss} runs an
 * SSLEngine per connection ({@link TlsPipeline}) with the policy of {@link ClientTls}.
 */
public final class NioTransport implements Transport {
    /** System property: bytes a connection may queue for a peer that is not reading. Default 1 MiB. */
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
        NioConnection connection = connectTcp(target, endpoint, listener, deadline, tls);
        if (tls != null) {
            connection.handshake(deadline);  // the same deadline: DNS, TCP and TLS together
        }
        return connection;
    }

    /** TCP to each resolved address in turn, until one answers. */
    private NioConnection connectTcp(String target, Endpoint endpoint, ConnectionListener listener, Deadline deadline,
                                     ClientTls tls) throws IOException {
        InetAddress[] addresses = HostResolver.resolve(endpoint.host(), deadline);
        List<String> tried = new ArrayList<>();
        IOException last = null;
        for (InetAddress address : addresses) {
            try {
                return connect(new InetSocketAddress(address, endpoint.port()), target, endpoint, listener, deadline, tls);
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                tried.add(address.getHostAddress());
                if (last != null) {
                    e.addSuppressed(last);
                }
                last = e;
            }
        }
        ConnectException failure = new ConnectException("connect to " + target + " failed: "
                + (last == null ? "the host has no addresses" : last.getMessage())
                + (tried.size() > 1 ? " (tried " + String.join(", ", tried) + ")" : ""));
        failure.initCause(last);
        throw failure;
    }

    private NioConnection connect(InetSocketAddress address, String target, Endpoint endpoint,
                                  ConnectionListener listener, Deadline deadline, ClientTls tls) throws IOException {
        SocketChannel channel = SocketChannel.open();
        NioConnection connection;
        try {
            channel.configureBlocking(false);
            // Frames are written whole; Nagle would only hold back the tail of each one.
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(address);
            connection = new NioConnection(EventLoops.next(), channel, target, endpoint.writeTimeout(), maxQueuedBytes,
                    tls);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        try {
            connection.register(listener);
            connection.awaitConnected(Math.max(0, deadline.remainingNanos()));
            return connection;
        } catch (TimeoutException e) {
            SocketTimeoutException timeout = deadline.expired("connect to " + target);
            connection.fail(timeout);
            throw timeout;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connection.fail(new InterruptedIOException("interrupted"));
            throw new InterruptedIOException("interrupted while connecting to " + target);
        } catch (ExecutionException e) {
            connection.fail(new IOException("connect failed"));
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("connect to " + target + " failed: " + cause, cause);
        } catch (Exception e) {
            connection.fail(new IOException("connect failed"));
            throw new IOException("connect to " + target + " failed: " + e, e);
        }
    }
}
