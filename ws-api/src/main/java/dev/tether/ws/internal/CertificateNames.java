package dev.tether.ws.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Which names a server certificate is for, and whether a host is one of them (RFC 6125
 * section 6: subjectAltName dNSName and iPAddress entries, a wildcard only as the whole
 * left-most label). Used to <em>report</em> a mismatch under {@code insist(true)} and to name
 * the certificate's names when a handshake fails; the check that refuses connections is the
 * JDK's own (endpoint identification "HTTPS").
 */
final class CertificateNames {
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private CertificateNames() {
    }

    static boolean matches(X509Certificate cert, String host) {
        String name = normalise(host);
        boolean ip = IpLiteral.is(name);
        for (List<?> san : subjectAltNames(cert)) {
            int type = (Integer) san.get(0);
            String value = String.valueOf(san.get(1));
            if (ip && type == SAN_IP && sameAddress(value, name)) {
                return true;
            }
            if (!ip && type == SAN_DNS && dnsMatches(normalise(value), name)) {
                return true;
            }
        }
        return false;
    }

    /** The subjectAltNames for a log line, or the subject when there are none. */
    static String describe(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        for (List<?> san : subjectAltNames(cert)) {
            names.add(String.valueOf(san.get(1)));
        }
        return names.isEmpty() ? cert.getSubjectX500Principal().getName() : String.join(", ", names);
    }

    private static Collection<List<?>> subjectAltNames(X509Certificate cert) {
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            return sans == null ? List.of() : sans;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static boolean dnsMatches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot + 1).equals(pattern.substring(2));
        }
        return pattern.equals(host);
    }

    private static boolean sameAddress(String a, String b) {
        try {
            // Both are literals, so no lookup happens; this compares ::1 with 0:0:0:0:0:0:0:1.
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String normalise(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return n.toLowerCase(Locale.ROOT);
    }
}
