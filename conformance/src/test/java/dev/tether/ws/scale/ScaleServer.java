package dev.tether.ws.scale;

import dev.tether.ws.testing.CodecServer;

/**
 * The echo server for {@link ConnectionScale}, in a process of its own so that the client's
 * figures (heap, threads, file descriptors) are the client's alone. Prints its port, then serves
 * until its standard input closes.
 */
public final class ScaleServer {
    private ScaleServer() {
    }

    public static void main(String[] args) throws Exception {
        try (CodecServer server = CodecServer.started()) {
            System.out.println("port " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Serve until the parent closes our stdin (or dies).
            }
        }
    }
}
