package dev.tether.ws.testing;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Jetty 12's WebSocket server over TLS on 127.0.0.1, echoing on {@code /echo} (text as text,
 * binary as binary, messages up to {@link #MAX_MESSAGE_SIZE}). Its certificate and trusted CAs
 * come from the given context (see {@link TestPki#serverContext}); with {@code needClientAuth}
 * a client must present a certificate the context trusts. Each handshake's SNI name, TLS
 * version and session ({@link ServerTlsSession}: suite, id, creation time, which show a resumed
 * session), and each failed handshake, are recorded for assertions.
 */
public final class JettyTlsEchoServer implements AutoCloseable {
    public static final int MAX_MESSAGE_SIZE = 32 << 20;

    private final Server server;
    private final ServerConnector connector;
    private final BlockingQueue<String> sniNames = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> protocols = new LinkedBlockingQueue<>();
    private final BlockingQueue<Throwable> handshakeFailures = new LinkedBlockingQueue<>();
    private final BlockingQueue<ServerTlsSession> sessions = new LinkedBlockingQueue<>();

    /**
     * @param protocols the TLS versions to allow ("TLSv1.2"); none for Jetty's defaults
     */
    public JettyTlsEchoServer(SSLContext context, boolean needClientAuth, String... protocols) throws Exception {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(context);
        ssl.setNeedClientAuth(needClientAuth);
        if (protocols.length > 0) {
            ssl.setIncludeProtocols(protocols);
        }
        server = new Server();
        // Jetty adds a SecureRequestCustomizer to TLS connectors, whose SNI host check answers 400
        // when the certificate is not for the requested name: the name-mismatch cases (insist,
        // trust-all) need the server to serve them anyway, so give it one that does not check.
        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
        connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.addBean(new Recorder());
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(MAX_MESSAGE_SIZE);
            container.setMaxBinaryMessageSize(MAX_MESSAGE_SIZE);
            container.setMaxFrameSize(MAX_MESSAGE_SIZE);
            container.setIdleTimeout(Duration.ofMinutes(5));
            container.addMapping("/echo", (request, response, callback) -> new JettyEcho());
        }));
        server.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** {@code wss://127.0.0.1:port} + {@code pathAndQuery}. */
    public URI uri(String pathAndQuery) {
        return uri("127.0.0.1", pathAndQuery);
    }

    /** {@code wss://host:port} + {@code pathAndQuery}; the server listens on 127.0.0.1 only. */
    public URI uri(String host, String pathAndQuery) {
        return URI.create("wss://" + host + ":" + port() + pathAndQuery);
    }

    /** The SNI host name of each successful handshake, in order; "" for a handshake without one. */
    public BlockingQueue<String> sniNames() {
        return sniNames;
    }

    /** The TLS version of each successful handshake ("TLSv1.3"), in order. */
    public BlockingQueue<String> protocols() {
        return protocols;
    }

    /** The server's session of each successful handshake, in order: version, suite, SNI, and what shows resumption. */
    public BlockingQueue<ServerTlsSession> sessions() {
        return sessions;
    }

    /** Why handshakes failed, as the server saw it. */
    public BlockingQueue<Throwable> handshakeFailures() {
        return handshakeFailures;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop cleanly", e);
        }
    }

    private final class Recorder implements SslHandshakeListener {
        @Override
        public void handshakeSucceeded(Event event) {
            SSLSession session = event.getSSLEngine().getSession();
            String name = "";
            if (session instanceof ExtendedSSLSession extended) {
                for (SNIServerName n : extended.getRequestedServerNames()) {
                    if (n instanceof SNIHostName host) {
                        name = host.getAsciiName();
                    }
                }
            }
            sniNames.add(name);
            protocols.add(session.getProtocol());
            sessions.add(new ServerTlsSession(name, session.getProtocol(), session.getCipherSuite(),
                    java.util.HexFormat.of().formatHex(session.getId()), session.getCreationTime()));
        }

        @Override
        public void handshakeFailed(Event event, Throwable failure) {
            handshakeFailures.add(failure);
        }
    }
}
