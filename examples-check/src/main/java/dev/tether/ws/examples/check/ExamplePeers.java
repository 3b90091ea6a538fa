package dev.tether.ws.examples.check;

import dev.tether.ws.testing.JettyEcho;
import dev.tether.ws.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The servers examples/ talk to in the build: Jetty 12 on 127.0.0.1, {@code ws://} on one port
 * and {@code wss://} on another, the TLS one requiring a client certificate issued by a test CA
 * (ws-testkit's {@link TestPki}). Paths: {@code /echo} echoes; {@code /drop} echoes, then closes
 * with 1001 so that a {@code start} client has something to reconnect after.
 *
 * <p>Writes {@code ca.pem}, {@code client.pem} and {@code client.key} (encrypted PKCS#8,
 * password {@code tether test password}) to the given folder, then {@code ready} once both
 * ports listen. Stops by itself after the given lifetime (the build also ends it when Maven
 * exits), so a broken build never leaves it running.
 *
 * <p>Usage: {@code ExamplePeers wsPort wssPort dir lifetimeSeconds}
 */
public final class ExamplePeers {
    private ExamplePeers() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: ExamplePeers wsPort wssPort dir lifetimeSeconds");
        }
        int wsPort = Integer.parseInt(args[0]);
        int wssPort = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        Duration lifetime = Duration.ofSeconds(Long.parseLong(args[3]));
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("ready"));
        TestPki pki = TestPki.create(Files.createTempDirectory(dir, "pki"));
        Files.copy(pki.caCert(), dir.resolve("ca.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pki.clientCert(TestPki.KeyForm.EC_PKCS8_ENCRYPTED), dir.resolve("client.pem"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pki.clientKey(TestPki.KeyForm.EC_PKCS8_ENCRYPTED), dir.resolve("client.key"),
                StandardCopyOption.REPLACE_EXISTING);

        Server server = new Server();
        ServerConnector plain = new ServerConnector(server);
        plain.setHost("127.0.0.1");
        plain.setPort(wsPort);
        server.addConnector(plain);

        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(pki.serverContext(TestPki.ServerCert.LOCALHOST));
        ssl.setNeedClientAuth(true);
        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer(new SecureRequestCustomizer());
        ServerConnector secure = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(http));
        secure.setHost("127.0.0.1");
        secure.setPort(wssPort);
        server.addConnector(secure);

        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(Duration.ofMinutes(2));
            container.addMapping("/echo", (request, response, callback) -> new JettyEcho());
            container.addMapping("/drop", (request, response, callback) -> new EchoThenDrop());
        }));
        server.start();
        Files.writeString(dir.resolve("ready"), "ws://127.0.0.1:" + wsPort + "/echo\n");
        System.out.println("example peers: ws://127.0.0.1:" + wsPort + "/echo, wss://127.0.0.1:" + wssPort
                + "/echo (client certificate required), /drop on both");

        Instant end = Instant.now().plus(lifetime);
        while (Instant.now().isBefore(end) && !Files.exists(dir.resolve("stop"))) {
            Thread.sleep(200);
        }
        server.stop();
    }

    /** Echoes a text message, then ends the connection as a restarting server would (1001). */
    public static final class EchoThenDrop extends JettyEcho {
        @Override
        public void onWebSocketText(String message) {
            session.sendText(message, Callback.from(() -> session.close(1001, "going away", Callback.NOOP),
                    failure -> session.close(1011, "echo failed", Callback.NOOP)));
        }
    }
}
