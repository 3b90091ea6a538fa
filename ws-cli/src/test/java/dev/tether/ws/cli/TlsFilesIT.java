package dev.tether.ws.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.cli.WscProcess.Result;
import dev.tether.ws.testing.SelfSignedTls;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS flag naming a wrong file is a usage error (exit 2) that names the flag and the file,
 * found before any connection is tried: nothing listens on the URL.
 */
class TlsFilesIT {
    private static final String URL = "wss://127.0.0.1:9/";

    @TempDir
    static Path dir;
    private static Path certificate;

    @BeforeAll
    static void makeCertificate() throws Exception {
        certificate = SelfSignedTls.create(dir, "localhost").certificatePem();
    }

    @Test
    void aMissingCaFileIsNamed() throws Exception {
        Result r = WscProcess.run("--cacert", "no-such-ca.pem", "-x", "hi", URL);
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--cacert no-such-ca.pem: no such file");
    }

    @Test
    void aFolderIsNotACertificateFile() throws Exception {
        Result r = WscProcess.run("--cacert", dir.toString(), "-x", "hi", URL);
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--cacert " + dir + ": not a regular file");
    }

    @Test
    void aCaFileThatHoldsNoCertificateIsAUsageError(@TempDir Path tmp) throws Exception {
        Path notPem = Files.writeString(tmp.resolve("ca.pem"), "this is not a certificate\n");
        Result r = WscProcess.run("--cacert", notPem.toString(), "-x", "hi", URL);
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--cacert " + notPem + ": no PEM certificate in this file");
    }

    @Test
    void aCorruptCertificateIsAUsageError(@TempDir Path tmp) throws Exception {
        Path corrupt = Files.writeString(tmp.resolve("ca.pem"),
                "-----BEGIN CERTIFICATE-----\nAAAAnotbase64DER\n-----END CERTIFICATE-----\n");
        Result r = WscProcess.run("--cacert", corrupt.toString(), "-x", "hi", URL);
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--cacert " + corrupt + ": not a valid certificate");
    }

    @Test
    void aClientCertificateNeedsItsKey() throws Exception {
        Result r = WscProcess.run("--cert", certificate.toString(), "-x", "hi", URL);
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--cert needs --key");
    }

    @Test
    void aKeyFileThatHoldsNoKeyIsAUsageError() throws Exception {
        Result r = WscProcess.run("--cert", certificate.toString(), "--key", certificate.toString(), "-x", "hi", URL);
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--key " + certificate + ": no PEM private key in this file");
    }

    @Test
    void anEncryptedKeyWithoutPasswordOrTerminalIsAUsageError(@TempDir Path tmp) throws Exception {
        Path key = Files.writeString(tmp.resolve("client.key"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n");
        Result r = WscProcess.run("--cert", certificate.toString(), "--key", key.toString(), "-x", "hi", URL);
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--key " + key + " is encrypted: give its password with --password");
    }
}
