package dev.tether.ws;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The seed's {@code cert} table for {@code wss://}: {@code caCert}, {@code clientCert},
 * {@code clientKey}, {@code clientPassword}, {@code insist}. Immutable; each setter returns a
 * new instance: {@code TlsOptions.defaults().caCert(ca).insist(true)}.
 *
 * <p>Secure defaults, a deliberate difference from the seed: without {@code caCert} the JDK's
 * default trust store is used (never "trust everything"), and {@code insist} is {@code false},
 * so a certificate issued for another host name fails the connection. {@code insist(true)}
 * restores the seed's behaviour: the chain is still verified, a host-name mismatch is allowed
 * and logged. Skipping the chain check takes the explicit {@link #insecureTrustAll()}.
 *
 * <p>Files are PEM as OpenSSL writes them. A path that does not name a readable file is refused
 * here, naming the file. Their content is read by the ws-tls module ({@code dev.tether:ws-tls}):
 * when a {@code wss} WebSocket is built (a bad file, or a wrong password, is an
 * {@code IllegalArgumentException} naming it) and again at each connect, before any connection
 * is made (a renewed certificate is picked up; a file broken since is a failed connect).
 */
public final class TlsOptions {
    private static final TlsOptions DEFAULTS = new TlsOptions(null, null, null, null, false, false);

    private final Path caCert;
    private final Path clientCert;
    private final Path clientKey;
    private final char[] clientPassword;
    private final boolean insist;
    private final boolean trustAll;

    private TlsOptions(Path caCert, Path clientCert, Path clientKey, char[] clientPassword,
                       boolean insist, boolean trustAll) {
        this.caCert = caCert;
        this.clientCert = clientCert;
        this.clientKey = clientKey;
        this.clientPassword = clientPassword;
        this.insist = insist;
        this.trustAll = trustAll;
    }

    /** The JDK's trust store, host names checked, no client certificate. */
    public static TlsOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Accepts any server certificate, without checking chain or host name: for tests against
     * self-signed servers only. Every connection made with it logs a warning.
     */
    public static TlsOptions insecureTrustAll() {
        return new TlsOptions(null, null, null, null, true, true);
    }

    /** Trust exactly the CA certificate(s) in this PEM file for the server's chain. */
    public TlsOptions caCert(Path file) {
        return new TlsOptions(readable(file, "caCert"), clientCert, clientKey, clientPassword, insist, trustAll);
    }

    /** The client certificate (PEM, a chain is fine) offered when the server asks for one. */
    public TlsOptions clientCert(Path file) {
        return new TlsOptions(caCert, readable(file, "clientCert"), clientKey, clientPassword, insist, trustAll);
    }

    /** The client's private key: PEM in PKCS#8, PKCS#1 (RSA) or SEC1 (EC) form, plain or encrypted. */
    public TlsOptions clientKey(Path file) {
        return new TlsOptions(caCert, clientCert, readable(file, "clientKey"), clientPassword, insist, trustAll);
    }

    /** The password of an encrypted {@link #clientKey(Path)}; the array is copied. */
    public TlsOptions clientPassword(char[] password) {
        return new TlsOptions(caCert, clientCert, clientKey, password == null ? null : password.clone(), insist, trustAll);
    }

    /** The seed's {@code insist}: true keeps connecting when the host name does not match (logged). */
    public TlsOptions insist(boolean insist) {
        return new TlsOptions(caCert, clientCert, clientKey, clientPassword, insist, trustAll);
    }

    /** The CA certificate file (PEM, one or many) to trust instead of the JDK's trust store. */
    public Optional<Path> caCert() {
        return Optional.ofNullable(caCert);
    }

    /** The client certificate file (PEM, leaf first, the chain may follow). */
    public Optional<Path> clientCert() {
        return Optional.ofNullable(clientCert);
    }

    /** The client's private key file (PEM, in any form OpenSSL writes). */
    public Optional<Path> clientKey() {
        return Optional.ofNullable(clientKey);
    }

    /** A copy of the password, if one was set. */
    public Optional<char[]> clientPassword() {
        return Optional.ofNullable(clientPassword).map(char[]::clone);
    }

    /** The seed's {@code insist}: true accepts a certificate for another host name (logged). */
    public boolean insist() {
        return insist;
    }

    /** True only for {@link #insecureTrustAll()}. */
    public boolean trustAll() {
        return trustAll;
    }

    /** True when nothing but the JDK's own defaults is asked for. */
    public boolean usesJdkDefaults() {
        return caCert == null && clientCert == null && clientKey == null && !insist && !trustAll;
    }

    private static Path readable(Path file, String option) {
        if (file == null) {
            throw new IllegalArgumentException(option + ": no file given");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + ": " + file + " is not a file (missing or a directory)");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(option + ": " + file + " is not readable");
        }
        return file;
    }

    @Override
    public String toString() {
        return "TlsOptions[caCert=" + caCert + ", clientCert=" + clientCert + ", clientKey=" + clientKey
                + ", clientPassword=" + (clientPassword == null ? "none" : "set") + ", insist=" + insist
                + (trustAll ? ", INSECURE trust-all" : "") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsOptions t && java.util.Objects.equals(caCert, t.caCert)
                && java.util.Objects.equals(clientCert, t.clientCert)
                && java.util.Objects.equals(clientKey, t.clientKey)
                && Arrays.equals(clientPassword, t.clientPassword) && insist == t.insist && trustAll == t.trustAll;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(caCert, clientCert, clientKey, insist, trustAll);
    }
}
