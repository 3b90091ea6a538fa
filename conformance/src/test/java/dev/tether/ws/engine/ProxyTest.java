package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.ProxyAuthenticator;
import dev.tether.ws.ProxyException;
import dev.tether.ws.Received;
import dev.tether.ws.State;
import dev.tether.ws.TlsOptions;
import dev.tether.ws.WebSocket;
import dev.tether.ws.WsProxy;
import dev.tether.ws.testing.JettyConnectProxy;
import dev.tether.ws.testing.JettyEchoServer;
import dev.tether.ws.testing.JettyTlsEchoServer;
import dev.tether.ws.testing.SocksProxyServer;
import dev.tether.ws.testing.TestPki;
import dev.tether.ws.testing.TestPki.ServerCert;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.Authenticator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proxies written by others, started here over loopback: Jetty 12's {@code ConnectHandler} as
 * the HTTP {@code CONNECT} proxy (open, and requiring Basic authentication through its own hook)
 * and a SOCKS5 server built from Netty's SOCKS codec (open, and requiring RFC 1929
 * username/password). Echo of small and 16 MiB messages through each, to {@code ws://} and
 * {@code wss://} servers, on every transport; each proxy counts the tunnels it opened and records
 * what each asked for, so the tests see the traffic went through it and that the server's name
 * reached it unresolved. Then selection ({@link ProxySelector}, {@code NO_PROXY}), refusals and
 * their messages, the connect deadline over a proxy that never answers, and {@code close()}
 * during the proxy hop.
 */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyTest {
    private static final Duration CONNECT = Duration.ofSeconds(10);
    private static final String USER = "alice";
    /** Not ASCII: Basic credentials are UTF-8 (RFC 7617 section 2.1). */
    private static final String PASSWORD = "s3cret pässword";
    /** ASCII: RFC 1929 names no charset, and Netty's decoder reads US-ASCII. */
    private static final String SOCKS_PASSWORD = "s3cret-socks";
    private static final int LARGE = 16 << 20;

    @Parameter
    String transport;

    private Path dir;
    private TestPki pki;
    private JettyEchoServer plain;
    private JettyTlsEchoServer tls;
    private JettyConnectProxy httpOpen;
    private JettyConnectProxy httpAuth;
    private SocksProxyServer socksOpen;
    private SocksProxyServer socksAuth;
    /** Every name the client's resolver was asked for, in the test that installs it. */
    private final List<String> resolved = new CopyOnWriteArrayList<>();

    /** How a test reaches the server: which proxy, with or without required credentials. */
    enum Route {
        HTTP, HTTP_WITH_BASIC_AUTH, SOCKS5, SOCKS5_WITH_PASSWORD
    }

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("tether-proxy-" + transport);
        pki = TestPki.create(dir);
        plain = new JettyEchoServer();
        tls = new JettyTlsEchoServer(pki.serverContext(ServerCert.LOCALHOST), false);
        httpOpen = new JettyConnectProxy();
        httpAuth = new JettyConnectProxy(USER, PASSWORD);
        socksOpen = new SocksProxyServer();
        socksAuth = new SocksProxyServer(USER, SOCKS_PASSWORD);
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {plain, tls, httpOpen, httpAuth, socksOpen, socksAuth}) {
            if (c != null) {
                c.close();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @BeforeEach
    void clear() {
        resolved.clear();
        tls.sniNames().clear();
        for (JettyConnectProxy p : new JettyConnectProxy[] {httpOpen, httpAuth}) {
            p.requests().clear();
            p.authorizations().clear();
        }
        socksOpen.requests().clear();
        socksAuth.requests().clear();
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The server by name ("localhost"): the proxy must get the name, and wss checks it. */
    private URI target(boolean secure) {
        return secure ? tls.uri("localhost", "/echo") : URI.create("ws://localhost:" + plain.port() + "/echo");
    }

    private WsProxy proxyFor(Route route) {
        return switch (route) {
            case HTTP -> WsProxy.http("127.0.0.1", httpOpen.port());
            case HTTP_WITH_BASIC_AUTH -> WsProxy.http("127.0.0.1", httpAuth.port()).withCredentials(USER, PASSWORD.toCharArray());
            case SOCKS5 -> WsProxy.socks5("127.0.0.1", socksOpen.port());
            case SOCKS5_WITH_PASSWORD -> WsProxy.socks5("127.0.0.1", socksAuth.port())
                    .withCredentials(USER, SOCKS_PASSWORD.toCharArray());
        };
    }

    private int tunnels(Route route) {
        return switch (route) {
            case HTTP -> httpOpen.tunnelsOpened();
            case HTTP_WITH_BASIC_AUTH -> httpAuth.tunnelsOpened();
            case SOCKS5 -> socksOpen.tunnelsOpened();
            case SOCKS5_WITH_PASSWORD -> socksAuth.tunnelsOpened();
        };
    }

    /** What the proxy was asked to connect to, as it recorded it. */
    private String requested(Route route) throws InterruptedException {
        return switch (route) {
            case HTTP -> httpOpen.requests().poll(5, TimeUnit.SECONDS);
            case HTTP_WITH_BASIC_AUTH -> httpAuth.requests().poll(5, TimeUnit.SECONDS);
            case SOCKS5 -> socksOpen.requests().poll(5, TimeUnit.SECONDS);
            case SOCKS5_WITH_PASSWORD -> socksAuth.requests().poll(5, TimeUnit.SECONDS);
        };
    }

    /** A builder whose resolver records what it is asked, and trusts the test CA for wss. */
    private WebSocket.Builder builder(URI uri) {
        return WebSocket.builder(uri.toString()).transport(transport)
                .tls(TlsOptions.defaults().caCert(pki.caCert()))
                .resolver(host -> {
                    resolved.add(host);
                    return List.of(InetAddress.getAllByName(host));
                });
    }

    private static void assertEchoes(WebSocket ws, String text) {
        assertThat(ws.send(text)).isTrue();
        Received r = ws.recv(Duration.ofSeconds(10));
        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(r.data().text()).isEqualTo(text);
    }

    private static void assertConnects(WebSocket ws) {
        assertThat(ws.connect(CONNECT)).as("connect: %s", ws.lastError()).isTrue();
    }

    /** connect() is false, the socket closed, and the error is a ProxyException. */
    private static ProxyException refused(WebSocket ws) {
        assertThat(ws.connect(CONNECT)).isFalse();
        assertThat(ws.state()).isEqualTo(State.CLOSED);
        assertThat(ws.lastError()).isInstanceOf(ProxyException.class);
        return (ProxyException) ws.lastError();
    }

    // ---- echo through every proxy -------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Route.class)
    void smallAnd16MiBMessagesEchoThroughTheProxyToWs(Route route) throws Exception {
        echoesThrough(route, false);
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void smallAnd16MiBMessagesEchoThroughTheProxyToWssWithTheServersNameForSniAndTheCheck(Route route)
            throws Exception {
        echoesThrough(route, true);
        // TLS ran inside the tunnel, end to end with the server: SNI and the certificate check
        // (trusting only the test CA, name checked) used the server's name, not the proxy's.
        assertThat(tls.sniNames().poll(5, TimeUnit.SECONDS)).isEqualTo("localhost");
    }

    private void echoesThrough(Route route, boolean secure) throws Exception {
        int before = tunnels(route);
        URI uri = target(secure);
        try (WebSocket ws = builder(uri).proxy(proxyFor(route)).build()) {
            assertConnects(ws);
            assertEchoes(ws, "hello through " + route);
            byte[] large = new byte[LARGE];
            new Random(16).nextBytes(large);
            assertThat(ws.send(large)).isTrue();
            Received r = ws.recv(Duration.ofSeconds(60));
            assertThat(r.ok()).as("%s", r).isTrue();
            assertThat(r.data().bytes()).isEqualTo(large);
        }
        assertThat(tunnels(route)).as("tunnels the proxy opened").isEqualTo(before + 1);
        // The server's name reached the proxy unresolved (HTTP CONNECT, SOCKS5 by default): the
        // client resolved nothing but the proxy's address, which is a literal here.
        String expected = (route == Route.SOCKS5 || route == Route.SOCKS5_WITH_PASSWORD ? "DOMAIN " : "")
                + "localhost:" + uri.getPort();
        assertThat(requested(route)).isEqualTo(expected);
        assertThat(resolved).as("names the client resolved").isEmpty();
    }

    @Test
    void socks5WithLocalResolutionSendsTheAddressNotTheName() throws Exception {
        URI uri = target(false);
        try (WebSocket ws = builder(uri).proxy(WsProxy.socks5("127.0.0.1", socksOpen.port()).resolveLocally(true)).build()) {
            assertConnects(ws);
            assertEchoes(ws, "resolved here");
        }
        assertThat(resolved).containsExactly("localhost");
        assertThat(socksOpen.requests().poll(5, TimeUnit.SECONDS)).isEqualTo("IPv4 127.0.0.1:" + uri.getPort());
    }

    // ---- selection ----------------------------------------------------------------------------

    /** Proxies only the test's server (the JVM's other tests keep their way), recording what it is asked. */
    private static final class OneServerSelector extends ProxySelector {
        final List<URI> asked = new CopyOnWriteArrayList<>();
        final List<URI> failed = new CopyOnWriteArrayList<>();
        private final int serverPort;
        private final Proxy proxy;

        OneServerSelector(int serverPort, Proxy proxy) {
            this.serverPort = serverPort;
            this.proxy = proxy;
        }

        @Override
        public List<Proxy> select(URI uri) {
            asked.add(uri);
            return List.of(uri.getPort() == serverPort ? proxy : Proxy.NO_PROXY);
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            failed.add(uri);
        }
    }

    @Test
    void theDefaultProxySelectorIsAskedForWsAsHttpAndWssAsHttps() throws Exception {
        OneServerSelector selector = new OneServerSelector(plain.port(),
                new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("127.0.0.1", httpOpen.port())));
        OneServerSelector tlsSelector = new OneServerSelector(tls.port(),
                new Proxy(Proxy.Type.SOCKS, InetSocketAddress.createUnresolved("127.0.0.1", socksOpen.port())));
        ProxySelector saved = ProxySelector.getDefault();
        int http = httpOpen.tunnelsOpened();
        int socks = socksOpen.tunnelsOpened();
        try {
            ProxySelector.setDefault(selector);
            try (WebSocket ws = builder(target(false)).build()) {
                assertConnects(ws);
                assertEchoes(ws, "picked by the default selector");
            }
            ProxySelector.setDefault(tlsSelector);
            try (WebSocket ws = builder(target(true)).build()) {
                assertConnects(ws);
                assertEchoes(ws, "SOCKS5 picked by the default selector");
            }
        } finally {
            ProxySelector.setDefault(saved);
        }
        assertThat(selector.asked).containsExactly(URI.create("http://localhost:" + plain.port() + "/"));
        assertThat(tlsSelector.asked).containsExactly(URI.create("https://localhost:" + tls.port() + "/"));
        assertThat(httpOpen.tunnelsOpened()).isEqualTo(http + 1);
        assertThat(socksOpen.tunnelsOpened()).isEqualTo(socks + 1);
    }

    @Test
    void aSelectorOnTheBuilderIsAskedAtEveryConnect() throws Exception {
        OneServerSelector selector = new OneServerSelector(plain.port(),
                new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", httpOpen.port())));
        int before = httpOpen.tunnelsOpened();
        try (WebSocket ws = builder(target(false)).proxySelector(selector).build()) {
            assertConnects(ws);
            ws.close();
            assertConnects(ws);
            assertEchoes(ws, "reconnected through the proxy");
        }
        assertThat(selector.asked).hasSize(2);
        assertThat(httpOpen.tunnelsOpened()).isEqualTo(before + 2);
    }

    @Test
    void noProxyBypassesTheDefaultSelector() throws Exception {
        OneServerSelector selector = new OneServerSelector(plain.port(),
                new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("127.0.0.1", httpOpen.port())));
        ProxySelector saved = ProxySelector.getDefault();
        int before = httpOpen.tunnelsOpened();
        try {
            ProxySelector.setDefault(selector);
            for (WebSocket.Builder b : List.of(builder(target(false)).proxy(Proxy.NO_PROXY),
                    builder(target(false)).proxy(WsProxy.NONE))) {
                try (WebSocket ws = b.build()) {
                    assertConnects(ws);
                    assertEchoes(ws, "direct");
                }
            }
        } finally {
            ProxySelector.setDefault(saved);
        }
        assertThat(selector.asked).isEmpty();
        assertThat(httpOpen.tunnelsOpened()).isEqualTo(before);
        assertThat(resolved).as("connected directly: the client resolved the server's name").contains("localhost");
    }

    // ---- refusals -----------------------------------------------------------------------------

    @Test
    void aWrongPasswordGets407AndAnErrorNamingTheProxyAndTheUser() {
        WsProxy proxy = WsProxy.http("127.0.0.1", httpAuth.port()).withCredentials(USER, "wrong".toCharArray());
        int before = httpAuth.refusedAuthentications();
        try (WebSocket ws = builder(target(false)).proxy(proxy).build()) {
            ProxyException e = refused(ws);
            assertThat(e.code()).isEqualTo(407);
            assertThat(e.proxy()).isEqualTo(proxy);
            assertThat(e.getMessage())
                    .startsWith("HTTP proxy 127.0.0.1:" + httpAuth.port() + " refused CONNECT to localhost:" + plain.port()
                            + ": HTTP/1.1 407 Proxy Authentication Required")
                    .contains("the credentials for user \"alice\" were refused")
                    .contains("Basic realm=\"" + JettyConnectProxy.REALM + "\"")
                    .doesNotContain("wrong");
        }
        assertThat(httpAuth.refusedAuthentications()).isEqualTo(before + 1);
    }

    @Test
    void noCredentialsGet407AndAnErrorThatSaysHowToGiveThem() {
        try (WebSocket ws = builder(target(false)).proxy(WsProxy.http("127.0.0.1", httpAuth.port())).build()) {
            ProxyException e = refused(ws);
            assertThat(e.code()).isEqualTo(407);
            assertThat(e.getMessage()).contains("407 Proxy Authentication Required")
                    .contains("it requires authentication").contains("WsProxy.withCredentials");
        }
    }

    @Test
    void theAuthenticatorAnswersA407ChallengeAndTheConnectIsRetriedOnce() throws Exception {
        List<ProxyAuthenticator.Challenge> challenges = new CopyOnWriteArrayList<>();
        try (JettyConnectProxy tokenProxy = new JettyConnectProxy("Bearer token-1")) {
            WsProxy proxy = WsProxy.http("127.0.0.1", tokenProxy.port()).authenticator(c -> {
                challenges.add(c);
                return "Bearer token-1";
            });
            try (WebSocket ws = builder(target(false)).proxy(proxy).build()) {
                assertConnects(ws);
                assertEchoes(ws, "after the challenge");
            }
            assertThat(tokenProxy.authorizations()).containsExactly("", "Bearer token-1");
            assertThat(tokenProxy.tunnelsOpened()).isEqualTo(1);
        }
        assertThat(challenges).singleElement().satisfies(c -> {
            assertThat(c.statusLine()).isEqualTo("407 Proxy Authentication Required");
            assertThat(c.target()).isEqualTo("localhost:" + plain.port());
            assertThat(c.proxyAuthenticate()).containsExactly("Basic realm=\"" + JettyConnectProxy.REALM + "\"");
        });
    }

    @Test
    void aSecond407AfterTheAuthenticatorsAnswerFailsWithoutAThirdTry() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        try (JettyConnectProxy tokenProxy = new JettyConnectProxy("Bearer right")) {
            WsProxy proxy = WsProxy.http("127.0.0.1", tokenProxy.port()).authenticator(c -> {
                asked.incrementAndGet();
                return "Bearer wrong";
            });
            try (WebSocket ws = builder(target(false)).proxy(proxy).build()) {
                ProxyException e = refused(ws);
                assertThat(e.code()).isEqualTo(407);
                assertThat(e.getMessage()).contains("the ProxyAuthenticator's answer was refused too");
            }
            assertThat(tokenProxy.authorizations()).containsExactly("", "Bearer wrong");
        }
        assertThat(asked).hasValue(1);
    }

    @Test
    void theJvmsDefaultAuthenticatorGivesCredentialsWhenTheProxyAsksAndTheUserGaveNone() {
        List<String> asked = new CopyOnWriteArrayList<>();
        Authenticator saved = Authenticator.getDefault();
        Authenticator.setDefault(new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                asked.add(getRequestorType() + " " + getRequestingProtocol() + " " + getRequestingHost() + ":"
                        + getRequestingPort() + " " + getRequestingPrompt());
                String password = getRequestingProtocol().equals("SOCKS5") ? SOCKS_PASSWORD : PASSWORD;
                return new PasswordAuthentication(USER, password.toCharArray());
            }
        });
        try {
            for (WsProxy proxy : List.of(WsProxy.http("127.0.0.1", httpAuth.port()),
                    WsProxy.socks5("127.0.0.1", socksAuth.port()))) {
                try (WebSocket ws = builder(target(false)).proxy(proxy).build()) {
                    assertConnects(ws);
                    assertEchoes(ws, "with the JVM's credentials through " + proxy);
                }
            }
        } finally {
            Authenticator.setDefault(saved);
        }
        assertThat(asked).containsExactly(
                "PROXY http 127.0.0.1:" + httpAuth.port() + " " + JettyConnectProxy.REALM,
                "PROXY SOCKS5 127.0.0.1:" + socksAuth.port() + " SOCKS authentication");
    }

    @Test
    void anHttpProxyThatCannotReachTheServerSaysSoWithItsStatusLine() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (WebSocket ws = builder(URI.create("ws://127.0.0.1:" + closedPort + "/"))
                .proxy(WsProxy.http("127.0.0.1", httpOpen.port())).build()) {
            ProxyException e = refused(ws);
            assertThat(e.code()).isBetween(500, 599);
            assertThat(e.getMessage()).startsWith("HTTP proxy 127.0.0.1:" + httpOpen.port()
                    + " refused CONNECT to 127.0.0.1:" + closedPort + ": HTTP/1.1 " + e.code());
        }
    }

    @Test
    void aSocks5ProxyThatCannotReachTheServerSaysSoWithItsReplyCodeNamed() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (WebSocket ws = builder(URI.create("ws://127.0.0.1:" + closedPort + "/"))
                .proxy(WsProxy.socks5("127.0.0.1", socksOpen.port())).build()) {
            ProxyException e = refused(ws);
            assertThat(e.code()).isEqualTo(5);
            assertThat(e.getMessage()).isEqualTo("SOCKS5 proxy 127.0.0.1:" + socksOpen.port() + " refused CONNECT to 127.0.0.1:"
                    + closedPort + ": reply 5 (connection refused, RFC 1928 section 6)");
        }
    }

    @Test
    void aSocks5WrongPasswordIsRefusedNamingTheUser() {
        int before = socksAuth.refusedLogins();
        WsProxy proxy = WsProxy.socks5("127.0.0.1", socksAuth.port()).withCredentials(USER, "wrong".toCharArray());
        try (WebSocket ws = builder(target(false)).proxy(proxy).build()) {
            ProxyException e = refused(ws);
            assertThat(e.getMessage()).isEqualTo("SOCKS5 proxy 127.0.0.1:" + socksAuth.port()
                    + " refused the username and password of user \"alice\" (RFC 1929 status " + e.code() + ")");
            assertThat(e.code()).isNotZero();
        }
        assertThat(socksAuth.refusedLogins()).isEqualTo(before + 1);
    }

    @Test
    void aSocks5ProxyThatRequiresAPasswordRefusesAClientWithout() {
        try (WebSocket ws = builder(target(false)).proxy(WsProxy.socks5("127.0.0.1", socksAuth.port())).build()) {
            ProxyException e = refused(ws);
            assertThat(e.code()).isEqualTo(0xFF);
            assertThat(e.getMessage()).contains("accepts none of the authentication methods offered")
                    .contains("WsProxy.withCredentials");
        }
    }

    @Test
    void aProxyThatRefusesTcpIsNamedInTheError() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (WebSocket ws = builder(target(false)).proxy(WsProxy.http("127.0.0.1", closedPort)).build()) {
            assertThat(ws.connect(CONNECT)).isFalse();
            assertThat(ws.lastError()).hasMessageStartingWith("connect to HTTP proxy 127.0.0.1:" + closedPort + " failed");
        }
    }

    // ---- the deadline and close() over the proxy hop ----------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"HTTP", "SOCKS5"})
    void theConnectTimeoutCoversAProxyThatAcceptsAndNeverAnswers(String type) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = acceptOne(silent);
            WsProxy proxy = type.equals("HTTP") ? WsProxy.http("127.0.0.1", silent.getLocalPort())
                    : WsProxy.socks5("127.0.0.1", silent.getLocalPort());
            try (WebSocket ws = builder(target(false)).proxy(proxy).build()) {
                assertThat(ws.connect(Duration.ofMillis(800))).isFalse();
                assertThat(ws.state()).isEqualTo(State.CLOSED);
                assertThat(ws.lastError()).isInstanceOf(SocketTimeoutException.class)
                        .hasMessageContaining("CONNECT to localhost:" + plain.port() + " through " + proxy)
                        .hasMessageContaining("timed out after");
            }
            try (Socket peer = accepted.get(5, TimeUnit.SECONDS)) {
                assertClosedByClient(peer);
            }
        }
    }

    @Test
    void closeDuringTheProxyHopCallsTheConnectOffAndClosesTheSocket() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = acceptOne(silent);
            WebSocket ws = builder(target(true)).proxy(WsProxy.http("127.0.0.1", silent.getLocalPort())).build();
            CompletableFuture<Boolean> connect = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> connect.complete(ws.connect(Duration.ofSeconds(20))));
            try (Socket peer = accepted.get(5, TimeUnit.SECONDS)) {
                Thread.sleep(200);  // the CONNECT is out; the client waits for the proxy's answer
                ws.close();
                assertThat(connect.get(5, TimeUnit.SECONDS)).as("connect() result").isFalse();
                assertThat(ws.state()).isEqualTo(State.CLOSED);
                assertThat(ws.lastError()).isInstanceOf(InterruptedIOException.class)
                        .hasMessageContaining("called off");
                assertClosedByClient(peer);
            }
        }
    }

    private static CompletableFuture<Socket> acceptOne(ServerSocket listener) {
        CompletableFuture<Socket> accepted = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                accepted.complete(listener.accept());
            } catch (IOException e) {
                accepted.completeExceptionally(e);
            }
        });
        return accepted;
    }

    /** The proxy's side reads what the client sent, then the end of the stream: the client closed it. */
    private static void assertClosedByClient(Socket peer) throws IOException {
        peer.setSoTimeout(5_000);
        InputStream in = peer.getInputStream();
        byte[] buffer = new byte[1024];
        int total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
            assertThat(total).as("bytes from the client").isLessThan(1 << 16);
        }
        assertThat(total).as("the client sent its request before closing").isPositive();
    }
}
