package dev.tether.ws.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ws.testing.TestPki;
import dev.tether.ws.testing.TestPki.KeyForm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reading certificates and keys from the PEM files {@link TestPki} writes, and the errors for bad ones. */
class PemFilesTest {
    @TempDir
    static Path dir;
    private static TestPki pki;

    @BeforeAll
    static void makePki() throws Exception {
        pki = TestPki.create(dir);
    }

    /** The key signs what the certificate's public key verifies: it is the right key. */
    private static void assertBelongs(PrivateKey key, X509Certificate cert) throws Exception {
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        Signature s = Signature.getInstance(algorithm);
        s.initSign(key);
        s.update(new byte[] {1, 2, 3});
        byte[] signature = s.sign();
        s.initVerify(cert);
        s.update(new byte[] {1, 2, 3});
        assertThat(s.verify(signature)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(KeyForm.class)
    void readsEveryKeyForm(KeyForm form) throws Exception {
        Path file = pki.clientKey(form);
        String pem = Files.readString(file);
        assertThat(pem).startsWith(switch (form) {
            case RSA_PKCS8, EC_PKCS8 -> "-----BEGIN PRIVATE KEY-----";
            case RSA_PKCS8_ENCRYPTED, EC_PKCS8_ENCRYPTED -> "-----BEGIN ENCRYPTED PRIVATE KEY-----";
            case RSA_PKCS1 -> "-----BEGIN RSA PRIVATE KEY-----";
            case RSA_PKCS1_ENCRYPTED -> "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED";
            case EC_SEC1 -> "-----BEGIN EC PRIVATE KEY-----";
            case EC_SEC1_ENCRYPTED -> "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED";
        });
        PrivateKey key = PemFiles.privateKey(file, form.encrypted() ? TestPki.PASSWORD : null);
        assertBelongs(key, PemFiles.certificates(pki.clientCert(form)).get(0));
    }

    @Test
    void readsEveryCertificateOfAFile() throws Exception {
        List<X509Certificate> bundle = PemFiles.certificates(pki.caBundle());
        assertThat(bundle).hasSize(2);
        assertThat(bundle.get(1)).isEqualTo(pki.ca());
        List<X509Certificate> chain = PemFiles.certificates(pki.clientCert(KeyForm.EC_SEC1));
        assertThat(chain).hasSize(2);
        assertThat(chain.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=tether-client-ec");
    }

    @ParameterizedTest
    @EnumSource(value = KeyForm.class, names = ".*_ENCRYPTED", mode = EnumSource.Mode.MATCH_ALL)
    void wrongOrMissingPasswordNamesTheFile(KeyForm form) {
        Path file = pki.clientKey(form);
        String scheme = form.name().contains("PKCS8") ? "encrypted PKCS#8 (PBES2)" : "Proc-Type: 4,ENCRYPTED (AES-256-CBC)";
        assertThatThrownBy(() -> PemFiles.privateKey(file, "not it".toCharArray()))
                .isInstanceOf(PemFileException.class)
                .hasMessageStartingWith(file + ": wrong password: the key (").hasMessageContaining(scheme)
                .satisfies(e -> assertThat(((PemFileException) e).file()).isEqualTo(file));
        assertThatThrownBy(() -> PemFiles.privateKey(file, null))
                .hasMessageStartingWith(file + ": the key is ").hasMessageContaining(scheme)
                .hasMessageEndingWith("set the password (clientPassword)");
    }

    @Test
    void aFileOfTheWrongKindSaysWhatItHolds() {
        Path cert = pki.clientCert(KeyForm.RSA_PKCS1);
        assertThatThrownBy(() -> PemFiles.privateKey(cert, null))
                .hasMessage(cert + ": holds no private key (found: 2 certificates)");
        Path key = pki.clientKey(KeyForm.EC_PKCS8);
        assertThatThrownBy(() -> PemFiles.certificates(key))
                .hasMessage(key + ": holds no certificate (found: a private key)");
    }

    @Test
    void missingBinaryAndDamagedFilesAreNamed() throws Exception {
        Path missing = dir.resolve("nowhere.pem");
        assertThatThrownBy(() -> PemFiles.certificates(missing)).hasMessage(missing + ": no such file");

        Path der = Files.write(dir.resolve("ca.der"), pki.ca().getEncoded());
        assertThatThrownBy(() -> PemFiles.certificates(der))
                .hasMessageStartingWith(der + ": is not PEM: no \"-----BEGIN\" line");

        Path damaged = Files.writeString(dir.resolve("damaged.pem"),
                "-----BEGIN CERTIFICATE-----\nMIIB!!!notbase64\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> PemFiles.certificates(damaged)).hasMessageStartingWith(damaged + ": is not valid PEM");

        Path truncated = Files.writeString(dir.resolve("truncated.pem"),
                Files.readString(pki.clientKey(KeyForm.RSA_PKCS8)).substring(0, 200), StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> PemFiles.privateKey(truncated, null)).isInstanceOf(PemFileException.class)
                .hasMessageStartingWith(truncated + ": ");
    }

    @Test
    void twoKeysInOneFileAreRefused() throws Exception {
        Path both = Files.writeString(dir.resolve("two-keys.pem"), Files.readString(pki.clientKey(KeyForm.EC_SEC1))
                + Files.readString(pki.clientKey(KeyForm.RSA_PKCS8)));
        assertThatThrownBy(() -> PemFiles.privateKey(both, null)).hasMessage(both + ": holds 2 private keys; give a file with one");
    }
}
