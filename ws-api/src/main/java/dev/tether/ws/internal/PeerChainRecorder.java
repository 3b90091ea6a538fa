package dev.tether.ws.internal;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust manager of one configuration: it notes the chain the server presented in the
 * connection's {@link HandshakeNotes}, then lets the real check run ({@code checks}, or none for
 * {@code insecureTrustAll()}). When the handshake fails, the noted chain lets the error say which
 * certificate was refused: its names, issuer and dates, which the JDK's exceptions leave out.
 *
 * <p>Extending X509ExtendedTrustManager (not the plain X509TrustManager) matters twice: the JDK
 * hands it the socket or engine, whose SSLParameters carry the host-name check, and it does not
 * wrap it in a checker of its own, which would verify the host name even under trust-all.
 */
final class PeerChainRecorder extends X509ExtendedTrustManager {
    /** Null for trust-all. */
    private final X509ExtendedTrustManager checks;

    PeerChainRecorder(X509ExtendedTrustManager checks) {
        this.checks = checks;
    }

    /** The real check; null for trust-all. */
    X509ExtendedTrustManager checks() {
        return checks;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        HandshakeNotes.of(socket).chain(chain);
        if (checks != null) {
            checks.checkServerTrusted(chain, authType, socket);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        HandshakeNotes.of(engine).chain(chain);
        if (checks != null) {
            checks.checkServerTrusted(chain, authType, engine);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (checks != null) {
            checks.checkServerTrusted(chain, authType);
        }
    }

    // A client never checks client certificates.

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("a WebSocket client does not accept client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("a WebSocket client does not accept client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a WebSocket client does not accept client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return checks == null ? new X509Certificate[0] : checks.getAcceptedIssuers();
    }
}
