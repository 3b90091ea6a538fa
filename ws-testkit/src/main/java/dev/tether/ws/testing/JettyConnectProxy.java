package dev.tether.ws.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ConnectHandler;

/**
 * An HTTP proxy that tunnels with {@code CONNECT}: Jetty 12's {@link ConnectHandler} on
 * 127.0.0.1. With credentials it requires {@code Proxy-Authorization: Basic} through the hook
 * Jetty provides for it ({@code handleAuthentication}), answering 407 with a
 * {@code Proxy-Authenticate} challenge otherwise. It records the authority each CONNECT asked
 * for and counts the tunnels it opened, so a test can tell the traffic really went through it.
 */
public final class JettyConnectProxy implements AutoCloseable {
    public static final String REALM = "tether-test";

    private final Server server;
    private final ServerConnector connector;
    /** Null for a proxy that requires no authentication. */
    private final String expectedAuthorization;
    private final AtomicInteger tunnels = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> authorizations = new LinkedBlockingQueue<>();

    /** A proxy that requires no authentication. */
    public JettyConnectProxy() throws Exception {
        this(null, null);
    }

    /** A proxy that requires {@code Proxy-Authorization: Basic} with these (RFC 7617). */
    public JettyConnectProxy(String username, String password) throws Exception {
        this(username == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** A proxy that requires exactly this {@code Proxy-Authorization} value; null for none. */
    public JettyConnectProxy(String expectedAuthorization) throws Exception {
        this.expectedAuthorization = expectedAuthorization;
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Tunnels());
        server.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Tunnels opened: CONNECT requests that reached their server. */
    public int tunnelsOpened() {
        return tunnels.get();
    }

    /** CONNECT requests answered 407. */
    public int refusedAuthentications() {
        return refused.get();
    }

    /** The authority ({@code host:port}) of each CONNECT that passed authentication, in order. */
    public BlockingQueue<String> requests() {
        return requests;
    }

    /** The {@code Proxy-Authorization} of each CONNECT ("" for none), in order. */
    public BlockingQueue<String> authorizations() {
        return authorizations;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop cleanly", e);
        }
    }

    private final class Tunnels extends ConnectHandler {
        @Override
        protected boolean handleAuthentication(Request request, Response response, String address) {
            String given = request.getHeaders().get(HttpHeader.PROXY_AUTHORIZATION);
            authorizations.add(given == null ? "" : given);
            if (expectedAuthorization == null || expectedAuthorization.equals(given)) {
                requests.add(address);
                return true;
            }
            refused.incrementAndGet();
            // RFC 9110 section 11.7.1: a 407 carries at least one challenge.
            response.getHeaders().put(HttpHeader.PROXY_AUTHENTICATE, "Basic realm=\"" + REALM + "\"");
            return false;
        }

        @Override
        protected void onConnectSuccess(ConnectContext context, UpstreamConnection upstream) {
            tunnels.incrementAndGet();
            super.onConnectSuccess(context, upstream);
        }
    }
}
