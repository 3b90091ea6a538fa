package dev.tether.ws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.Set;

/** The socket options a TCP socket channel supports on this platform, asked once. */
final class SocketOptionSupport {
    private SocketOptionSupport() {
    }

    static Set<SocketOption<?>> supported() {
        return Holder.SUPPORTED;
    }

    private static final class Holder {
        static final Set<SocketOption<?>> SUPPORTED = probe();

        private static Set<SocketOption<?>> probe() {
            try (SocketChannel probe = SocketChannel.open()) {
                return Set.copyOf(probe.supportedOptions());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open a socket to list its options", e);
            }
        }
    }
}
