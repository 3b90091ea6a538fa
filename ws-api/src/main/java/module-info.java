/**
 * Tether's public API ({@code dev.tether.ws}), the connection engine behind it, and the
 * transport SPI ({@code dev.tether.ws.spi}) that socket implementations provide.
 */
module dev.tether.ws.api {
    requires transitive dev.tether.ws.codec;  // its HandshakeException and ProtocolException reach users

    exports dev.tether.ws;
    exports dev.tether.ws.spi;

    uses dev.tether.ws.spi.Transport;
    uses dev.tether.ws.spi.TlsProvider;  // certificate files for wss: dev.tether.ws.tls
}
