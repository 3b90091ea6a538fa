/**
 * Tether in one dependency: the API ({@code dev.tether.ws}), the NIO transport and certificate
 * files for {@code wss://}. Holds no code: an application that {@code requires dev.tether} reads
 * the API, and the transport and TLS modules are resolved with it, so that {@code ServiceLoader}
 * finds their providers on the module path as it finds their {@code META-INF/services} files on
 * the class path.
 */
module dev.tether {
    requires transitive dev.tether.ws.api;              // WebSocket, TlsOptions, Event, ...
    requires transitive dev.tether.ws.transport.nio;    // provides dev.tether.ws.spi.Transport
    requires transitive dev.tether.ws.tls;              // provides dev.tether.ws.spi.TlsProvider
}
