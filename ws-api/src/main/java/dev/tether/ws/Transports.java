package dev.tether.ws;

import dev.tether.ws.spi.Transport;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds the {@link Transport} to use: named on the builder, named by a system property, or the best present. */
final class Transports {
    /** The system property that picks a transport by name when the builder names none. */
    static final String PROPERTY = "tether.ws.transport";

    private Transports() {
    }

    /**
     * The providers, best first, found once: a scan of the module path per {@code build()} cost
     * more than the rest of it, and each WebSocket held a transport object of its own. A transport
     * keeps nothing per connection, so every WebSocket shares it.
     */
    static List<Transport> present() {
        return Present.ALL;
    }

    private static final class Present {
        static final List<Transport> ALL = ServiceLoader.load(Transport.class, WebSocket.class.getClassLoader())
                .stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt(Transport::priority).reversed())
                .toList();
    }

    static Transport select(String requested) {
        List<Transport> present = present();
        String name = requested != null ? requested : System.getProperty(PROPERTY);
        if (present.isEmpty()) {
            throw new IllegalStateException("no Tether transport found: add dev.tether:ws-transport-blocking "
                    + "(module dev.tether.ws.transport.blocking) or dev.tether:ws-transport-nio "
                    + "(module dev.tether.ws.transport.nio) to the class or module path");
        }
        if (name == null || name.isBlank()) {
            return present.get(0);
        }
        return present.stream().filter(t -> t.name().equalsIgnoreCase(name.strip())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no Tether transport named '" + name
                        + "'" + (requested == null ? " (system property " + PROPERTY + ")" : "")
                        + "; present: " + present.stream().map(Transport::name).collect(Collectors.joining(", "))
                        + ". Add dev.tether:ws-transport-" + name.strip().toLowerCase(java.util.Locale.ROOT)
                        + " if that is the one you meant"));
    }
}
