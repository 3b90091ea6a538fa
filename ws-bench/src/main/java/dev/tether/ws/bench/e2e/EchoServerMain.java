package dev.tether.ws.bench.e2e;

import dev.tether.ws.testing.NettyEchoServer;

/**
 * The fixed peer of the end-to-end run, in its own process: Netty 4.2's WebSocket server from
 * ws-testkit (compression off) on 127.0.0.1, echoing every message on {@code /echo}. Prints
 * {@code port N} and serves until its standard input closes.
 */
public final class EchoServerMain {
    private EchoServerMain() {
    }

    public static void main(String[] args) throws Exception {
        try (NettyEchoServer server = new NettyEchoServer(false)) {
            System.out.println("port " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to go away
            }
        }
    }
}
