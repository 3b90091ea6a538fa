package dev.tether.ws.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The user's socket options and local address, applied by a transport to every socket it opens
 * for a connect (each Happy Eyeballs attempt, the proxy hop) before it connects.
 *
 * @param localAddress the address (and port, 0 for any) to bind to; null for the system's choice
 * @param options socket options in the order they were set, applied after the transport's own
 *     (so a user's {@code TCP_NODELAY} wins)
 */
public record SocketSettings(InetSocketAddress localAddress, Map<SocketOption<?>, Object> options) {
    /** The system's choices. */
    public static final SocketSettings NONE = new SocketSettings(null, Map.of());

    public SocketSettings {
        // Most connections set none: share the empty map rather than hold one each.
        options = options.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** Sets the options on {@code socket} and binds it, before its connect. */
    public void applyTo(Socket socket) throws IOException {
        for (Map.Entry<SocketOption<?>, Object> e : options.entrySet()) {
            set(socket, e.getKey(), e.getValue());
        }
        if (localAddress != null) {
            socket.bind(localAddress);
        }
    }

    /** Sets the options on {@code channel} and binds it, before its connect. */
    public void applyTo(SocketChannel channel) throws IOException {
        for (Map.Entry<SocketOption<?>, Object> e : options.entrySet()) {
            set(channel, e.getKey(), e.getValue());
        }
        if (localAddress != null) {
            channel.bind(localAddress);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void set(Socket socket, SocketOption<T> option, Object value) throws IOException {
        socket.setOption(option, (T) value);
    }

    @SuppressWarnings("unchecked")
    private static <T> void set(SocketChannel channel, SocketOption<T> option, Object value) throws IOException {
        channel.setOption(option, (T) value);
    }
}
