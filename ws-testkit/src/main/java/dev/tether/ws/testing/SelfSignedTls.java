package dev.tether.ws.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed server certificate made at test time with the running JDK's {@code keytool}
 * (no key material in the repository), for wss tests: {@link #serverContext()} for
 * {@link CodecServer#tls(SSLContext)}, and {@link #certificatePem()} for a client's caCert.
 */
public final class SelfSignedTls {
    private static final char[] PASSWORD = "changeit".toCharArray();

    private final Path keyStore;
    private final Path certificatePem;
    private final SSLContext serverContext;

    private SelfSignedTls(Path keyStore, Path certificatePem, SSLContext serverContext) {
        this.keyStore = keyStore;
        this.certificatePem = certificatePem;
        this.serverContext = serverContext;
    }

    /**
     * A fresh key pair and certificate for {@code dnsName} (the subject and a DNS
     * subjectAltName) and 127.0.0.1 (an IP subjectAltName), valid for two days.
     */
    public static SelfSignedTls create(Path dir, String dnsName) throws IOException, GeneralSecurityException {
        Path store = dir.resolve("server.p12");
        Path pem = dir.resolve("server-cert.pem");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + dnsName, "-ext", "SAN=dns:" + dnsName + ",ip:127.0.0.1",
                "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD));
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-file", pem.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return new SelfSignedTls(store, pem, context);
    }

    /** The server side: key and certificate. */
    public SSLContext serverContext() {
        return serverContext;
    }

    /** The certificate alone, PEM, as a client's trust anchor. */
    public Path certificatePem() {
        return certificatePem;
    }

    /** The PKCS#12 key store (password "changeit"). */
    public Path keyStore() {
        return keyStore;
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for keytool", e);
        }
    }
}
