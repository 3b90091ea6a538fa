package dev.tether.ws.transport.nio;

import dev.tether.ws.internal.HostPort;
import dev.tether.ws.spi.Deadline;
import dev.tether.ws.spi.HappyEyeballs;
import dev.tether.ws.spi.SocketSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * Blocking socket channels, for the proxy hop: the proxy's handshake is a short exchange that
 * {@code ProxyTunnel} runs with blocking reads on the channel's socket adaptor (timed by
 * SO_TIMEOUT); afterwards the channel goes non-blocking and joins an event loop
 * ({@link NioConnection#adopt}). Closing the channel from another thread ends a connect or read
 * in progress.
 */
final class BlockingChannelDialer implements HappyEyeballs.Dialer<SocketChannel> {
    private final SocketSettings settings;

    BlockingChannelDialer(SocketSettings settings) {
        this.settings = settings;
    }

    @Override
    public SocketChannel create(InetSocketAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            // Frames are written whole; Nagle would only hold back the tail of each one.
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            settings.applyTo(channel);  // the user's options and local address
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void connect(SocketChannel channel, InetSocketAddress address, Deadline deadline) throws IOException {
        channel.socket().connect(address, deadline.remainingMillis("connect to " + HostPort.of(address)));
    }
}
