package dev.tether.ws.transport.blocking;

import dev.tether.ws.spi.IpLiteral;
import dev.tether.ws.spi.HostPort;
import dev.tether.ws.spi.Deadline;
import dev.tether.ws.TlsOptions;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Wraps a connected TCP socket in TLS for {@code wss://} (RFC 6455 section 3: "wss" is
 * WebSocket over TLS; section 4.1 item 5: the TLS handshake comes before the opening handshake).
 *
 * <p>For now only what the JDK offers by itself: its default trust store (host name checked,
 * or with {@code insist} only reported), or the explicit trust-all of
 * {@link TlsOptions#insecureTrustAll()}. Certificate files (caCert, clientCert, clientKey) need
 * PEM parsing and key-store plumbing, which belong to the ws-tls module.
 */
final class TlsLayer {
    private static final System.Logger LOG = System.getLogger(TlsLayer.class.getName());

    private TlsLayer() {
    }

    /** Refuses options this transport cannot honour, before any network work is done. */
    static void checkSupported(TlsOptions tls) throws IOException {
        if (tls.caCert().isPresent() || tls.clientCert().isPresent() || tls.clientKey().isPresent()) {
            throw new IOException("TLS with certificate files (caCert, clientCert, clientKey) needs the "
                    + "ws-tls module (dev.tether:ws-tls), which is not available yet; the blocking "
                    + "transport alone supports TlsOptions.defaults(), insist(true) and insecureTrustAll(). "
                    + "Options given: " + tls);
        }
    }

    /**
     * Layers TLS over {@code tcp} and completes the handshake within the deadline. On failure
     * the TCP socket is closed too.
     */
    static SSLSocket wrap(Socket tcp, String host, int port, TlsOptions tls, Deadline deadline)
            throws IOException {
        String target = HostPort.of(host, port);
        SSLContext context = context(tls, target);
        SSLSocket ssl = null;
        try {
            // autoClose: closing the SSLSocket closes the TCP socket under it.
            ssl = (SSLSocket) context.getSocketFactory().createSocket(tcp, host, port, true);
            SSLParameters params = ssl.getSSLParameters();
            sniName(host).ifPresent(name -> params.setServerNames(List.of(name)));
            if (!tls.insist() && !tls.trustAll()) {
                // RFC 6125 host name check, as for HTTPS (RFC 2818 section 3.1).
                params.setEndpointIdentificationAlgorithm("HTTPS");
            }
            ssl.setSSLParameters(params);
            ssl.setSoTimeout(deadline.remainingMillis("TLS handshake with " + target));
            try {
                ssl.startHandshake();
            } catch (SocketTimeoutException e) {
                SocketTimeoutException timeout = deadline.expired("TLS handshake with " + target);
                timeout.initCause(e);
                throw timeout;
            }
            ssl.setSoTimeout(0);  // reads wait for the peer from now on; keep-alive is the engine's
            if (tls.insist() && !tls.trustAll()) {
                reportNameMismatch(ssl, host, target);
            }
            return ssl;
        } catch (IOException | RuntimeException e) {
            // TCP first: closing an SSLSocket mid-handshake may try to write an alert.
            TcpConnector.closeQuietly(tcp);
            if (ssl != null) {
                TcpConnector.closeQuietly(ssl);
            }
            throw e;
        }
    }

    private static SSLContext context(TlsOptions tls, String target) throws IOException {
        if (tls.trustAll()) {
            LOG.log(Level.WARNING, "wss to {0}: TlsOptions.insecureTrustAll(): the server''s "
                    + "certificate is NOT checked (chain and host name); use it only for tests", target);
            return TrustAllContext.get();
        }
        try {
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new IOException("the JDK's default SSLContext is unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * The SNI name for {@code host} (RFC 6066 section 3): only for host names, never for IP
     * literals, and without a trailing dot, which SNI does not allow.
     */
    private static java.util.Optional<SNIHostName> sniName(String host) {
        if (IpLiteral.is(host)) {
            return java.util.Optional.empty();
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        try {
            return java.util.Optional.of(new SNIHostName(name));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();  // not a valid DNS name: connect without SNI
        }
    }

    /** With {@code insist} the chain was verified but the name was not: say so if it differs. */
    private static void reportNameMismatch(SSLSocket ssl, String host, String target) {
        try {
            Certificate[] chain = ssl.getSession().getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate leaf
                    && !CertificateNames.matches(leaf, host)) {
                LOG.log(Level.WARNING, "wss to {0}: the certificate is for {1}, not {2}; connecting "
                        + "anyway because TlsOptions.insist(true)", target, CertificateNames.describe(leaf), host);
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "wss to {0}: no peer certificate to compare names with: {1}", target, e);
        }
    }
}
