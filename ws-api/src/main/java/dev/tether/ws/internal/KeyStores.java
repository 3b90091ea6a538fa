package dev.tether.ws.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Key stores, PKCS#12 and JKS, read by the JDK alone (no BouncyCastle: these are the JDK's own
 * formats), into the managers an SSLContext is made of. Every error names the option, the file
 * when there is one, and what is wrong: a wrong password names the password option.
 */
final class KeyStores {
    private KeyStores() {
    }

    /**
     * Reads {@code file}, PKCS#12 or JKS told apart by content ({@link KeyStore#getInstance(java.io.File, char[])}).
     *
     * @param option "trustStore" or "keyStore", for messages
     */
    static KeyStore load(Path file, char[] password, String option) throws IOException {
        try {
            return KeyStore.getInstance(file.toFile(), password);
        } catch (KeyStoreException e) {
            throw new IOException(option + " " + file + ": not a PKCS#12 or JKS key store (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IOException(option + " " + file + ": wrong " + option + "Password"
                        + (password == null ? " (none given)" : "") + " (" + e.getMessage() + ")", e);
            }
            throw new IOException(option + " " + file + ": cannot be read: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IOException(option + " " + file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * A PKIX trust manager that trusts exactly the certificate entries of {@code store}.
     *
     * @param where "trustStore /path" or "trustStore", for messages
     */
    static X509ExtendedTrustManager trust(KeyStore store, String where) throws IOException {
        try {
            int certificates = 0;
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias)) {
                    certificates++;
                }
            }
            if (certificates == 0) {
                throw new IOException(where + ": holds no trusted certificate entry (found: " + store.size()
                        + " other entries)");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager m : factory.getTrustManagers()) {
                if (m instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new IOException(where + ": the JDK's PKIX TrustManagerFactory made no X509ExtendedTrustManager");
        } catch (GeneralSecurityException e) {
            throw new IOException(where + ": cannot be used for trust: " + e.getMessage(), e);
        }
    }

    /**
     * A PKIX key manager over the private key entries of {@code store}, each checked to open
     * with {@code keyPassword} now (the JDK's manager would find out only during a handshake,
     * and then present no certificate at all).
     *
     * @param where "keyStore /path" or "keyStore", for messages
     */
    static X509ExtendedKeyManager keys(KeyStore store, char[] keyPassword, String where) throws IOException {
        try {
            List<String> keyAliases = Collections.list(store.aliases()).stream().filter(a -> isKey(store, a)).toList();
            if (keyAliases.isEmpty()) {
                throw new IOException(where + ": holds no private key entry (found: " + store.size()
                        + " certificate entries)");
            }
            for (String alias : keyAliases) {
                try {
                    store.getKey(alias, keyPassword);
                } catch (UnrecoverableKeyException e) {
                    throw new IOException(where + ": wrong keyPassword for the key \"" + alias + "\""
                            + (keyPassword == null ? " (none given)" : "") + " (" + e.getMessage() + ")", e);
                }
            }
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
            factory.init(store, keyPassword);
            for (KeyManager m : factory.getKeyManagers()) {
                if (m instanceof X509ExtendedKeyManager x) {
                    return x;
                }
            }
            throw new IOException(where + ": the JDK's PKIX KeyManagerFactory made no X509ExtendedKeyManager");
        } catch (GeneralSecurityException e) {
            throw new IOException(where + ": cannot be used for the client's key: " + e.getMessage(), e);
        }
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (KeyStoreException e) {
            throw new IllegalStateException("key store not loaded", e);
        }
    }
}
