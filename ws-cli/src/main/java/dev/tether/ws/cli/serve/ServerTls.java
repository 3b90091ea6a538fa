package dev.tether.ws.cli.serve;

import dev.tether.ws.cli.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The echo server's key and certificate. The JDK reads key stores (PKCS#12, JKS) but not PEM
 * private keys, so {@code wsc serve} takes a key store ({@code --tls-keystore}), or makes a
 * throw-away self-signed one with the JDK's {@code keytool} ({@code --tls-self-signed}) and
 * writes its certificate as PEM for a client's {@code --cacert}.
 */
final class ServerTls {
    private ServerTls() {
    }

    /** A server context from a key store file whose type the JDK can tell by itself. */
    static SSLContext fromKeyStore(Path file, char[] password) throws UsageException {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("--tls-keystore " + file + ": no such file");
        }
        try {
            KeyStore store = KeyStore.getInstance(file.toFile(), password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new UsageException("--tls-keystore " + file + ": cannot use it as a key store with this "
                    + "password (" + e.getMessage() + ")", e);
        }
    }

    /** A fresh self-signed key store for localhost and 127.0.0.1, and its certificate as PEM. */
    record SelfSigned(Path keyStore, char[] password, Path certificatePem) {
    }

    static SelfSigned selfSigned() throws IOException {
        Path dir = Files.createTempDirectory("wsc-serve-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "wsc-serve-cleanup"));
        Path store = dir.resolve("server.p12");
        Path pem = dir.resolve("server-cert.pem");
        char[] password = Long.toHexString(Double.doubleToLongBits(Math.random())).toCharArray();
        String pass = new String(password);
        keytool("-genkeypair", "-alias", "wsc", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:::1",
                "-validity", "30", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", pass, "-keypass", pass);
        keytool("-exportcert", "-rfc", "-alias", "wsc", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", pass, "-file", pem.toString());
        return new SelfSigned(store, password, pem);
    }

    private static void keytool(String... args) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>();
        command.add(keytool.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("keytool " + args[0] + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for keytool", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; the system cleans it eventually
        }
    }
}
