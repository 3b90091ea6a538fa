package dev.tether.ws.scale;

import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.JettyEchoServer;

/**
 * The echo server for {@link ConnectionScale}, in a process of its own so that the client's
 * figures (heap, threads, file descriptors) are the client's alone. Prints its port, then serves
 * until its standard input closes.
 */
public final class ScaleServer {
    private ScaleServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jetty")) {
            // Jetty, for runs with permessage-deflate, which the codec's test server does not offer.
            try (JettyEchoServer jetty = new JettyEchoServer()) {
                System.out.println("port " + jetty.port());
                System.out.flush();
                while (System.in.read() >= 0) {
                    // Serve until the parent closes our stdin.
                }
            }
            return;
        }
        try (CodecServer server = CodecServer.started()) {
            System.out.println("port " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Serve until the parent closes our stdin (or dies).
            }
        }
    }
}
