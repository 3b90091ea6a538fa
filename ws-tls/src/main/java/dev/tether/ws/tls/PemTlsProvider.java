package dev.tether.ws.tls;

import dev.tether.ws.TlsOptions;
import dev.tether.ws.spi.TlsProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The {@link TlsProvider} for PEM files: {@code caCert} becomes a trust manager that trusts
 * exactly the certificates in that file (PKIX, as the JDK's own, with none of the JDK's default
 * CAs); {@code clientCert} and {@code clientKey} (with {@code clientPassword}) become a key
 * manager that presents that certificate. Found by {@code dev.tether.ws.api} with ServiceLoader.
 *
 * <p>Every error names the option and the file: {@code "clientKey /etc/app/key.pem: wrong
 * password: ..."}, {@code "clientKey /etc/app/client.crt: holds no private key (found: a
 * certificate)"}, {@code "clientKey /etc/app/key.pem does not belong to clientCert ..."}.
 */
public final class PemTlsProvider implements TlsProvider {
    private static final byte[] PROBE = "tether: does this key belong to that certificate?".getBytes(StandardCharsets.US_ASCII);

    /** For ServiceLoader. */
    public PemTlsProvider() {
    }

    @Override
    public Material load(TlsOptions options) throws IOException {
        X509ExtendedTrustManager trust = null;
        if (options.caCert().isPresent()) {
            trust = trustExactly(options.caCert().get());
        }
        X509ExtendedKeyManager keys = null;
        if (options.clientCert().isPresent() || options.clientKey().isPresent()) {
            keys = clientKeys(options);
        }
        return new Material(keys, trust);
    }

    private static X509ExtendedTrustManager trustExactly(Path file) throws IOException {
        List<X509Certificate> cas = named("caCert", () -> PemFiles.certificates(file));
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                anchors.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            for (TrustManager m : factory.getTrustManagers()) {
                if (m instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new IOException("caCert " + file + ": the JDK's PKIX TrustManagerFactory made no X509ExtendedTrustManager");
        } catch (GeneralSecurityException e) {
            throw new IOException("caCert " + file + ": cannot be used as a trust anchor: " + e.getMessage(), e);
        }
    }

    /**
     * The key and chain. Either file may hold both (a combined PEM): then the other option can
     * be left out.
     */
    private static X509ExtendedKeyManager clientKeys(TlsOptions options) throws IOException {
        Path certFile = options.clientCert().orElse(null);
        Path keyFile = options.clientKey().orElse(null);
        if (certFile == null) {
            if (!PemFiles.holdsCertificate(keyFile)) {
                throw new IOException("clientKey " + keyFile + " is set but clientCert is not: give the client "
                        + "certificate with TlsOptions.clientCert (or in the same file)");
            }
            certFile = keyFile;
        }
        if (keyFile == null) {
            if (!PemFiles.holdsPrivateKey(certFile)) {
                throw new IOException("clientCert " + certFile + " is set but clientKey is not: give its private "
                        + "key with TlsOptions.clientKey (or in the same file)");
            }
            keyFile = certFile;
        }
        Path certPath = certFile;
        Path keyPath = keyFile;
        List<X509Certificate> chain = named("clientCert", () -> PemFiles.certificates(certPath));
        char[] password = options.clientPassword().orElse(null);
        PrivateKey key;
        try {
            key = named("clientKey", () -> PemFiles.privateKey(keyPath, password));
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');  // our copy; TlsOptions keeps its own
            }
        }
        if (!belongsTo(key, chain.get(0).getPublicKey())) {
            throw new IOException("clientKey " + keyFile + " does not belong to clientCert " + certFile + " ("
                    + chain.get(0).getSubjectX500Principal().getName() + "): the certificate's public key is another");
        }
        return new ClientKeyManager(key, chain.toArray(X509Certificate[]::new));
    }

    /** Signs a probe with the key and verifies it with the certificate's public key. */
    private static boolean belongsTo(PrivateKey key, PublicKey certificateKey) {
        if (!key.getAlgorithm().equalsIgnoreCase(certificateKey.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm().toUpperCase(Locale.ROOT)) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "ED25519", "ED448", "EDDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return true;  // a kind we cannot probe: the handshake will tell
        }
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private interface Read<T> {
        T read() throws PemFileException;
    }

    /** Prefixes a file's error with the option it was given for: "clientKey /path: ...". */
    private static <T> T named(String option, Read<T> read) throws IOException {
        try {
            return read.read();
        } catch (PemFileException e) {
            throw new IOException(option + " " + e.getMessage(), e);
        }
    }
}
