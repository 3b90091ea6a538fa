package dev.tether.ws.internal;

import dev.tether.ws.TlsOptions;
import dev.tether.ws.spi.TlsProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;

/**
 * One {@link TlsContext} per distinct configuration, so that reconnects (and other WebSockets with
 * equal options) share an SSLContext and can resume TLS sessions; a context per connect would
 * start each with an empty session cache.
 *
 * <p>The key is the {@link TlsOptions} (user objects by identity) and the SHA-256 of every file
 * they name: files are read at each connect, and a renewed certificate or key store makes a new
 * context, as it did when each connect made its own. Everything in the options is in the key,
 * not only what the context is made of: a session verified under {@code insist(true)}, another
 * SNI name or other pins must never be resumed by a connection that checks more.
 *
 * <p>Bounded: past {@link #MAX_CONTEXTS} configurations the least recently used one is dropped
 * (its connections keep it; only its resumption is lost).
 */
final class TlsContextCache {
    static final int MAX_CONTEXTS = 32;

    /** Guards {@link #CACHE}; held only for map operations, never while reading files. */
    private static final ReentrantLock LOCK = new ReentrantLock();
    /** Access order: the eldest is the least recently used. Guarded by {@link #LOCK}. */
    private static final Map<Key, TlsContext> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, TlsContext> eldest) {
            return size() > MAX_CONTEXTS;
        }
    };

    private record Key(TlsOptions options, List<String> fileDigests) {
    }

    private TlsContextCache() {
    }

    /**
     * The context for {@code options}, made (files read, stores opened) when it is not cached.
     *
     * @throws IOException naming the option, the file and what is wrong with it
     */
    static TlsContext get(TlsOptions options) throws IOException {
        Key key = new Key(options, digests(options));
        LOCK.lock();
        try {
            TlsContext cached = CACHE.get(key);
            if (cached != null) {
                return cached;
            }
        } finally {
            LOCK.unlock();
        }
        TlsContext made = make(options);
        LOCK.lock();
        try {
            TlsContext raced = CACHE.putIfAbsent(key, made);
            return raced != null ? raced : made;
        } finally {
            LOCK.unlock();
        }
    }

    private static List<String> digests(TlsOptions options) throws IOException {
        List<String> digests = new ArrayList<>();
        digest("caCert", options.caCert(), digests);
        digest("clientCert", options.clientCert(), digests);
        digest("clientKey", options.clientKey(), digests);
        digest("trustStore", options.trustStoreFile(), digests);
        digest("keyStore", options.keyStoreFile(), digests);
        return digests;
    }

    private static void digest(String option, Optional<Path> file, List<String> into) throws IOException {
        if (file.isEmpty()) {
            return;
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file.get());
        } catch (IOException e) {
            throw new IOException(option + " " + file.get() + ": cannot be read: " + e, e);
        }
        try {
            into.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    private static TlsContext make(TlsOptions options) throws IOException {
        if (options.sslContext().isPresent()) {
            SSLContext user = options.sslContext().get();
            SSLParameters supported;
            try {
                supported = user.getSupportedSSLParameters();
            } catch (IllegalStateException e) {
                throw new IOException("sslContext: cannot be used: " + e.getMessage() + " (call its init first)", e);
            }
            checkNames(options, supported);
            return new TlsContext(user, new X509Certificate[0], "a CA the sslContext trusts",
                    Optional.of("of the sslContext (if it has one)"));
        }
        TlsProvider.Material pem = ClientTls.namesFiles(options) ? ClientTls.requireProvider(options).load(options) : null;

        X509KeyManager keys = null;
        Optional<String> clientCertificate = Optional.empty();
        if (pem != null && pem.keyManager() != null) {
            keys = pem.keyManager();
            clientCertificate = Optional.of(String.valueOf(options.clientCert().or(options::clientKey).orElseThrow()));
        } else if (options.keyStoreFile().isPresent()) {
            Path file = options.keyStoreFile().get();
            char[] storePassword = options.keyStorePassword().orElse(null);
            KeyStore store = KeyStores.load(file, storePassword, "keyStore");
            keys = KeyStores.keys(store, options.keyPassword().orElse(storePassword), "keyStore " + file);
            clientCertificate = Optional.of("in keyStore " + file);
        } else if (options.keyStore().isPresent()) {
            keys = KeyStores.keys(options.keyStore().get(), options.keyPassword().orElse(null), "keyStore");
            clientCertificate = Optional.of("in the keyStore");
        } else if (options.keyManager().isPresent()) {
            keys = options.keyManager().get();
            clientCertificate = Optional.of("of the keyManager");
        }

        X509ExtendedTrustManager trust;
        String trustSource;
        if (options.trustAll()) {
            trust = null;
            trustSource = "nothing (insecureTrustAll)";
        } else if (pem != null && pem.trustManager() != null) {
            trust = pem.trustManager();
            trustSource = "the CA in caCert " + options.caCert().orElseThrow();
        } else if (options.trustStoreFile().isPresent()) {
            Path file = options.trustStoreFile().get();
            trust = KeyStores.trust(KeyStores.load(file, options.trustStorePassword().orElse(null), "trustStore"),
                    "trustStore " + file);
            trustSource = "a CA in trustStore " + file;
        } else if (options.trustStore().isPresent()) {
            trust = KeyStores.trust(options.trustStore().get(), "trustStore");
            trustSource = "a CA in the trustStore";
        } else if (options.trustManager().isPresent()) {
            trust = PlainTrustAdapter.of(options.trustManager().get());
            trustSource = "a CA the trustManager accepts";
        } else {
            trust = DefaultTrust.get();
            trustSource = "a CA in the JDK's default trust store";
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new CertificateRequestRecorder(keys)},
                    new TrustManager[] {new PeerChainRecorder(trust)}, null);
            checkNames(options, context.getSupportedSSLParameters());
            return new TlsContext(context, trust == null ? new X509Certificate[0] : trust.getAcceptedIssuers(),
                    trustSource, clientCertificate);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create a TLS context for " + options + ": " + e.getMessage(), e);
        }
    }

    /** Protocols and cipher suites this JDK does not know fail here, named, rather than in every handshake. */
    private static void checkNames(TlsOptions options, SSLParameters supported) throws IOException {
        unknown("protocols", options.protocols(), List.of(supported.getProtocols()));
        unknown("cipherSuites", options.cipherSuites(), List.of(supported.getCipherSuites()));
    }

    private static void unknown(String option, List<String> asked, List<String> supported) throws IOException {
        for (String name : asked) {
            if (!supported.contains(name)) {
                throw new IOException(option + ": \"" + name + "\" is not supported by this JDK's TLS (supported: "
                        + String.join(", ", supported) + ")");
            }
        }
    }

    /** The JDK's default trust store, read once: reading cacerts takes tens of milliseconds. */
    private static final class DefaultTrust {
        private static final X509ExtendedTrustManager TRUST = create();

        private static X509ExtendedTrustManager create() {
            try {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init((KeyStore) null);
                for (TrustManager m : factory.getTrustManagers()) {
                    if (m instanceof X509ExtendedTrustManager x) {
                        return x;
                    }
                }
                throw new IllegalStateException("the JDK's default TrustManagerFactory has no X509ExtendedTrustManager");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot read the JDK's default trust store: " + e.getMessage(), e);
            }
        }

        static X509ExtendedTrustManager get() throws IOException {
            try {
                return TRUST;
            } catch (LinkageError e) {  // the holder failed to initialise, now or on an earlier call
                throw new IOException("cannot read the JDK's default trust store", e);
            }
        }
    }
}
