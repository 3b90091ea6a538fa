package dev.tether.ws.transport.nio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.Resolver;
import dev.tether.ws.WsProxy;
import dev.tether.ws.spi.ConnectAbort;
import dev.tether.ws.spi.ConnectTrace;
import dev.tether.ws.spi.Connection;
import dev.tether.ws.spi.ConnectionListener;
import dev.tether.ws.spi.Endpoint;
import dev.tether.ws.spi.SocketSettings;
import dev.tether.ws.testing.CodecServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The endpoint's socket options and local address are on the channel before it connects. */
class SocketSettingsTest {
    @Test
    void theEndpointsOptionsAndLocalAddressAreOnTheChannel() throws Exception {
        int localPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            localPort = free.getLocalPort();
        }
        Map<SocketOption<?>, Object> options = new LinkedHashMap<>();
        options.put(StandardSocketOptions.SO_KEEPALIVE, true);
        options.put(StandardSocketOptions.SO_RCVBUF, 32 * 1024);
        options.put(StandardSocketOptions.TCP_NODELAY, false);  // the user's choice wins over the transport's
        SocketSettings settings = new SocketSettings(new InetSocketAddress("127.0.0.1", localPort), options);
        try (CodecServer server = CodecServer.started()) {
            Endpoint endpoint = new Endpoint("127.0.0.1", server.port(), false, null, TimeUnit.SECONDS.toNanos(10),
                    Duration.ofSeconds(10), Resolver.SYSTEM, new ConnectAbort(), WsProxy.NONE, new ConnectTrace(), settings);
            Connection c = new NioTransport().open(endpoint, new ConnectionListener() {
                @Override
                public void onData(ByteBuffer data) {
                    data.position(data.limit());
                }

                @Override
                public void onClosed(IOException cause) {
                }
            });
            try {
                SocketChannel channel = ((NioConnection) c).channel();
                assertThat(channel.getOption(StandardSocketOptions.SO_KEEPALIVE)).isTrue();
                assertThat(channel.getOption(StandardSocketOptions.TCP_NODELAY)).isFalse();
                // Linux doubles what it is given (for its bookkeeping); other systems take it as is.
                assertThat(channel.getOption(StandardSocketOptions.SO_RCVBUF)).isBetween(32 * 1024, 64 * 1024);
                assertThat(((InetSocketAddress) channel.getLocalAddress()).getPort()).isEqualTo(localPort);
            } finally {
                c.close();
            }
        }
    }
}
