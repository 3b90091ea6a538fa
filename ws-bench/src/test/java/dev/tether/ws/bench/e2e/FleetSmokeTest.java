package dev.tether.ws.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.testing.NettyEchoServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Keeps the connection-scale run from rotting: every stack's fleet holds 20 connections open
 * at once through its shared client object, each gets its echo, all close, the fleet stops.
 * No figure is taken.
 */
class FleetSmokeTest {

    @Test
    void everyStackHoldsManyConnectionsThroughOneSharedClient() throws Exception {
        try (NettyEchoServer server = new NettyEchoServer(false)) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/echo");
            for (String stack : Clients.NAMES) {
                try (Clients.Fleet fleet = Clients.fleet(stack)) {
                    List<Client> open = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        Client c = fleet.newClient();
                        c.connect(uri);
                        open.add(c);
                    }
                    for (Client c : open) {
                        c.send(new byte[64]);
                        assertThat(c.replies.tryAcquire(1, 10, TimeUnit.SECONDS)).as(stack).isTrue();
                    }
                    for (Client c : open) {
                        c.close();
                    }
                }
            }
        }
    }
}
