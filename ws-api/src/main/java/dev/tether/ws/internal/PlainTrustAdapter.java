package dev.tether.ws.internal;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A user's plain X509TrustManager as an X509ExtendedTrustManager. The JDK wraps a plain manager
 * in one that adds the host-name check; ours is wrapped in {@link PeerChainRecorder} instead, so
 * the check is added here: the user's manager verifies the chain, then, when the connection asks
 * for endpoint identification, the leaf must be for the SNI name sent or for the peer host (the
 * JDK's rule in X509TrustManagerImpl, RFC 6125 matching as in {@link CertificateNames}).
 */
final class PlainTrustAdapter extends X509ExtendedTrustManager {
    private final X509TrustManager plain;

    private PlainTrustAdapter(X509TrustManager plain) {
        this.plain = plain;
    }

    static X509ExtendedTrustManager of(X509TrustManager manager) {
        return manager instanceof X509ExtendedTrustManager extended ? extended : new PlainTrustAdapter(manager);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        plain.checkServerTrusted(chain, authType);
        if (socket instanceof SSLSocket ssl) {
            checkName(chain, ssl.getSSLParameters(), ssl.getHandshakeSession());
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        plain.checkServerTrusted(chain, authType);
        if (engine != null) {
            checkName(chain, engine.getSSLParameters(), engine.getHandshakeSession());
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        plain.checkServerTrusted(chain, authType);
    }

    private static void checkName(X509Certificate[] chain, SSLParameters params, SSLSession session)
            throws CertificateException {
        if (!"HTTPS".equalsIgnoreCase(params.getEndpointIdentificationAlgorithm()) || chain.length == 0) {
            return;
        }
        List<String> names = new ArrayList<>();
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName n : extended.getRequestedServerNames()) {
                if (n instanceof SNIHostName host) {
                    names.add(host.getAsciiName());
                }
            }
        }
        if (session != null && session.getPeerHost() != null) {
            names.add(session.getPeerHost());
        }
        for (String name : names) {
            if (CertificateNames.matches(chain[0], name)) {
                return;
            }
        }
        // Worded as the JDK's HostnameChecker words it, which HandshakeFailures recognises.
        throw new CertificateException("No name matching " + (names.isEmpty() ? "the host" : names.get(0)) + " found");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        plain.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        plain.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        plain.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return plain.getAcceptedIssuers();
    }
}
