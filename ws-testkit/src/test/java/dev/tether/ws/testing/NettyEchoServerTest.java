package dev.tether.ws.testing;

/** The Netty peer, checked with the JDK's WebSocket client. */
class NettyEchoServerTest extends EchoServerContract {
    @Override
    EchoServer start() throws Exception {
        return new NettyEchoServer();
    }
}
