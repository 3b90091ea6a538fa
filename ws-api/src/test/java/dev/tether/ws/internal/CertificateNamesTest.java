package dev.tether.ws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The name check behind the {@code insist(true)} warning, on certificates keytool made. */
class CertificateNamesTest {

    /** A self-signed certificate for {@code dnsName} and 127.0.0.1, from the running JDK's keytool. */
    private static X509Certificate certificate(Path dir, String dnsName) throws Exception {
        Path store = dir.resolve("names.p12");
        Path pem = dir.resolve("names.pem");
        keytool("-genkeypair", "-alias", "a", "-keyalg", "EC", "-dname", "CN=" + dnsName,
                "-ext", "SAN=dns:" + dnsName + ",ip:127.0.0.1", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "a", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-file", pem.toString());
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool: %s", output).isZero();
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
