package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ws.Received;
import dev.tether.ws.State;
import dev.tether.ws.TlsOptions;
import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.JettyTlsEchoServer;
import dev.tether.ws.testing.ServerTlsSession;
import dev.tether.ws.testing.TestPki;
import dev.tether.ws.testing.TestPki.ServerCert;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TLS forms beyond PEM paths (issue 16), on every transport, against Jetty 12 over TLS with
 * a PKI made at test time: PKCS#12 and JKS stores for trust and for the client's key, a user's
 * SSLContext, plain trust and key managers, certificate pins, protocol and cipher-suite lists, an
 * SNI override, and TLS sessions resumed on reconnect, observed by the server.
 */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsFormsTest {
    private static final Duration CONNECT = Duration.ofSeconds(10);
    private static final char[] STORE_PASSWORD = "store secret".toCharArray();
    private static final char[] KEY_PASSWORD = "key secret".toCharArray();

    @Parameter
    String transport;

    private Path dir;
    private TestPki pki;
    private JettyTlsEchoServer server;
    private JettyTlsEchoServer mutual;
    private JettyTlsEchoServer otherHost;
    private JettyTlsEchoServer tls12;
    private Path p12Trust;
    private Path jksTrust;
    private Path p12Keys;
    private Path jksKeys;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("tether-tls-forms-" + transport);
        pki = TestPki.create(dir);
        server = new JettyTlsEchoServer(pki.serverContext(ServerCert.LOCALHOST), false);
        mutual = new JettyTlsEchoServer(pki.serverContext(ServerCert.LOCALHOST), true);
        otherHost = new JettyTlsEchoServer(pki.serverContext(ServerCert.OTHER_HOST), false);
        tls12 = new JettyTlsEchoServer(pki.serverContext(ServerCert.LOCALHOST), false, "TLSv1.2");
        p12Trust = pki.trustStore("PKCS12", STORE_PASSWORD);
        jksTrust = pki.trustStore("JKS", STORE_PASSWORD);
        p12Keys = pki.clientKeyStore("PKCS12", STORE_PASSWORD, STORE_PASSWORD);
        // JKS keeps a password per key: a different one, as keytool -keypass writes it.
        jksKeys = pki.clientKeyStore("JKS", STORE_PASSWORD, KEY_PASSWORD);
    }

    @AfterAll
    void stop() throws IOException {
        for (JettyTlsEchoServer s : new JettyTlsEchoServer[] {server, mutual, otherHost, tls12}) {
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
        for (JettyTlsEchoServer s : new JettyTlsEchoServer[] {server, mutual, otherHost, tls12}) {
            s.sessions().clear();
        }
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

    /** Connect fails, never throws, and the error is of {@code type}; returns its message. */
    private static String failsToConnect(WebSocket ws, Class<? extends Throwable> type) {
        assertThat(ws.connect(CONNECT)).isFalse();
        assertThat(ws.state()).isEqualTo(State.CLOSED);
        assertThat(ws.lastError()).isInstanceOf(type);
        return ws.lastError().getMessage();
    }

    private static ServerTlsSession lastSession(JettyTlsEchoServer s) throws InterruptedException {
        ServerTlsSession session = s.sessions().poll(5, TimeUnit.SECONDS);
        assertThat(session).as("the server recorded a handshake").isNotNull();
        return session;
    }

    private TlsOptions trustingP12() {
        return TlsOptions.defaults().trustStore(p12Trust, STORE_PASSWORD);
    }

    // ---- key stores ---------------------------------------------------------------------------

    @Test
    void pkcs12AndJksTrustStoresVerifyTheServer() throws Exception {
        try (WebSocket ws = ws(server.uri("/echo"), trustingP12())) {
            assertEchoes(ws);
        }
        try (WebSocket ws = ws(server.uri("/echo"), TlsOptions.defaults().trustStore(jksTrust, STORE_PASSWORD))) {
            assertEchoes(ws);
        }
        try (WebSocket ws = ws(server.uri("/echo"), TlsOptions.defaults().trustStore(pki.trustStoreOf("PKCS12")))) {
            assertEchoes(ws);
        }
        // A store that does not hold the server's CA is refused, and the error names the store.
        KeyStore stranger = KeyStore.getInstance("PKCS12");
        stranger.load(null, null);
        stranger.setCertificateEntry("not-a-ca", pki.serverCertificate(ServerCert.OTHER_HOST));
        try (WebSocket ws = ws(server.uri("/echo"), TlsOptions.defaults().trustStore(stranger))) {
            assertThat(failsToConnect(ws, SSLHandshakeException.class)).contains("unknown CA: the server's certificate "
                    + "CN=localhost, issued by " + TestPki.CA_NAME + ", does not chain to a CA in the trustStore");
        }
        // A store of keys only trusts nothing: refused when the WebSocket is built.
        assertThatThrownBy(() -> ws(server.uri("/echo"), TlsOptions.defaults().trustStore(p12Keys, STORE_PASSWORD)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("trustStore " + p12Keys + ": holds no trusted certificate entry");
    }

    @Test
    void pkcs12AndJksKeyStoresPresentTheClientCertificate() {
        try (WebSocket ws = ws(mutual.uri("/echo"), trustingP12().keyStore(p12Keys, STORE_PASSWORD))) {
            assertEchoes(ws);
        }
        try (WebSocket ws = ws(mutual.uri("/echo"), trustingP12().keyStore(jksKeys, STORE_PASSWORD, KEY_PASSWORD))) {
            assertEchoes(ws);
        }
    }

    @Test
    void wrongStorePasswordsFailAtBuildNamingTheOption() {
        char[] wrong = "wrong".toCharArray();
        URI uri = mutual.uri("/echo");
        assertThatThrownBy(() -> ws(uri, TlsOptions.defaults().trustStore(p12Trust, wrong)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("trustStore " + p12Trust + ": wrong trustStorePassword");
        assertThatThrownBy(() -> ws(uri, TlsOptions.defaults().trustStore(jksTrust, wrong)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("trustStore " + jksTrust + ": wrong trustStorePassword");
        assertThatThrownBy(() -> ws(uri, trustingP12().keyStore(p12Keys, wrong)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("keyStore " + p12Keys + ": wrong keyStorePassword");
        assertThatThrownBy(() -> ws(uri, trustingP12().keyStore(jksKeys, STORE_PASSWORD, wrong)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("keyStore " + jksKeys + ": wrong keyPassword for the key \"client\"");
        // Passwords never show in the options' text.
        assertThat(trustingP12().keyStore(jksKeys, STORE_PASSWORD, KEY_PASSWORD).toString())
                .contains("keyStore=" + jksKeys).contains("keyPassword=set")
                .doesNotContain(new String(STORE_PASSWORD)).doesNotContain(new String(KEY_PASSWORD));
    }

    @Test
    void twoSourcesOfTrustOrKeysAreRefusedNamingBoth() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        assertThatThrownBy(() -> TlsOptions.defaults().caCert(pki.caCert()).trustStore(p12Trust, STORE_PASSWORD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TlsOptions: caCert and trustStore are both set: give one source of trust");
        assertThatThrownBy(() -> trustingP12().sslContext(context))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("TlsOptions: sslContext and trustStore are both set");
        assertThatThrownBy(() -> TlsOptions.defaults().keyStore(p12Keys, STORE_PASSWORD)
                .clientCert(pki.clientCert(TestPki.KeyForm.EC_PKCS8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TlsOptions: clientCert and keyStore are both set: give one source of the client's key");
    }

    // ---- a user's SSLContext and managers -----------------------------------------------------

    @Test
    void userSslContextIsUsedAndTheHostNameStillChecked() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(pki.trustStoreOf("PKCS12"));
        KeyStore keys = KeyStore.getInstance(p12Keys.toFile(), STORE_PASSWORD);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys, STORE_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        TlsOptions options = TlsOptions.defaults().sslContext(context);
        try (WebSocket ws = ws(mutual.uri("/echo"), options)) {
            assertEchoes(ws);  // its trust verified the server, its key satisfied the server
        }
        try (WebSocket ws = ws(otherHost.uri("/echo"), options)) {
            assertThat(failsToConnect(ws, SSLHandshakeException.class))
                    .contains("host-name mismatch").contains("not 127.0.0.1");
        }
        SSLContext jdkDefaults = SSLContext.getInstance("TLS");
        jdkDefaults.init(null, null, null);
        try (WebSocket ws = ws(server.uri("/echo"), TlsOptions.defaults().sslContext(jdkDefaults))) {
            assertThat(failsToConnect(ws, SSLHandshakeException.class))
                    .contains("unknown CA: ").contains("does not chain to a CA the sslContext trusts");
        }
    }

    @Test
    void plainTrustAndKeyManagersWorkAndGetTheHostNameCheck() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(pki.trustStoreOf("PKCS12"));
        X509TrustManager pkix = (X509TrustManager) tmf.getTrustManagers()[0];
        X509TrustManager plain = new PlainTrust(pkix);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(KeyStore.getInstance(p12Keys.toFile(), STORE_PASSWORD), STORE_PASSWORD);
        X509KeyManager plainKeys = new PlainKeys((X509KeyManager) kmf.getKeyManagers()[0]);

        try (WebSocket ws = ws(mutual.uri("/echo"), TlsOptions.defaults().trustManager(plain).keyManager(plainKeys))) {
            assertEchoes(ws);
        }
        try (WebSocket ws = ws(otherHost.uri("/echo"), TlsOptions.defaults().trustManager(plain))) {
            assertThat(failsToConnect(ws, SSLHandshakeException.class)).contains("host-name mismatch: the server's "
                    + "certificate is for " + TestPki.OTHER_HOST + ", not 127.0.0.1");
        }
        try (WebSocket ws = ws(otherHost.uri("/echo"), TlsOptions.defaults().trustManager(plain).insist(true))) {
            assertEchoes(ws);  // insist: the chain is verified, the name is not
        }
    }

    /** A trust manager of the plain interface only, as older code writes them. */
    private record PlainTrust(X509TrustManager delegate) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }

    /** A key manager of the plain interface only. */
    private record PlainKeys(X509KeyManager delegate) implements X509KeyManager {
        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }

    // ---- pins ---------------------------------------------------------------------------------

    @Test
    void aPinOfTheServersKeyOrOfItsCaConnects() {
        String leaf = pinOf(pki.serverCertificate(ServerCert.LOCALHOST));
        String ca = pinOf(pki.ca());
        try (WebSocket ws = ws(server.uri("/echo"), trustingP12().pin(leaf))) {
            assertEchoes(ws);
        }
        try (WebSocket ws = ws(server.uri("/echo"), trustingP12().pin(wrongPin(), ca))) {
            assertEchoes(ws);
        }
    }

    @Test
    void aWrongPinFailsTheConnectListingTheChainsPins() {
        String wrong = wrongPin();
        try (WebSocket ws = ws(server.uri("/echo"), trustingP12().pin(wrong))) {
            assertThat(failsToConnect(ws, SSLPeerUnverifiedException.class)).isEqualTo(
                    "TLS handshake with 127.0.0.1:" + server.port() + " failed: Certificate pinning failure!"
                    + "\n  Peer certificate chain:"
                    + "\n    " + pinOf(pki.serverCertificate(ServerCert.LOCALHOST)) + ": CN=localhost"
                    + "\n    " + pinOf(pki.ca()) + ": " + TestPki.CA_NAME
                    + "\n  Pinned certificates for 127.0.0.1:"
                    + "\n    " + wrong);
            assertThat(ws.online()).isFalse();
        }
    }

    @Test
    void pinsOfAnotherFormAreRefusedNamingThem() {
        assertThatThrownBy(() -> TlsOptions.defaults().pin("sha1/BOGUS"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("pin \"sha1/BOGUS\": a pin is \"sha256/\"").hasMessageEndingWith("sha1 pins are not supported");
        assertThatThrownBy(() -> TlsOptions.defaults().pin("sha256/AAAA"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pin \"sha256/AAAA\": 3 bytes after \"sha256/\", a SHA-256 hash has 32");
        assertThatThrownBy(() -> TlsOptions.defaults().pin("sha256/not base64!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("pin \"sha256/not base64!\": not base64");
    }

    /** OkHttp's form, computed here independently: sha256/ + base64(SHA-256(DER SubjectPublicKeyInfo)). */
    private static String pinOf(X509Certificate certificate) {
        try {
            return "sha256/" + Base64.getEncoder().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String wrongPin() {
        byte[] hash = new byte[32];
        java.util.Arrays.fill(hash, (byte) 0x5a);
        return "sha256/" + Base64.getEncoder().encodeToString(hash);
    }

    // ---- protocols, cipher suites, SNI --------------------------------------------------------

    @Test
    void tls12OnlyAndTls13OnlyAreWhatTheServerNegotiates() throws Exception {
        try (WebSocket ws = ws(server.uri("/echo"), trustingP12().protocols("TLSv1.2"))) {
            assertEchoes(ws);
        }
        assertThat(lastSession(server).protocol()).isEqualTo("TLSv1.2");
        try (WebSocket ws = ws(server.uri("/echo"), trustingP12().protocols("TLSv1.3"))) {
            assertEchoes(ws);
        }
        assertThat(lastSession(server).protocol()).isEqualTo("TLSv1.3");
        // A 1.3-only client and a 1.2-only server share no version.
        try (WebSocket ws = ws(tls12.uri("/echo"), trustingP12().protocols("TLSv1.3"))) {
            assertThat(failsToConnect(ws, SSLHandshakeException.class)).startsWith("TLS handshake with 127.0.0.1:"
                    + tls12.port() + " failed: ");
        }
        assertThatThrownBy(() -> ws(server.uri("/echo"), trustingP12().protocols("TLSv1.4")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("protocols: \"TLSv1.4\" is not supported by this JDK's TLS (supported: ");
    }

    @Test
    void cipherSuiteListIsWhatTheServerChoosesFrom() throws Exception {
        String suite = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";  // the server's key is EC P-256
        try (WebSocket ws = ws(server.uri("/echo"), trustingP12().protocols("TLSv1.2").cipherSuites(suite))) {
            assertEchoes(ws);
        }
        assertThat(lastSession(server).cipherSuite()).isEqualTo(suite);
        try (WebSocket ws = ws(server.uri("/echo"), trustingP12().cipherSuites("TLS_CHACHA20_POLY1305_SHA256"))) {
            assertEchoes(ws);
        }
        assertThat(lastSession(server).cipherSuite()).isEqualTo("TLS_CHACHA20_POLY1305_SHA256");
        assertThatThrownBy(() -> ws(server.uri("/echo"), trustingP12().cipherSuites("TLS_NO_SUCH_SUITE")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cipherSuites: \"TLS_NO_SUCH_SUITE\" is not supported");
    }

    @Test
    void sniOverrideIsSentAndTheCertificateCheckedAgainstIt() throws Exception {
        try (WebSocket ws = ws(server.uri("/echo"), trustingP12().serverName("localhost"))) {
            assertEchoes(ws);  // to 127.0.0.1, which by itself sends no SNI
        }
        assertThat(lastSession(server).sniName()).isEqualTo("localhost");
        // Fronting: the URL names an address, the certificate is for the SNI name.
        try (WebSocket ws = ws(otherHost.uri("/echo"), trustingP12().serverName(TestPki.OTHER_HOST))) {
            assertEchoes(ws);
        }
        assertThat(lastSession(otherHost).sniName()).isEqualTo(TestPki.OTHER_HOST);
        // ... and a certificate for neither name still fails.
        try (WebSocket ws = ws(otherHost.uri("/echo"), trustingP12().serverName("elsewhere.example.test"))) {
            assertThat(failsToConnect(ws, SSLHandshakeException.class))
                    .contains("host-name mismatch: the server's certificate is for " + TestPki.OTHER_HOST
                            + ", not elsewhere.example.test");
        }
        assertThatThrownBy(() -> TlsOptions.defaults().serverName("not a name!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("serverName: \"not a name!\" is not a host name for SNI");
    }

    // ---- session resumption -------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void reconnectsResumeTheTlsSession(String protocol) throws Exception {
        // A server of its own, whose session cache starts empty.
        try (JettyTlsEchoServer fresh = new JettyTlsEchoServer(pki.serverContext(ServerCert.LOCALHOST), false, protocol)) {
            TlsOptions options = TlsOptions.defaults().trustStore(p12Trust, STORE_PASSWORD).protocols(protocol);
            ServerTlsSession first;
            ServerTlsSession again;
            try (WebSocket ws = ws(fresh.uri("/echo"), options)) {
                assertEchoes(ws);
                ws.close();
                first = lastSession(fresh);
                assertEchoes(ws);  // the same WebSocket connects again
                again = lastSession(fresh);
            }
            assertThat(again.protocol()).isEqualTo(protocol);
            // The resumed session is the first one: its creation time (and for TLS 1.2 its id).
            assertThat(again.creationTime()).as("resumed, not a full handshake").isEqualTo(first.creationTime());
            if (protocol.equals("TLSv1.2")) {
                assertThat(again.id()).isEqualTo(first.id());
            }

            // Another WebSocket with equal options (built anew) shares the context and resumes too.
            TlsOptions equal = TlsOptions.defaults().trustStore(p12Trust, STORE_PASSWORD.clone()).protocols(protocol);
            try (WebSocket ws = ws(fresh.uri("/echo"), equal)) {
                assertEchoes(ws);
            }
            assertThat(lastSession(fresh).creationTime()).isEqualTo(first.creationTime());

            // Options that differ are another configuration: a full handshake, a new session.
            Thread.sleep(5);  // a new session's creation time, in milliseconds, must differ from the first's
            String pin = pinOf(pki.ca());
            try (WebSocket ws = ws(fresh.uri("/echo"), options.pin(pin))) {
                assertEchoes(ws);
            }
            assertThat(lastSession(fresh).creationTime()).as("a full handshake").isNotEqualTo(first.creationTime());
        }
    }
}
