package dev.tether.ws.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents the one client certificate of {@code clientCert}/{@code clientKey} whenever a server
 * asks for a certificate of its key type. Unlike the JDK's key managers it does not first match
 * the certificate's issuer against the CAs the server lists: the user named this certificate, so
 * it is sent, and a server that does not accept it says so with an alert the error can name,
 * instead of the client silently sending none.
 */
final class ClientKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "tether-client";

    private final PrivateKey key;
    private final X509Certificate[] chain;

    ClientKeyManager(PrivateKey key, X509Certificate[] chain) {
        this.key = key;
        this.chain = chain.clone();
    }

    /**
     * The JDK asks by key algorithm: "RSA", "RSASSA-PSS", "EC", "EdDSA"; TLS 1.2 also asks
     * "EC_EC" or "EC_RSA" (an EC key whose certificate a CA signed with EC or RSA).
     */
    private boolean fits(String keyType) {
        String wanted = keyType.toUpperCase(Locale.ROOT);
        String have = key.getAlgorithm().toUpperCase(Locale.ROOT);
        return wanted.equals(have) || wanted.startsWith(have + "_")
                || (wanted.equals("EDDSA") && (have.equals("ED25519") || have.equals("ED448")));
    }

    private String choose(String[] keyTypes) {
        if (keyTypes != null) {
            for (String t : keyTypes) {
                if (t != null && fits(t)) {
                    return ALIAS;
                }
            }
        }
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return choose(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return choose(keyTypes);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return fits(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    // A client has no server side.

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
