package dev.tether.ws.transport.blocking;

import dev.tether.ws.spi.HostPort;
import dev.tether.ws.spi.Deadline;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the TCP connection: each resolved address in turn (a host may have IPv6 and IPv4
 * addresses of which only some are reachable), all within the one deadline.
 */
final class TcpConnector {
    private TcpConnector() {
    }

    static Socket connect(String host, int port, InetAddress[] addresses, Deadline deadline)
            throws IOException {
        String target = HostPort.of(host, port);
        List<String> tried = new ArrayList<>();
        IOException last = null;
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            try {
                // Frames are written whole by the engine; Nagle would only hold back the last
                // segment of each (and pings) waiting for an ACK.
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(address, port), deadline.remainingMillis("connect to " + target));
                return socket;
            } catch (SocketTimeoutException e) {
                closeQuietly(socket);
                if (deadline.expired()) {
                    SocketTimeoutException timeout = deadline.expired("connect to " + target);
                    timeout.initCause(e);
                    throw timeout;
                }
                last = e;  // the OS gave up on this address early; try the next one
            } catch (IOException e) {
                closeQuietly(socket);
                if (last != null) {
                    e.addSuppressed(last);
                }
                last = e;
            }
            tried.add(address.getHostAddress());
        }
        if (last == null) {
            throw new ConnectException("connect to " + target + " failed: the host has no addresses");
        }
        String detail = addresses.length > 1 || !address(addresses[0]).equals(host)
                ? " (tried " + String.join(", ", tried) + ")" : "";
        ConnectException failure = new ConnectException("connect to " + target + " failed: "
                + last.getMessage() + detail);
        failure.initCause(last);
        throw failure;
    }

    private static String address(InetAddress a) {
        return a.getHostAddress();
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing to do: the socket is being abandoned.
        }
    }
}
