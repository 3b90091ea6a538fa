package dev.tether.ws.transport.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.testing.SelfSignedTls;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The name check behind the {@code insist(true)} warning, on certificates keytool made. */
class CertificateNamesTest {

    private static X509Certificate certificate(Path dir, String dnsName) throws Exception {
        Path pem = SelfSignedTls.create(dir, dnsName).certificatePem();
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void matchesDnsAndIpSubjectAltNames(@TempDir Path dir) throws Exception {
        X509Certificate cert = certificate(dir, "server.example.test");
        assertThat(CertificateNames.matches(cert, "server.example.test")).isTrue();
        assertThat(CertificateNames.matches(cert, "SERVER.example.test.")).isTrue();
        assertThat(CertificateNames.matches(cert, "127.0.0.1")).isTrue();
        assertThat(CertificateNames.matches(cert, "other.example.test")).isFalse();
        assertThat(CertificateNames.matches(cert, "127.0.0.2")).isFalse();
        assertThat(CertificateNames.describe(cert)).contains("server.example.test", "127.0.0.1");
    }

    @Test
    void wildcardCoversExactlyOneLeftMostLabel(@TempDir Path dir) throws Exception {
        X509Certificate cert = certificate(dir, "*.example.test");
        assertThat(CertificateNames.matches(cert, "a.example.test")).isTrue();
        assertThat(CertificateNames.matches(cert, "a.b.example.test")).isFalse();
        assertThat(CertificateNames.matches(cert, "example.test")).isFalse();
    }
}
