package dev.tether.ws.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** {@code host:port} for messages, with IPv6 literals in brackets as in a URI (RFC 3986 3.2.2). */
public final class HostPort {
    private HostPort() {
    }

    public static String of(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The numeric form of a socket address, e.g. {@code 127.0.0.1:5050}. */
    public static String of(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            InetAddress a = inet.getAddress();
            return of(a == null ? inet.getHostString() : a.getHostAddress(), inet.getPort());
        }
        return String.valueOf(address);
    }
}
