package dev.tether.ws.internal;

import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The SSLContext of one TLS configuration, shared by every connection made with it: its client
 * session cache is what lets a reconnect resume the session (RFC 8446 section 2.2, RFC 5246
 * section 7.3), keyed by the peer's host and port the engines are created with.
 *
 * @param context the context; ours wraps the managers in {@link PeerChainRecorder} and
 *     {@link CertificateRequestRecorder}, a user's is used as it is
 * @param anchors the trust anchors, to complete a chain for pinning; empty when unknown (a
 *     user's SSLContext) or none (trust-all)
 * @param trustSource where trust comes from, for messages: "the CA in caCert /path"
 * @param clientCertificate which client certificate is offered, for messages; empty for none
 */
record TlsContext(SSLContext context, X509Certificate[] anchors, String trustSource,
                  Optional<String> clientCertificate) {
}
