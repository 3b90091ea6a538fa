package dev.tether.ws.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.testing.NettyEchoServer;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Keeps the end-to-end clients from rotting: each one connects to the Netty echo server (here
 * in-process), gets a 64-byte and a 1 MiB message echoed, and closes. No timing is asserted.
 */
class ClientsSmokeTest {

    @Test
    void everyClientGetsItsEcho() throws Exception {
        try (NettyEchoServer server = new NettyEchoServer(false)) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/echo");
            for (Supplier<Client> make : Clients.all()) {
                try (Client c = make.get()) {
                    c.connect(uri);
                    c.send(new byte[64]);
                    c.send(new byte[1 << 20]);
                    assertThat(c.replies.tryAcquire(2, 10, TimeUnit.SECONDS)).as(c.name()).isTrue();
                }
            }
        }
    }
}
