package dev.tether.ws.transport.blocking;

import dev.tether.ws.spi.Deadline;
import dev.tether.ws.spi.HappyEyeballs;
import dev.tether.ws.spi.SocketSettings;
import dev.tether.ws.internal.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;

/**
 * Opens TCP connections with plain sockets, for {@link HappyEyeballs} to race across a host's
 * addresses. Closing the socket from another thread ends a connect in progress.
 */
final class TcpConnector implements HappyEyeballs.Dialer<Socket> {
    private final SocketSettings settings;

    TcpConnector(SocketSettings settings) {
        this.settings = settings;
    }

    @Override
    public Socket create(InetSocketAddress address) throws IOException {
        // NO_PROXY: a plain new Socket() asks the default ProxySelector for "socket://host:port"
        // and goes through -DsocksProxyHost by itself. Tether picks the proxy (WsProxy, the
        // selector for http/https URIs) and runs its handshake; the JDK's would come on top.
        Socket socket = new Socket(Proxy.NO_PROXY);
        // Frames are written whole by the engine; Nagle would only hold back the last segment of
        // each (and pings) waiting for an ACK.
        try {
            socket.setTcpNoDelay(true);
            settings.applyTo(socket);  // the user's options and local address
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
        return socket;
    }

    @Override
    public void connect(Socket socket, InetSocketAddress address, Deadline deadline) throws IOException {
        socket.connect(address, deadline.remainingMillis("connect to " + HostPort.of(address)));
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing to do: the socket is being abandoned.
        }
    }
}
