package dev.tether.ws.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * The key manager of one configuration: it notes in the connection's {@link HandshakeNotes}
 * whether the server asked for a client certificate, then answers as {@code keys} does (none when
 * no client certificate is set). A TLS 1.2 server that wants a certificate and gets none ends
 * the handshake with a bare handshake_failure alert; knowing it asked turns that into "the server
 * requires a client certificate".
 *
 * <p>{@code keys} may be a plain X509KeyManager (a user's): an engine's choice then goes to its
 * socket method without a socket, as the JDK's own wrapper for such managers does.
 */
final class CertificateRequestRecorder extends X509ExtendedKeyManager {
    /** Null when no client certificate is set. */
    private final X509KeyManager keys;

    CertificateRequestRecorder(X509KeyManager keys) {
        this.keys = keys;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        HandshakeNotes.of(socket).certificateRequested();
        return keys == null ? null : keys.chooseClientAlias(keyTypes, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        HandshakeNotes.of(engine).certificateRequested();
        if (keys instanceof X509ExtendedKeyManager extended) {
            return extended.chooseEngineClientAlias(keyTypes, issuers, engine);
        }
        return keys == null ? null : keys.chooseClientAlias(keyTypes, issuers, null);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return keys == null ? null : keys.getClientAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return keys == null ? null : keys.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return keys == null ? null : keys.getPrivateKey(alias);
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
