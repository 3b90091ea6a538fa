package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ws.Received;
import dev.tether.ws.State;
import dev.tether.ws.TlsOptions;
import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.JettyTlsEchoServer;
import dev.tether.ws.testing.TestPki;
import dev.tether.ws.testing.TestPki.KeyForm;
import dev.tether.ws.testing.TestPki.ServerCert;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
 * {@code wss://} on every transport against Jetty 12 over TLS, with a PKI made at test time
 * ({@link TestPki}): trust (caCert, the JDK's default store, trust-all), host names (SNI,
 * mismatch, insist), an expired certificate, mutual TLS with every PEM key form, files that
 * cannot be used, TLS 1.2 and 1.3, and large and many messages.
 */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsTest {
    private static final Duration CONNECT = Duration.ofSeconds(10);

    @Parameter
    String transport;

    /** The PKI's files; made in {@code start}, as a field {@code @TempDir} is not there yet. */
    private Path dir;

    private TestPki pki;
    private JettyTlsEchoServer server;
    private JettyTlsEchoServer mutual;
    private JettyTlsEchoServer otherHost;
    private JettyTlsEchoServer expired;
    private JettyTlsEchoServer tls12;
    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    /** Held strongly: JUL keeps loggers weakly, and the handler must stay attached. */
    private final Logger tlsLog = Logger.getLogger("dev.tether.ws.internal.ClientTls");

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("tether-tls-" + transport);
        pki = TestPki.create(dir);
        server = new JettyTlsEchoServer(pki.serverContext(ServerCert.LOCALHOST), false);
        mutual = new JettyTlsEchoServer(pki.serverContext(ServerCert.LOCALHOST), true);
        otherHost = new JettyTlsEchoServer(pki.serverContext(ServerCert.OTHER_HOST), false);
        expired = new JettyTlsEchoServer(pki.serverContext(ServerCert.EXPIRED), false);
        tls12 = new JettyTlsEchoServer(pki.serverContext(ServerCert.LOCALHOST), true, "TLSv1.2");
        tlsLog.addHandler(capture);
    }

    @AfterAll
    void stop() throws IOException {
        tlsLog.removeHandler(capture);
        for (JettyTlsEchoServer s : new JettyTlsEchoServer[] {server, mutual, otherHost, expired, tls12}) {
            if (s != null) {
                s.close();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @BeforeEach
    void clearRecords() {
        warnings.clear();
        server.sniNames().clear();
        server.protocols().clear();
        tls12.protocols().clear();
    }

    @AfterEach
    void noOtherWarnings() {
        warnings.clear();
    }

    private WebSocket ws(URI uri, TlsOptions tls) {
        return WebSocket.builder(uri.toString()).transport(transport).tls(tls).build();
    }

    private static void assertEchoes(WebSocket ws) {
        assertThat(ws.connect(CONNECT)).as("connect: %s", ws.lastError()).isTrue();
        assertThat(ws.send("hello over TLS")).isTrue();
        Received r = ws.recv(Duration.ofSeconds(10));
        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(r.data().text()).isEqualTo("hello over TLS");
    }

    /** Connect fails, never throws, and the error is a handshake failure with this message. */
    private static String failsToConnect(WebSocket ws) {
        assertThat(ws.connect(CONNECT)).isFalse();
        assertThat(ws.state()).isEqualTo(State.CLOSED);
        Throwable error = ws.lastError();
        assertThat(error).isInstanceOf(SSLHandshakeException.class);
        return error.getMessage();
    }

    private TlsOptions trustingTheTestCa() {
        return TlsOptions.defaults().caCert(pki.caCert());
    }

    // ---- trust --------------------------------------------------------------------------------

    @Test
    void echoesWithCaCertAndWithACaBundle() {
        try (WebSocket ws = ws(server.uri("/echo"), trustingTheTestCa())) {
            assertEchoes(ws);
            byte[] data = new byte[100_000];
            new Random(1).nextBytes(data);
            assertThat(ws.send(data)).isTrue();
            assertThat(ws.recv(Duration.ofSeconds(10)).data().bytes()).isEqualTo(data);
        }
        try (WebSocket ws = ws(server.uri("/echo"), TlsOptions.defaults().caCert(pki.caBundle()))) {
            assertEchoes(ws);
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void jdkDefaultTrustStoreDoesNotKnowTheTestCa() {
        try (WebSocket ws = ws(server.uri("/echo"), TlsOptions.defaults())) {
            assertThat(failsToConnect(ws)).startsWith("TLS handshake with 127.0.0.1:" + server.port() + " failed: unknown CA: ")
                    .contains("CN=localhost, issued by " + TestPki.CA_NAME)
                    .contains("the JDK's default trust store");
        }
        try (WebSocket ws = ws(server.uri("/echo"), TlsOptions.defaults().caCert(pki.otherCaCert()))) {
            assertThat(failsToConnect(ws)).contains("unknown CA: ")
                    .contains("does not chain to the CA in caCert " + pki.otherCaCert());
        }
    }

    @Test
    void insecureTrustAllConnectsAndWarnsOnEveryConnect() {
        try (WebSocket ws = ws(otherHost.uri("/echo"), TlsOptions.insecureTrustAll())) {
            assertEchoes(ws);
            ws.close();
            assertThat(ws.connect(CONNECT)).as("again: %s", ws.lastError()).isTrue();
        }
        assertThat(warnings).hasSize(2).allSatisfy(r -> assertThat(r.getMessage()).contains("insecureTrustAll()")
                .contains("NOT checked"));
    }

    // ---- host names ---------------------------------------------------------------------------

    @Test
    void sniIsSentForHostNamesNeverForAddresses() throws Exception {
        try (WebSocket ws = ws(server.uri("localhost", "/echo"), trustingTheTestCa())) {
            assertEchoes(ws);  // "localhost" is a dNSName on the certificate: the name check passes
        }
        assertThat(server.sniNames().poll(5, TimeUnit.SECONDS)).isEqualTo("localhost");
        try (WebSocket ws = ws(server.uri("/echo"), trustingTheTestCa())) {
            assertEchoes(ws);
        }
        assertThat(server.sniNames().poll(5, TimeUnit.SECONDS)).as("no SNI for 127.0.0.1").isEmpty();
    }

    @Test
    void certificateForAnotherHostFailsUnlessInsist() {
        try (WebSocket ws = ws(otherHost.uri("/echo"), trustingTheTestCa())) {
            assertThat(failsToConnect(ws)).contains("host-name mismatch: the server's certificate is for "
                    + TestPki.OTHER_HOST + ", not 127.0.0.1").contains("insist(true)");
        }
        try (WebSocket ws = ws(otherHost.uri("/echo"), trustingTheTestCa().insist(true))) {
            assertEchoes(ws);
        }
        assertThat(warnings).singleElement().satisfies(r -> assertThat(java.text.MessageFormat.format(r.getMessage(),
                r.getParameters())).contains("the certificate is for " + TestPki.OTHER_HOST + ", not 127.0.0.1"));
    }

    @Test
    void expiredCertificateFailsEvenWithInsist() {
        for (TlsOptions options : new TlsOptions[] {trustingTheTestCa(), trustingTheTestCa().insist(true)}) {
            try (WebSocket ws = ws(expired.uri("/echo"), options)) {
                assertThat(failsToConnect(ws)).contains("failed: expired: the server's certificate CN=localhost was valid until");
            }
        }
    }

    // ---- client certificates ------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(KeyForm.class)
    void mutualTlsWithEveryKeyForm(KeyForm form) {
        TlsOptions options = trustingTheTestCa().clientCert(pki.clientCert(form)).clientKey(pki.clientKey(form));
        if (form.encrypted()) {
            options = options.clientPassword(TestPki.PASSWORD);
        }
        try (WebSocket ws = ws(mutual.uri("/echo"), options)) {
            assertEchoes(ws);
        }
    }

    @Test
    void serverThatWantsAClientCertificateRefusesConnectionsWithout() {
        // TLS 1.2 refuses within the handshake, with a bare handshake_failure; or, when the
        // client was still writing its flight, the reset that follows the alert breaks that
        // write first: either way the error is about the client certificate.
        try (WebSocket ws = ws(tls12.uri("/echo"), trustingTheTestCa())) {
            assertThat(failsToConnect(ws)).containsAnyOf(
                    "the server requires a client certificate (alert handshake_failure); set TlsOptions.clientCert and clientKey",
                    "after asking for a client certificate: it probably requires one; set TlsOptions.clientCert and clientKey");
        }
        // TLS 1.3 refuses after the client's side of the handshake is done: the alert is the
        // first thing the connection reads, or the reset after it breaks the first write.
        for (int i = 0; i < 5; i++) {
            try (WebSocket ws = ws(mutual.uri("/echo"), trustingTheTestCa())) {
                assertThat(ws.connect(CONNECT)).isFalse();
                assertThat(ws.lastError()).isInstanceOf(SSLHandshakeException.class);
                assertThat(ws.lastError().getMessage()).startsWith("TLS handshake with 127.0.0.1:" + mutual.port() + " failed: ")
                        .containsAnyOf("the server requires a client certificate (alert certificate_required)",
                                "after asking for a client certificate: it probably requires one; set TlsOptions.clientCert");
            }
        }
    }

    @Test
    void filesThatCannotBeUsedFailAtBuildNamingTheFile() {
        URI uri = mutual.uri("/echo");
        Path encrypted = pki.clientKey(KeyForm.RSA_PKCS8_ENCRYPTED);
        Path legacy = pki.clientKey(KeyForm.EC_SEC1_ENCRYPTED);
        TlsOptions base = trustingTheTestCa();

        assertThatThrownBy(() -> ws(uri, base.clientCert(pki.clientCert(KeyForm.RSA_PKCS8_ENCRYPTED)).clientKey(encrypted)
                .clientPassword("wrong".toCharArray())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("clientKey " + encrypted + ": wrong password")
                .hasMessageContaining("PBES2");
        assertThatThrownBy(() -> ws(uri, base.clientCert(pki.clientCert(KeyForm.EC_SEC1_ENCRYPTED)).clientKey(legacy)
                .clientPassword("wrong".toCharArray())))
                .hasMessageStartingWith("clientKey " + legacy + ": wrong password")
                .hasMessageContaining("Proc-Type: 4,ENCRYPTED");
        assertThatThrownBy(() -> ws(uri, base.clientCert(pki.clientCert(KeyForm.EC_SEC1_ENCRYPTED)).clientKey(legacy)))
                .hasMessageStartingWith("clientKey " + legacy + ": the key is encrypted")
                .hasMessageContaining("clientPassword");
        Path cert = pki.clientCert(KeyForm.RSA_PKCS8);
        assertThatThrownBy(() -> ws(uri, base.clientCert(cert).clientKey(cert)))
                .hasMessage("clientKey " + cert + ": holds no private key (found: 2 certificates)");
        assertThatThrownBy(() -> ws(uri, base.clientCert(pki.clientCert(KeyForm.EC_PKCS8))
                .clientKey(pki.clientKey(KeyForm.RSA_PKCS8))))
                .hasMessageStartingWith("clientKey " + pki.clientKey(KeyForm.RSA_PKCS8) + " does not belong to clientCert");
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> base.clientKey(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clientKey").hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> ws(uri, TlsOptions.defaults().caCert(pki.clientKey(KeyForm.EC_SEC1))))
                .hasMessage("caCert " + pki.clientKey(KeyForm.EC_SEC1) + ": holds no certificate (found: a private key)");
    }

    @Test
    void fileBrokenAfterBuildFailsTheConnectBeforeAnyConnection() throws Exception {
        Path key = Files.copy(pki.clientKey(KeyForm.EC_SEC1), dir.resolve("rotating-" + transport + ".key"));
        try (ServerSocket listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            String url = "wss://127.0.0.1:" + listener.getLocalPort() + "/echo";
            TlsOptions options = trustingTheTestCa().clientCert(pki.clientCert(KeyForm.EC_SEC1)).clientKey(key);
            try (WebSocket ws = WebSocket.builder(url).transport(transport).tls(options).build()) {
                Files.copy(pki.clientCert(KeyForm.EC_SEC1), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                assertThat(ws.connect(CONNECT)).isFalse();
                assertThat(ws.lastError()).hasMessage("clientKey " + key + ": holds no private key (found: 2 certificates)");
            }
            listener.setSoTimeout(300);
            assertThatThrownBy(listener::accept).as("no connection was made").isInstanceOf(SocketTimeoutException.class);
        }
    }

    // ---- protocol versions and volume ---------------------------------------------------------

    @Test
    void tls13ByDefaultAndTls12WhenTheServerOffersOnlyThat() throws Exception {
        try (WebSocket ws = ws(server.uri("/echo"), trustingTheTestCa())) {
            assertEchoes(ws);
        }
        assertThat(server.protocols().poll(5, TimeUnit.SECONDS)).isEqualTo("TLSv1.3");
        KeyForm form = KeyForm.RSA_PKCS1;
        TlsOptions options = trustingTheTestCa().clientCert(pki.clientCert(form)).clientKey(pki.clientKey(form));
        try (WebSocket ws = ws(tls12.uri("/echo"), options)) {
            assertEchoes(ws);
            byte[] data = new byte[3 << 20];
            new Random(12).nextBytes(data);
            assertThat(ws.send(data)).isTrue();
            assertThat(ws.recv(Duration.ofSeconds(30)).data().bytes()).isEqualTo(data);
        }
        assertThat(tls12.protocols().poll(5, TimeUnit.SECONDS)).isEqualTo("TLSv1.2");
    }

    @Test
    void sixteenMebibyteMessagesArriveWhole() {
        try (WebSocket ws = ws(server.uri("/echo"), trustingTheTestCa())) {
            assertThat(ws.connect(CONNECT)).as("connect: %s", ws.lastError()).isTrue();
            byte[] data = new byte[16 << 20];
            new Random(16).nextBytes(data);
            assertThat(ws.send(data)).isTrue();
            Received r = ws.recv(Duration.ofSeconds(30));
            assertThat(r.ok()).as("%s", r).isTrue();
            assertThat(r.data().bytes()).isEqualTo(data);
            String text = "wss ".repeat(4 << 20);
            assertThat(ws.send(text)).isTrue();
            assertThat(ws.recv(Duration.ofSeconds(30)).data().text()).isEqualTo(text);
        }
    }

    @Test
    void aThousandSmallMessagesArriveWholeAndInOrder() {
        try (WebSocket ws = ws(server.uri("/echo"), trustingTheTestCa())) {
            assertThat(ws.connect(CONNECT)).as("connect: %s", ws.lastError()).isTrue();
            for (int i = 0; i < 1000; i++) {
                assertThat(ws.send("message " + i)).isTrue();
            }
            for (int i = 0; i < 1000; i++) {
                Received r = ws.recv(Duration.ofSeconds(10));
                assertThat(r.ok()).as("message %d: %s", i, r).isTrue();
                assertThat(r.data().text()).isEqualTo("message " + i);
            }
        }
    }
}
