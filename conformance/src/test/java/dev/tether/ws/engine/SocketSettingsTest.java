package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.ServerConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The builder's resolver, local address and socket options, seen from the server's side. */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
class SocketSettingsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Parameter
    String transport;

    @Test
    void theServerSeesTheBoundLocalAddressAndTheResolverIsAsked() throws Exception {
        int localPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            localPort = free.getLocalPort();
        }
        AtomicInteger lookups = new AtomicInteger();
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = WebSocket.builder("ws://echo.test:" + server.port() + "/").transport(transport)
                    .resolver(host -> {
                        lookups.incrementAndGet();
                        assertThat(host).isEqualTo("echo.test");
                        return List.of(InetAddress.getLoopbackAddress());
                    })
                    .localAddress(new InetSocketAddress("127.0.0.1", localPort))
                    .socketOption(StandardSocketOptions.SO_KEEPALIVE, true)
                    .socketOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024)
                    .build();
            assertThat(ws.connect(WAIT)).isTrue();
            ServerConnection c = server.nextConnection(WAIT);
            assertThat(c.remote()).endsWith("127.0.0.1:" + localPort);
            assertThat(lookups).hasValue(1);
            assertThat(ws.send("through the bound socket")).isTrue();
            ws.close();
        }
    }

    @Test
    void aSocketOptionOfTheWrongTypeOrNotForTcpIsRefusedAtBuild() {
        WebSocket.Builder b = WebSocket.builder("ws://127.0.0.1:1/").transport(transport);
        @SuppressWarnings({"unchecked", "rawtypes"})
        SocketOption<Object> untyped = (SocketOption) StandardSocketOptions.SO_RCVBUF;
        assertThatThrownBy(() -> b.socketOption(untyped, "big"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("socket option SO_RCVBUF takes a Integer, not String");
        assertThatThrownBy(() -> b.socketOption(StandardSocketOptions.IP_MULTICAST_LOOP, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("socket option IP_MULTICAST_LOOP is not supported by TCP sockets");
    }
}
