package dev.tether.ws.testing;

/** The Jetty peer, checked with the JDK's WebSocket client. */
class JettyEchoServerTest extends EchoServerContract {
    @Override
    EchoServer start() throws Exception {
        return new JettyEchoServer();
    }
}
