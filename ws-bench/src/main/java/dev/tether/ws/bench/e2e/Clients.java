package dev.tether.ws.bench.e2e;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The client stacks of the end-to-end run, each used as its documentation shows, one class
 * each. A client made with no arguments owns its stack's client object (one connection, as in
 * the end-to-end rows); one given a shared object ({@link #fleet}) uses it and leaves it open,
 * as an application with many connections would.
 */
public final class Clients {
    static final int MAX = 4 << 20;

    /** The stacks, in the order of every table. */
    static final List<String> NAMES = List.of("tether-blocking", "tether-nio", "tether-nio-queued", "jdk", "okhttp",
            "java-websocket", "jetty", "netty");

    private Clients() {
    }

    static List<Supplier<Client>> all() {
        return NAMES.stream().map(Clients::maker).toList();
    }

    /** A maker of single-connection clients of the named stack. */
    static Supplier<Client> maker(String name) {
        return switch (name) {
            case "tether-blocking", "tether-nio" -> () -> new TetherStack(name.substring("tether-".length()), true);
            case "tether-nio-queued" -> () -> new TetherStack("nio", false);
            case "jdk" -> JdkStack::new;
            case "okhttp" -> OkHttpStack::new;
            case "java-websocket" -> JavaWebSocketStack::new;
            case "jetty" -> JettyStack::new;
            case "netty" -> NettyStack::new;
            default -> throw new IllegalArgumentException("no client stack '" + name + "'; one of " + NAMES);
        };
    }

    /** Many connections of one stack, sharing what that stack shares between connections. */
    interface Fleet extends AutoCloseable {
        Client newClient();

        /** Stops what the connections shared; the connections are closed first. */
        @Override
        void close() throws Exception;
    }

    /**
     * A fleet of the named stack (plain connections): one {@code HttpClient} (JDK), one
     * {@code OkHttpClient} with its dispatcher's limits lifted (a WebSocket counts as a running
     * call while it is open), one started Jetty {@code WebSocketClient}, one Netty event loop
     * group with one thread per core. Tether shares its transport's loop by itself;
     * Java-WebSocket has nothing to share (two threads per connection, by design).
     */
    static Fleet fleet(String name) throws Exception {
        return switch (name) {
            case "tether-blocking", "tether-nio", "tether-nio-queued", "java-websocket" -> fleetOf(maker(name), () -> { });
            case "jdk" -> {
                HttpClient http = HttpClient.newHttpClient();
                yield fleetOf(() -> new JdkStack(http), http::close);
            }
            case "okhttp" -> {
                OkHttpClient http = new OkHttpClient();
                http.dispatcher().setMaxRequests(Integer.MAX_VALUE);
                http.dispatcher().setMaxRequestsPerHost(Integer.MAX_VALUE);
                yield fleetOf(() -> new OkHttpStack(http), () -> OkHttpStack.shutdown(http));
            }
            case "jetty" -> {
                WebSocketClient client = JettyStack.newClient(null);
                yield fleetOf(() -> new JettyStack(client), client::stop);
            }
            case "netty" -> {
                EventLoopGroup group = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
                yield fleetOf(() -> new NettyStack(group),
                        () -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync());
            }
            default -> throw new IllegalArgumentException("no client stack '" + name + "'; one of " + NAMES);
        };
    }

    private interface Shutdown {
        void run() throws Exception;
    }

    private static Fleet fleetOf(Supplier<Client> make, Shutdown shutdown) {
        return new Fleet() {
            @Override
            public Client newClient() {
                return make.get();
            }

            @Override
            public void close() throws Exception {
                shutdown.run();
            }
        };
    }
}
