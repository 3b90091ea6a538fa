package dev.tether.ws;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/**
 * Turns a host name into the addresses to try, in order of preference: the system's resolver by
 * default ({@link #SYSTEM}), or one of the user's ({@link WebSocket.Builder#resolver}), for
 * example a DNS-over-HTTPS client or a fixed table. It runs within the connect timeout: a lookup
 * that takes longer fails the connect, and its late answer is dropped. IP literals in the URL
 * are never looked up.
 */
@FunctionalInterface
public interface Resolver {

    /** {@link InetAddress#getAllByName}: the system's resolver, hosts file and cache. */
    Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /**
     * The addresses of {@code host}, at least one.
     *
     * @throws java.net.UnknownHostException when the name has no addresses
     * @throws IOException when the lookup itself fails
     */
    List<InetAddress> resolve(String host) throws IOException;
}
