package dev.tether.ws.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tether.ws.TlsOptions;
import dev.tether.ws.internal.ClientTls;
import dev.tether.ws.spi.TlsProvider;
import dev.tether.ws.testing.TestPki;
import dev.tether.ws.testing.TestPki.KeyForm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TlsOptions into key and trust managers, as ws-api finds and calls the provider. */
class PemTlsProviderTest {
    @TempDir
    static Path dir;
    private static TestPki pki;
    private final PemTlsProvider provider = new PemTlsProvider();

    @BeforeAll
    static void makePki() throws Exception {
        pki = TestPki.create(dir);
    }

    @Test
    void isFoundByServiceLoaderAndUsedWhenAWebSocketIsChecked() {
        assertThat(ServiceLoader.load(TlsProvider.class).findFirst()).get().isInstanceOf(PemTlsProvider.class);
        Path cert = pki.clientCert(KeyForm.EC_SEC1);
        assertThatThrownBy(() -> ClientTls.check(TlsOptions.defaults().clientCert(cert).clientKey(cert)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clientKey " + cert + ": holds no private key (found: 2 certificates)");
        ClientTls.check(TlsOptions.defaults().caCert(pki.caCert()));  // fine: no exception
    }

    @Test
    void caCertIsTheOnlyTrustAnchor() throws Exception {
        TlsProvider.Material m = provider.load(TlsOptions.defaults().caCert(pki.caCert()));
        assertThat(m.keyManager()).isNull();
        assertThat(m.trustManager().getAcceptedIssuers()).containsExactly(pki.ca());
        X509Certificate[] server = PemFiles.certificates(pki.serverCert(TestPki.ServerCert.LOCALHOST))
                .toArray(X509Certificate[]::new);
        m.trustManager().checkServerTrusted(server, "ECDHE_ECDSA");  // chains to the CA: no exception
        TlsProvider.Material other = provider.load(TlsOptions.defaults().caCert(pki.otherCaCert()));
        assertThatThrownBy(() -> other.trustManager().checkServerTrusted(server, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
        assertThat(provider.load(TlsOptions.defaults().caCert(pki.caBundle())).trustManager().getAcceptedIssuers())
                .hasSize(2);
    }

    @Test
    void clientKeyManagerPresentsTheCertificateForItsKeyType() throws Exception {
        KeyForm form = KeyForm.RSA_PKCS1_ENCRYPTED;
        TlsProvider.Material m = provider.load(TlsOptions.defaults().clientCert(pki.clientCert(form))
                .clientKey(pki.clientKey(form)).clientPassword(TestPki.PASSWORD));
        assertThat(m.trustManager()).isNull();
        String alias = m.keyManager().chooseClientAlias(new String[] {"EC", "RSA"}, null, null);
        assertThat(alias).isNotNull();
        assertThat(m.keyManager().getCertificateChain(alias)).hasSize(2);
        assertThat(m.keyManager().getPrivateKey(alias).getAlgorithm()).isEqualTo("RSA");
        assertThat(m.keyManager().chooseClientAlias(new String[] {"EC"}, null, null)).isNull();
    }

    @Test
    void keyAndCertificateMayShareOneFile() throws Exception {
        Path combined = Files.writeString(dir.resolve("combined.pem"),
                Files.readString(pki.clientCert(KeyForm.EC_PKCS8)) + Files.readString(pki.clientKey(KeyForm.EC_PKCS8)));
        assertThat(provider.load(TlsOptions.defaults().clientCert(combined)).keyManager()).isNotNull();
        assertThat(provider.load(TlsOptions.defaults().clientKey(combined)).keyManager()).isNotNull();
    }

    @Test
    void halfAClientIdentityIsRefused() {
        Path key = pki.clientKey(KeyForm.EC_SEC1);
        assertThatThrownBy(() -> provider.load(TlsOptions.defaults().clientKey(key)))
                .hasMessage("clientKey " + key + " is set but clientCert is not: give the client certificate with "
                        + "TlsOptions.clientCert (or in the same file)");
        Path cert = pki.clientCert(KeyForm.EC_SEC1);
        assertThatThrownBy(() -> provider.load(TlsOptions.defaults().clientCert(cert)))
                .hasMessageStartingWith("clientCert " + cert + " is set but clientKey is not");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        Path cert = pki.clientCert(KeyForm.EC_SEC1);
        Path key = pki.clientKey(KeyForm.RSA_PKCS8);
        assertThatThrownBy(() -> provider.load(TlsOptions.defaults().clientCert(cert).clientKey(key)))
                .hasMessage("clientKey " + key + " does not belong to clientCert " + cert
                        + " (CN=tether-client-ec): the certificate's public key is another");
    }

    // ---- files from the openssl command itself, when it is installed ----------------------------

    private static void openssl(Path in, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(in.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("openssl %s: %s", String.join(" ", args), output).isZero();
    }

    private static boolean opensslPresent() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Keys as the openssl command writes them, each with a self-signed certificate from openssl
     * too: the forms users actually have on disk, not only BouncyCastle's rendering of them.
     */
    @Test
    void readsWhatTheOpensslCommandWrites(@TempDir Path work) throws Exception {
        assumeTrue(opensslPresent(), "the openssl command is not installed");
        String pass = "pass:secret";
        openssl(work, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa-pkcs8.pem");
        openssl(work, "rsa", "-in", "rsa-pkcs8.pem", "-traditional", "-out", "rsa-pkcs1.pem");
        openssl(work, "rsa", "-in", "rsa-pkcs8.pem", "-traditional", "-aes256", "-passout", pass, "-out", "rsa-pkcs1-enc.pem");
        openssl(work, "pkcs8", "-topk8", "-in", "rsa-pkcs8.pem", "-passout", pass, "-out", "rsa-pkcs8-enc.pem");
        openssl(work, "pkcs8", "-topk8", "-in", "rsa-pkcs8.pem", "-v1", "PBE-SHA1-3DES", "-passout", pass,
                "-out", "rsa-pkcs8-v1.pem");
        openssl(work, "req", "-x509", "-new", "-key", "rsa-pkcs8.pem", "-subj", "/CN=openssl-rsa", "-days", "2",
                "-out", "rsa-cert.pem");
        openssl(work, "ecparam", "-name", "prime256v1", "-genkey", "-out", "ec-sec1.pem");  // EC PARAMETERS first
        openssl(work, "ec", "-in", "ec-sec1.pem", "-aes256", "-passout", pass, "-out", "ec-sec1-enc.pem");
        openssl(work, "pkcs8", "-topk8", "-in", "ec-sec1.pem", "-passout", pass, "-out", "ec-pkcs8-enc.pem");
        openssl(work, "req", "-x509", "-new", "-key", "ec-sec1.pem", "-subj", "/CN=openssl-ec", "-days", "2",
                "-out", "ec-cert.pem");

        for (String key : new String[] {"rsa-pkcs8.pem", "rsa-pkcs1.pem", "rsa-pkcs1-enc.pem", "rsa-pkcs8-enc.pem",
                "rsa-pkcs8-v1.pem"}) {
            TlsOptions o = TlsOptions.defaults().clientCert(work.resolve("rsa-cert.pem")).clientKey(work.resolve(key))
                    .clientPassword("secret".toCharArray());
            assertThat(provider.load(o).keyManager()).as(key).isNotNull();
        }
        for (String key : new String[] {"ec-sec1.pem", "ec-sec1-enc.pem", "ec-pkcs8-enc.pem"}) {
            TlsOptions o = TlsOptions.defaults().clientCert(work.resolve("ec-cert.pem")).clientKey(work.resolve(key))
                    .clientPassword("secret".toCharArray());
            assertThat(provider.load(o).keyManager()).as(key).isNotNull();
        }
        assertThatThrownBy(() -> provider.load(TlsOptions.defaults().clientCert(work.resolve("ec-cert.pem"))
                .clientKey(work.resolve("ec-pkcs8-enc.pem")).clientPassword("wrong".toCharArray())))
                .hasMessageStartingWith("clientKey " + work.resolve("ec-pkcs8-enc.pem") + ": wrong password");
    }
}
