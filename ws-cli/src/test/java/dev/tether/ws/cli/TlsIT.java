package dev.tether.ws.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.cli.WscProcess.Result;
import dev.tether.ws.testing.JettyTlsEchoServer;
import dev.tether.ws.testing.TestPki;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS flags, as processes, connecting: against {@code wsc serve --tls-self-signed}, and
 * (when the TLS module that reads certificate files is among wsc's modules) against Jetty over
 * TLS with a test CA and client certificates. Bad files: {@link TlsFilesIT}.
 */
class TlsIT {
    private static WscProcess server;
    private static String url;
    private static String certificate;

    @BeforeAll
    static void startServer() throws Exception {
        server = WscProcess.start("serve", "--port", "0", "--tls-self-signed");
        url = server.awaitLine(AgainstServeIT.URL, WscProcess.DEFAULT_WAIT);
        certificate = server.awaitLine(Pattern.compile("--cacert\\): (\\S+)"), WscProcess.DEFAULT_WAIT);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void insecureTrustsTheSelfSignedServerOnBothTransports() throws Exception {
        assertThat(url).startsWith("wss://127.0.0.1:");
        for (String transport : new String[] {"nio", "blocking"}) {
            Result r = WscProcess.run("--insecure", "--transport", transport, "-x", "secret", "--wait", "0.3", url);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.outLines()).containsExactly("secret");
            assertThat(r.err()).contains("NOT checked");  // the library's warning about trust-all
        }
    }

    @Test
    void withoutTrustTheSelfSignedCertificateFailsTheConnection() throws Exception {
        Result r = WscProcess.run("-x", "secret", url);
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.CONNECT_FAILED);
        assertThat(r.err()).contains("wsc: cannot connect to " + url, "TLS handshake");
    }

    // ---- with the TLS module: certificate files are read and checked ------------------------

    static boolean tlsModulePresent() {
        return WscProcess.hasModule("dev.tether.ws.tls");
    }

    @Test
    @EnabledIf("tlsModulePresent")
    void caCertTrustsTheSelfSignedServer() throws Exception {
        Result r = WscProcess.run("--cacert", certificate, "-x", "trusted", "--wait", "0.3", url);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.outLines()).containsExactly("trusted");
    }

    @Test
    @EnabledIf("tlsModulePresent")
    void mutualTlsWithJettyAndAnEncryptedClientKey(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir);
        TestPki.KeyForm form = TestPki.KeyForm.EC_PKCS8_ENCRYPTED;
        try (JettyTlsEchoServer jetty = new JettyTlsEchoServer(pki.serverContext(TestPki.ServerCert.LOCALHOST), true)) {
            String echo = jetty.uri("/echo").toString();
            Result r = WscProcess.run("--cacert", pki.caCert().toString(),
                    "--cert", pki.clientCert(form).toString(), "--key", pki.clientKey(form).toString(),
                    "--password", new String(TestPki.PASSWORD), "-x", "mutual", "--wait", "0.3", echo);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.outLines()).containsExactly("mutual");

            Result noCert = WscProcess.run("--cacert", pki.caCert().toString(), "-x", "mutual", echo);
            assertThat(noCert.exit()).as(noCert.toString()).isEqualTo(ExitCode.CONNECT_FAILED);
        }
    }
}
