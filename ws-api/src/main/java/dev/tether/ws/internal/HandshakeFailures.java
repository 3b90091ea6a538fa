package dev.tether.ws.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;

/**
 * Says which check failed in a TLS handshake. The JDK's exceptions carry the answer, but deep
 * in their causes and in its own words ("PKIX path building failed: ...: unable to find valid
 * certification path to requested target"); users need "unknown CA", "expired", "host-name
 * mismatch" or "client certificate refused", and which certificate it was about.
 */
final class HandshakeFailures {
    private static final String PREFIX = "TLS handshake with ";
    private static final Pattern RECEIVED_ALERT = Pattern.compile("Received fatal alert: (\\w+)");
    /**
     * Alerts a server sends when it does not accept the client's certificate, or wanted one and
     * got none (RFC 8446 section 6.2; certificate_required is TLS 1.3's, 116).
     */
    private static final Set<String> CLIENT_CERTIFICATE_ALERTS = Set.of("bad_certificate", "unsupported_certificate",
            "certificate_revoked", "certificate_expired", "certificate_unknown", "unknown_ca", "access_denied",
            "certificate_required");

    private HandshakeFailures() {
    }

    /**
     * @param always true during the handshake: every failure is reported as the handshake's;
     *     false after it: only a recognised TLS reason is rewritten
     * @param early true while no application data has arrived: a connection that breaks after
     *     the server asked for a client certificate is then read as a refusal
     */
    static IOException explain(IOException failure, ClientTls tls, boolean always, boolean early) {
        if (failure instanceof SocketTimeoutException || (failure.getMessage() != null
                && failure.getMessage().startsWith(PREFIX))) {
            return failure;  // a deadline's own message, or explained already
        }
        String why = reason(failure, tls, early);
        if (why == null && !always) {
            return failure;
        }
        if (why == null) {
            why = failure instanceof EOFException || failure.getMessage() == null
                    ? "the server closed the connection (" + failure + ")" : failure.getMessage();
        }
        SSLHandshakeException explained = new SSLHandshakeException(PREFIX + tls.target() + " failed: " + why);
        explained.initCause(failure);
        return explained;
    }

    private static String reason(Throwable failure, ClientTls tls, boolean early) {
        String alert = receivedAlert(failure);
        if (alert != null) {
            return alertReason(alert, tls);
        }
        X509Certificate[] chain = tls.peerChain();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException
                    || t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return expired(chain);
            }
            if (t instanceof CertificateNotYetValidException
                    || t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return "the server's certificate is not valid yet" + dates(chain) + " (is this machine's clock right?)";
            }
            if (t instanceof CertPathBuilderException
                    || t instanceof CertPathValidatorException v && (v.getReason() == PKIXReason.NO_TRUST_ANCHOR
                    || v.getReason() == CertPathValidatorException.BasicReason.INVALID_SIGNATURE)) {
                return unknownCa(chain, tls);
            }
            if (t instanceof CertificateException && isNameMismatch(t.getMessage())) {
                return "host-name mismatch: the server's certificate is for "
                        + (chain.length == 0 ? "other names" : CertificateNames.describe(chain[0])) + ", not "
                        + tls.expectedName() + " (RFC 6125); TlsOptions.insist(true) accepts it (the chain is still "
                        + "verified, the mismatch logged)";
            }
        }
        if (early && tls.certificateRequested() && isConnectionBreak(failure)) {
            // The server asked for a client certificate, then hung up: its alert was lost to the
            // connection's reset (our flight was still being written), but that is what it means.
            Optional<String> clientCert = tls.clientCertificate();
            String broke = "the server closed the connection (" + failure.getMessage() + ") after asking for a client "
                    + "certificate: ";
            return clientCert.map(c -> broke + "it probably refused the client certificate " + c)
                    .orElse(broke + "it probably requires one; set TlsOptions.clientCert and clientKey");
        }
        return null;
    }

    /**
     * The peer hung up or reset the connection, rather than sending an alert: the failure
     * itself, or the cause the JDK wrapped in its SSLException; not a deeper cause (a write
     * timeout's closed socket).
     */
    private static boolean isConnectionBreak(Throwable failure) {
        Throwable t = failure instanceof javax.net.ssl.SSLException && failure.getCause() != null
                ? failure.getCause() : failure;
        String m = String.valueOf(failure.getMessage());
        return t instanceof SocketException || t instanceof EOFException || m.contains("terminated the handshake")
                || m.contains("closed by remote host");
    }

    /** The JDK words a failed host-name check (sun.security.util.HostnameChecker) like these. */
    private static boolean isNameMismatch(String message) {
        return message != null && (message.startsWith("No subject alternative") || message.startsWith("No name matching")
                || message.startsWith("Hostname or IP address is undefined"));
    }

    /** The alert the server sent, from the JDK's "(bad_certificate) Received fatal alert: bad_certificate". */
    private static String receivedAlert(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            Matcher m = t.getMessage() == null ? null : RECEIVED_ALERT.matcher(t.getMessage());
            if (m != null && m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    private static String alertReason(String alert, ClientTls tls) {
        Optional<String> clientCert = tls.clientCertificate();
        // TLS 1.2 servers answer a missing or refused certificate with a bare handshake_failure;
        // that the server asked for one tells the cases apart.
        boolean aboutClientCertificate = CLIENT_CERTIFICATE_ALERTS.contains(alert)
                || (alert.equals("handshake_failure") && tls.certificateRequested());
        if (aboutClientCertificate) {
            return clientCert.isPresent()
                    ? "the server refused the client certificate " + clientCert.get() + " (alert " + alert + ")"
                    : "the server requires a client certificate (alert " + alert + "); set TlsOptions.clientCert and clientKey";
        }
        if (alert.equals("protocol_version")) {
            return "the server shares no TLS version with this client (alert protocol_version)";
        }
        return "the server ended the handshake (alert " + alert + ")"
                + (alert.equals("handshake_failure") ? ": no cipher suite or key exchange in common" : "");
    }

    private static String expired(X509Certificate[] chain) {
        Date now = new Date();
        for (X509Certificate c : chain) {
            if (c.getNotAfter().before(now)) {
                return "expired: the server's certificate " + c.getSubjectX500Principal().getName()
                        + (c == chain[0] ? "" : " (in its chain)") + " was valid until " + c.getNotAfter().toInstant();
            }
        }
        return "expired: a certificate in the server's chain is past its validity" + dates(chain);
    }

    private static String dates(X509Certificate[] chain) {
        return chain.length == 0 ? "" : " (" + chain[0].getSubjectX500Principal().getName() + ": valid from "
                + chain[0].getNotBefore().toInstant() + " until " + chain[0].getNotAfter().toInstant() + ")";
    }

    private static String unknownCa(X509Certificate[] chain, ClientTls tls) {
        String cert = chain.length == 0 ? "the server's certificate"
                : "the server's certificate " + chain[0].getSubjectX500Principal().getName() + ", issued by "
                + chain[chain.length - 1].getIssuerX500Principal().getName() + ",";
        String source = tls.trustSource();
        return "unknown CA: " + cert + " does not chain to " + source
                + (source.contains("JDK's default trust store") ? "; for a private CA set TlsOptions.caCert" : "");
    }
}
