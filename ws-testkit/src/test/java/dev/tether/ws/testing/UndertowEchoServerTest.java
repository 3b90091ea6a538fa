package dev.tether.ws.testing;

/** The Undertow peer, checked with the JDK's WebSocket client. */
class UndertowEchoServerTest extends EchoServerContract {
    @Override
    EchoServer start() {
        return new UndertowEchoServer();
    }
}
