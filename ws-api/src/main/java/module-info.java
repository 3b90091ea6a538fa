/**
 * Tether's public API ({@code dev.tether.ws}), the connection engine behind it, and the
 * transport SPI ({@code dev.tether.ws.spi}) that socket implementations provide. The helpers our
 * own transports and TLS module share ({@code dev.tether.ws.internal}: the TLS policy, buffer
 * pools) are exported to them alone: they are not API.
 */
@SuppressWarnings("module")  // the qualified exports name modules built after this one
module dev.tether.ws.api {
    requires transitive dev.tether.ws.codec;  // its HandshakeException and ProtocolException reach users
    requires jdk.jfr;  // connect, close, reconnect and protocol-error events, off unless recorded

    exports dev.tether.ws;
    exports dev.tether.ws.spi;
    exports dev.tether.ws.internal to
            dev.tether.ws.transport.blocking,
            dev.tether.ws.transport.nio,
            dev.tether.ws.tls;

    uses dev.tether.ws.spi.Transport;
    uses dev.tether.ws.spi.TlsProvider;  // certificate files for wss: dev.tether.ws.tls
}
