package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.codec.handshake.ClientHandshake;
import dev.tether.ws.spi.Connection;
import dev.tether.ws.spi.ConnectionListener;
import dev.tether.ws.spi.Endpoint;
import dev.tether.ws.spi.Transport;
import dev.tether.ws.testing.CodecServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** What every transport promises its listener, checked on each through the SPI. */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
class TransportContractTest {
    @Parameter
    String transport;

    private Transport transport() {
        return ServiceLoader.load(Transport.class).stream().map(ServiceLoader.Provider::get)
                .filter(t -> t.name().equals(transport)).findFirst().orElseThrow();
    }

    @Test
    void aListenerThatThrowsClosesTheConnectionAndHearsWhy() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            AtomicInteger dataCalls = new AtomicInteger();
            CompletableFuture<IOException> closed = new CompletableFuture<>();
            ConnectionListener throwing = new ConnectionListener() {
                @Override
                public void onData(ByteBuffer data) {
                    dataCalls.incrementAndGet();
                    throw new IllegalStateException("listener bug");
                }

                @Override
                public void onClosed(IOException cause) {
                    closed.complete(cause);
                }
            };
            Endpoint endpoint = new Endpoint("127.0.0.1", server.port(), false, null,
                    TimeUnit.SECONDS.toNanos(5), Duration.ofSeconds(5));
            Connection c = transport().open(endpoint, throwing);
            c.startReading();
            c.write(ClientHandshake.builder("127.0.0.1", server.port(), false).build().requestBytes());
            IOException cause = closed.get(5, TimeUnit.SECONDS);
            // The listener is out of step with the stream: nothing more is fed to it, and the
            // connection ends, the same on every transport.
            assertThat(cause).hasMessageContaining("listener failed").hasRootCauseMessage("listener bug");
            assertThat(dataCalls.get()).isEqualTo(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!server.openConnections().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server.openConnections()).isEmpty();
        }
    }
}
