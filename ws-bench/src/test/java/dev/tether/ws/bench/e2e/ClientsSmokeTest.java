package dev.tether.ws.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the end-to-end clients from rotting: each one, against the bench server (here
 * in-process), gets a 64-byte and a 1 MiB binary message and a JSON text echoed in plain ws, a
 * binary one over wss, a 1 KiB text with permessage-deflate (the stacks that have it), and
 * pushed messages whose delays it records. No timing is asserted.
 */
class ClientsSmokeTest {

    @Test
    void everyClientGetsItsEchoOnEveryLink(@TempDir Path dir) throws Exception {
        try (BenchServer server = new BenchServer(dir)) {
            URI plain = URI.create("ws://127.0.0.1:" + server.port() + "/echo");
            URI tls = URI.create("wss://127.0.0.1:" + server.tlsPort() + "/echo");
            URI deflate = URI.create("ws://127.0.0.1:" + server.deflatePort() + "/echo");
            URI push = URI.create("ws://127.0.0.1:" + server.port() + "/push?hz=50&size=256");
            Trust trust = Trust.fromPem(server.caPem());
            for (String stack : Clients.NAMES) {
                try (Client c = Clients.maker(stack).get()) {
                    c.connect(plain, Client.Options.PLAIN);
                    c.send(new byte[64]);
                    c.send(new byte[1 << 20]);
                    c.sendText(Payloads.TEXT256.text(0));
                    assertThat(c.replies.tryAcquire(3, 10, TimeUnit.SECONDS)).as(stack + " plain").isTrue();
                }
                try (Client c = Clients.maker(stack).get()) {
                    c.connect(tls, Client.Options.tls(trust));
                    c.send(new byte[64]);
                    assertThat(c.replies.tryAcquire(1, 10, TimeUnit.SECONDS)).as(stack + " wss").isTrue();
                }
                Client d = Clients.maker(stack).get();
                if (d.canDeflate()) {
                    try (d) {
                        d.connect(deflate, Client.Options.DEFLATE);
                        d.sendText(Payloads.TEXT1K.text(0));
                        d.sendText(Payloads.TEXT1K.text(1));
                        assertThat(d.replies.tryAcquire(2, 10, TimeUnit.SECONDS)).as(stack + " deflate").isTrue();
                    }
                }
                Delays delays = new Delays(100);
                try (Client c = Clients.maker(stack).get()) {
                    c.delays = delays;
                    delays.start();
                    c.connect(push, Client.Options.PLAIN);
                    Thread.sleep(200);
                    int n = delays.stop();
                    assertThat(n).as(stack + " push").isPositive();
                    assertThat(delays.sorted(n)[0]).as(stack + " delay").isPositive();
                }
            }
        }
    }

    @Test
    void jsonTextHasTheExactUtf8Size() {
        for (Payloads p : new Payloads[] {Payloads.TEXT256, Payloads.TEXT1K}) {
            for (int i = 0; i < Payloads.VARIANTS; i++) {
                assertThat(p.text(i).getBytes(StandardCharsets.UTF_8)).hasSize(p.size);
                assertThat(p.text(i)).startsWith("{\"q\":[{\"sym\":").contains("€").endsWith("\"}");
            }
        }
    }
}
