package dev.tether.ws;

import dev.tether.ws.internal.CertificatePins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * The seed's {@code cert} table for {@code wss://}: {@code caCert}, {@code clientCert},
 * {@code clientKey}, {@code clientPassword}, {@code insist}; and the other forms TLS settings
 * come in. Immutable; each setter returns a new instance:
 * {@code TlsOptions.defaults().caCert(ca).insist(true)}.
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
 *
 * <p><b>Other forms</b> (no extra module needed: the JDK reads them):
 * <ul>
 *   <li>Trust, one source of: {@link #caCert(Path)}, {@link #trustStore(Path, char[])} or
 *       {@link #trustStore(KeyStore)} (PKCS#12 or JKS), {@link #trustManager(X509TrustManager)}.</li>
 *   <li>The client's key, one source of: {@link #clientCert(Path)}/{@link #clientKey(Path)},
 *       {@link #keyStore(Path, char[], char[])} or {@link #keyStore(KeyStore, char[])},
 *       {@link #keyManager(X509KeyManager)}.</li>
 *   <li>{@link #sslContext(SSLContext)}: a context the user built brings both, so it excludes
 *       every trust and key option above.</li>
 *   <li>{@link #pin(String...)}: certificate pins as OkHttp's {@code CertificatePinner} writes
 *       them, checked after the chain; {@link #protocols(String...)},
 *       {@link #cipherSuites(String...)}; {@link #serverName(String)}, an SNI override.</li>
 * </ul>
 *
 * <p>One {@code SSLContext} is made per distinct configuration and shared by the connections
 * that use it ({@link #equals} compares files by path and content, user objects by identity), so
 * that a reconnect can resume the TLS session. {@link #toString()} never shows a password.
 */
public final class TlsOptions {
    private static final TlsOptions DEFAULTS = new TlsOptions(new Fields());

    /** A mutable copy, filled by a setter and frozen into a new TlsOptions. */
    private static final class Fields implements Cloneable {
        Path caCert;
        Path clientCert;
        Path clientKey;
        char[] clientPassword;
        boolean insist;
        boolean trustAll;
        SSLContext sslContext;
        Path trustStoreFile;
        KeyStore trustStore;
        char[] trustStorePassword;
        Path keyStoreFile;
        KeyStore keyStore;
        char[] keyStorePassword;
        char[] keyPassword;
        X509TrustManager trustManager;
        X509KeyManager keyManager;
        List<String> pins = List.of();
        List<String> protocols = List.of();
        List<String> cipherSuites = List.of();
        String serverName;

        @Override
        protected Fields clone() {
            try {
                return (Fields) super.clone();  // arrays are never changed in place, so sharing them is safe
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private interface Change {
        void apply(Fields f);
    }

    private final Fields f;

    private TlsOptions(Fields f) {
        this.f = f;
    }

    private TlsOptions with(Change change) {
        Fields copy = f.clone();
        change.apply(copy);
        checkSources(copy);
        return new TlsOptions(copy);
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
        Fields f = new Fields();
        f.insist = true;
        f.trustAll = true;
        return new TlsOptions(f);
    }

    // ---- the seed's cert table ----------------------------------------------------------------

    /** Trust exactly the CA certificate(s) in this PEM file for the server's chain. */
    public TlsOptions caCert(Path file) {
        Path p = readable(file, "caCert");
        return with(c -> c.caCert = p);
    }

    /** The client certificate (PEM, a chain is fine) offered when the server asks for one. */
    public TlsOptions clientCert(Path file) {
        Path p = readable(file, "clientCert");
        return with(c -> c.clientCert = p);
    }

    /** The client's private key: PEM in PKCS#8, PKCS#1 (RSA) or SEC1 (EC) form, plain or encrypted. */
    public TlsOptions clientKey(Path file) {
        Path p = readable(file, "clientKey");
        return with(c -> c.clientKey = p);
    }

    /** The password of an encrypted {@link #clientKey(Path)}; the array is copied. */
    public TlsOptions clientPassword(char[] password) {
        char[] copy = copy(password);
        return with(c -> c.clientPassword = copy);
    }

    /** The seed's {@code insist}: true keeps connecting when the host name does not match (logged). */
    public TlsOptions insist(boolean insist) {
        return with(c -> c.insist = insist);
    }

    // ---- other forms of trust and keys -----------------------------------------------------------

    /**
     * Uses this context as it is: its trust and key managers, its session cache. Host-name check,
     * SNI, pins, protocols and cipher suites of these options still apply to each connection.
     * Excludes every other trust or key option.
     */
    public TlsOptions sslContext(SSLContext context) {
        Objects.requireNonNull(context, "sslContext");
        return with(c -> c.sslContext = context);
    }

    /**
     * Trust exactly the certificates of this key store file (PKCS#12 or JKS, told apart by
     * content) for the server's chain. Read when the WebSocket is built (a wrong password is an
     * error naming {@code trustStorePassword}) and again, if its content changed, at a connect.
     *
     * @param password the store's password; null reads a PKCS#12 store without checking its
     *     integrity (certificates only); the array is copied
     */
    public TlsOptions trustStore(Path file, char[] password) {
        Path p = readable(file, "trustStore");
        char[] copy = copy(password);
        return with(c -> {
            c.trustStoreFile = p;
            c.trustStore = null;
            c.trustStorePassword = copy;
        });
    }

    /** Trust exactly the certificate entries of this loaded key store (read once per configuration). */
    public TlsOptions trustStore(KeyStore store) {
        Objects.requireNonNull(store, "trustStore");
        return with(c -> {
            c.trustStore = store;
            c.trustStoreFile = null;
            c.trustStorePassword = null;
        });
    }

    /** The client's key and certificate from this PKCS#12 or JKS file, the key protected by the store's password. */
    public TlsOptions keyStore(Path file, char[] storePassword) {
        return keyStore(file, storePassword, storePassword);
    }

    /**
     * The client's key and certificate chain from this PKCS#12 or JKS file. A wrong password is
     * an error naming {@code keyStorePassword} or {@code keyPassword}, when the WebSocket is built.
     *
     * @param keyPassword the private key's own password, when it differs from the store's (JKS)
     */
    public TlsOptions keyStore(Path file, char[] storePassword, char[] keyPassword) {
        Path p = readable(file, "keyStore");
        char[] store = copy(storePassword);
        char[] key = copy(keyPassword);
        return with(c -> {
            c.keyStoreFile = p;
            c.keyStore = null;
            c.keyStorePassword = store;
            c.keyPassword = key;
        });
    }

    /** The client's key and certificate chain from this loaded key store, its keys protected by {@code keyPassword}. */
    public TlsOptions keyStore(KeyStore store, char[] keyPassword) {
        Objects.requireNonNull(store, "keyStore");
        char[] key = copy(keyPassword);
        return with(c -> {
            c.keyStore = store;
            c.keyStoreFile = null;
            c.keyStorePassword = null;
            c.keyPassword = key;
        });
    }

    /**
     * Verifies the server's chain with this trust manager. A plain {@code X509TrustManager} (not an
     * {@code X509ExtendedTrustManager}) gets the host-name check of these options added.
     */
    public TlsOptions trustManager(X509TrustManager trustManager) {
        Objects.requireNonNull(trustManager, "trustManager");
        return with(c -> c.trustManager = trustManager);
    }

    /** Chooses and presents the client certificate when the server asks for one. */
    public TlsOptions keyManager(X509KeyManager keyManager) {
        Objects.requireNonNull(keyManager, "keyManager");
        return with(c -> c.keyManager = keyManager);
    }

    // ---- per-connection settings ---------------------------------------------------------------

    /**
     * Adds certificate pins, {@code "sha256/"} and the base64 of the SHA-256 of a certificate's
     * DER SubjectPublicKeyInfo, as OkHttp's {@code CertificatePinner} writes them. After the
     * chain verified, at least one certificate of it (the server's chain and the trust anchor it
     * chains to) must have one of the pinned keys, or the connect fails listing the chain's pins.
     *
     * @throws IllegalArgumentException for a pin of another form, naming it
     */
    public TlsOptions pin(String... pins) {
        List<String> all = new ArrayList<>(f.pins);
        for (String pin : pins) {
            all.add(CertificatePins.parse(pin));
        }
        List<String> frozen = List.copyOf(all);
        return with(c -> c.pins = frozen);
    }

    /** The TLS versions to offer ("TLSv1.3", "TLSv1.2"), instead of the JDK's defaults; checked when the WebSocket is built. */
    public TlsOptions protocols(String... protocols) {
        List<String> list = names(protocols, "protocols");
        return with(c -> c.protocols = list);
    }

    /** The cipher suites to offer, by their standard names, instead of the JDK's defaults; checked when the WebSocket is built. */
    public TlsOptions cipherSuites(String... suites) {
        List<String> list = names(suites, "cipherSuites");
        return with(c -> c.cipherSuites = list);
    }

    /**
     * The name sent in SNI (RFC 6066 section 3) instead of the URL's host, for fronting: the
     * connection goes to the URL's host, the server is asked for {@code name}'s certificate. The
     * host-name check then accepts a certificate for {@code name} (as the JDK does, one for the
     * URL's host passes too).
     *
     * @throws IllegalArgumentException when {@code name} is not a DNS host name
     */
    public TlsOptions serverName(String name) {
        Objects.requireNonNull(name, "serverName");
        try {
            new SNIHostName(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("serverName: \"" + name + "\" is not a host name for SNI: " + e.getMessage(), e);
        }
        return with(c -> c.serverName = name);
    }

    // ---- reading -------------------------------------------------------------------------------

    /** The CA certificate file (PEM, one or many) to trust instead of the JDK's trust store. */
    public Optional<Path> caCert() {
        return Optional.ofNullable(f.caCert);
    }

    /** The client certificate file (PEM, leaf first, the chain may follow). */
    public Optional<Path> clientCert() {
        return Optional.ofNullable(f.clientCert);
    }

    /** The client's private key file (PEM, in any form OpenSSL writes). */
    public Optional<Path> clientKey() {
        return Optional.ofNullable(f.clientKey);
    }

    /** A copy of the password, if one was set. */
    public Optional<char[]> clientPassword() {
        return Optional.ofNullable(f.clientPassword).map(char[]::clone);
    }

    /** The seed's {@code insist}: true accepts a certificate for another host name (logged). */
    public boolean insist() {
        return f.insist;
    }

    /** True only for {@link #insecureTrustAll()}. */
    public boolean trustAll() {
        return f.trustAll;
    }

    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(f.sslContext);
    }

    /** The trust store file, when one was given by path. */
    public Optional<Path> trustStoreFile() {
        return Optional.ofNullable(f.trustStoreFile);
    }

    /** The trust store, when one was given loaded. */
    public Optional<KeyStore> trustStore() {
        return Optional.ofNullable(f.trustStore);
    }

    /** A copy of the trust store's password, if one was set. */
    public Optional<char[]> trustStorePassword() {
        return Optional.ofNullable(f.trustStorePassword).map(char[]::clone);
    }

    /** The key store file, when one was given by path. */
    public Optional<Path> keyStoreFile() {
        return Optional.ofNullable(f.keyStoreFile);
    }

    /** The key store, when one was given loaded. */
    public Optional<KeyStore> keyStore() {
        return Optional.ofNullable(f.keyStore);
    }

    /** A copy of the key store's password, if one was set. */
    public Optional<char[]> keyStorePassword() {
        return Optional.ofNullable(f.keyStorePassword).map(char[]::clone);
    }

    /** A copy of the private key's password, if one was set. */
    public Optional<char[]> keyPassword() {
        return Optional.ofNullable(f.keyPassword).map(char[]::clone);
    }

    public Optional<X509TrustManager> trustManager() {
        return Optional.ofNullable(f.trustManager);
    }

    public Optional<X509KeyManager> keyManager() {
        return Optional.ofNullable(f.keyManager);
    }

    /** The pins, {@code "sha256/..."}, in the order given. */
    public List<String> pins() {
        return f.pins;
    }

    /** The TLS versions to offer; empty for the JDK's defaults. */
    public List<String> protocols() {
        return f.protocols;
    }

    /** The cipher suites to offer; empty for the JDK's defaults. */
    public List<String> cipherSuites() {
        return f.cipherSuites;
    }

    /** The SNI override, if set. */
    public Optional<String> serverName() {
        return Optional.ofNullable(f.serverName);
    }

    /** True when nothing but the JDK's own defaults is asked for. */
    public boolean usesJdkDefaults() {
        return equals(DEFAULTS);
    }

    // ---- checks --------------------------------------------------------------------------------

    /**
     * At most one source of trust and one of keys: two would leave it unclear which applies. The
     * seed's options keep their old leniency among themselves ({@code insecureTrustAll().caCert(..)}).
     */
    private static void checkSources(Fields f) {
        List<String> trust = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        if (f.caCert != null) {
            trust.add("caCert");
        }
        if (f.trustStoreFile != null || f.trustStore != null) {
            trust.add("trustStore");
        }
        if (f.trustManager != null) {
            trust.add("trustManager");
        }
        if (f.clientCert != null || f.clientKey != null) {
            keys.add(f.clientCert != null ? "clientCert" : "clientKey");
        }
        if (f.keyStoreFile != null || f.keyStore != null) {
            keys.add("keyStore");
        }
        if (f.keyManager != null) {
            keys.add("keyManager");
        }
        if (f.sslContext != null) {
            List<String> others = new ArrayList<>(trust);
            others.addAll(keys);
            if (f.trustAll) {
                others.add("insecureTrustAll()");
            }
            if (!others.isEmpty()) {
                throw new IllegalArgumentException("TlsOptions: sslContext and " + String.join(", ", others)
                        + " are both set: an SSLContext brings its own trust and keys; set one or the other");
            }
        }
        if (trust.size() > 1) {
            throw new IllegalArgumentException("TlsOptions: " + String.join(" and ", trust)
                    + " are both set: give one source of trust");
        }
        if (f.trustAll && (f.trustStoreFile != null || f.trustStore != null || f.trustManager != null)) {
            throw new IllegalArgumentException("TlsOptions: insecureTrustAll() and " + trust.get(0)
                    + " are both set: trust-all checks nothing, so the " + trust.get(0) + " would be ignored");
        }
        if (keys.size() > 1) {
            throw new IllegalArgumentException("TlsOptions: " + String.join(" and ", keys)
                    + " are both set: give one source of the client's key");
        }
    }

    private static List<String> names(String[] names, String option) {
        if (names == null || names.length == 0) {
            throw new IllegalArgumentException(option + ": give at least one name");
        }
        for (String n : names) {
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException(option + ": an empty name in " + Arrays.toString(names));
            }
        }
        return List.of(names);
    }

    private static char[] copy(char[] password) {
        return password == null ? null : password.clone();
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

    // ---- identity ------------------------------------------------------------------------------

    /** Never shows a password: only whether one is set. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("TlsOptions[caCert=").append(f.caCert)
                .append(", clientCert=").append(f.clientCert).append(", clientKey=").append(f.clientKey)
                .append(", clientPassword=").append(f.clientPassword == null ? "none" : "set")
                .append(", insist=").append(f.insist);
        if (f.sslContext != null) {
            s.append(", sslContext=").append(f.sslContext.getProtocol()).append('/').append(f.sslContext.getProvider().getName());
        }
        if (f.trustStoreFile != null || f.trustStore != null) {
            s.append(", trustStore=").append(f.trustStoreFile != null ? f.trustStoreFile : f.trustStore.getType() + " (loaded)")
                    .append(", trustStorePassword=").append(f.trustStorePassword == null ? "none" : "set");
        }
        if (f.keyStoreFile != null || f.keyStore != null) {
            s.append(", keyStore=").append(f.keyStoreFile != null ? f.keyStoreFile : f.keyStore.getType() + " (loaded)")
                    .append(", keyStorePassword=").append(f.keyStorePassword == null ? "none" : "set")
                    .append(", keyPassword=").append(f.keyPassword == null ? "none" : "set");
        }
        if (f.trustManager != null) {
            s.append(", trustManager=").append(f.trustManager.getClass().getName());
        }
        if (f.keyManager != null) {
            s.append(", keyManager=").append(f.keyManager.getClass().getName());
        }
        if (!f.pins.isEmpty()) {
            s.append(", pins=").append(f.pins);
        }
        if (!f.protocols.isEmpty()) {
            s.append(", protocols=").append(f.protocols);
        }
        if (!f.cipherSuites.isEmpty()) {
            s.append(", cipherSuites=").append(f.cipherSuites);
        }
        if (f.serverName != null) {
            s.append(", serverName=").append(f.serverName);
        }
        return s.append(f.trustAll ? ", INSECURE trust-all" : "").append(']').toString();
    }

    /**
     * Paths, passwords and names by value; a user's SSLContext, KeyStore and managers by identity
     * (the same object is the same configuration). Two equal options share one SSLContext.
     */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TlsOptions t)) {
            return false;
        }
        Fields g = t.f;
        return Objects.equals(f.caCert, g.caCert) && Objects.equals(f.clientCert, g.clientCert)
                && Objects.equals(f.clientKey, g.clientKey) && Arrays.equals(f.clientPassword, g.clientPassword)
                && f.insist == g.insist && f.trustAll == g.trustAll
                && f.sslContext == g.sslContext
                && Objects.equals(f.trustStoreFile, g.trustStoreFile) && f.trustStore == g.trustStore
                && Arrays.equals(f.trustStorePassword, g.trustStorePassword)
                && Objects.equals(f.keyStoreFile, g.keyStoreFile) && f.keyStore == g.keyStore
                && Arrays.equals(f.keyStorePassword, g.keyStorePassword) && Arrays.equals(f.keyPassword, g.keyPassword)
                && f.trustManager == g.trustManager && f.keyManager == g.keyManager
                && f.pins.equals(g.pins) && f.protocols.equals(g.protocols) && f.cipherSuites.equals(g.cipherSuites)
                && Objects.equals(f.serverName, g.serverName);
    }

    /** Leaves passwords out, so that a hash says nothing about them. */
    @Override
    public int hashCode() {
        return Objects.hash(f.caCert, f.clientCert, f.clientKey, f.insist, f.trustAll,
                System.identityHashCode(f.sslContext), f.trustStoreFile, System.identityHashCode(f.trustStore),
                f.keyStoreFile, System.identityHashCode(f.keyStore), System.identityHashCode(f.trustManager),
                System.identityHashCode(f.keyManager), f.pins, f.protocols, f.cipherSuites, f.serverName);
    }
}
