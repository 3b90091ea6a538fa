package dev.tether.ws.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Certificate pinning by public key, in OkHttp's {@code CertificatePinner} notation:
 * {@code "sha256/"} + base64 of the SHA-256 of the certificate's DER SubjectPublicKeyInfo (the
 * same value as HPKP's pin-sha256, RFC 7469 section 2.4). Pinning the key rather than the
 * certificate survives renewals with the same key, and pinning a CA's key survives any renewal
 * it signs.
 *
 * <p>Checked after the chain verified (a pin narrows trust, it never replaces it): one pin must
 * match one certificate of the chain, the server's certificates or the trust anchor they end at.
 */
public final class CertificatePins {
    private static final String PREFIX = "sha256/";
    private static final int SHA256_BYTES = 32;

    private CertificatePins() {
    }

    /**
     * Checks a pin's form: {@code sha256/} and the standard base64 of 32 bytes.
     *
     * @return the pin, unchanged
     * @throws IllegalArgumentException naming the pin and what is wrong with it
     */
    public static String parse(String pin) {
        if (pin == null) {
            throw new IllegalArgumentException("pin: null");
        }
        if (!pin.startsWith(PREFIX)) {
            throw new IllegalArgumentException("pin \"" + pin + "\": a pin is \"sha256/\" and the base64 of the "
                    + "SHA-256 of a certificate's SubjectPublicKeyInfo (as OkHttp's CertificatePinner writes it)"
                    + (pin.startsWith("sha1/") ? "; sha1 pins are not supported" : ""));
        }
        byte[] hash;
        try {
            hash = Base64.getDecoder().decode(pin.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pin \"" + pin + "\": not base64 after \"sha256/\": " + e.getMessage(), e);
        }
        if (hash.length != SHA256_BYTES) {
            throw new IllegalArgumentException("pin \"" + pin + "\": " + hash.length + " bytes after \"sha256/\", "
                    + "a SHA-256 hash has " + SHA256_BYTES);
        }
        return pin;
    }

    /** The pin of {@code certificate}'s public key: {@code sha256/} + base64(SHA-256(SubjectPublicKeyInfo)). */
    public static String of(X509Certificate certificate) {
        try {
            // getEncoded() of an X.509 public key is its DER SubjectPublicKeyInfo (RFC 5280 4.1.2.7).
            byte[] spki = certificate.getPublicKey().getEncoded();
            return PREFIX + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /**
     * Passes when {@code pins} is empty or one of them is the key of a certificate of
     * {@code chain}.
     *
     * @param target {@code host:port}, for the message
     * @throws SSLPeerUnverifiedException listing the chain's pins and the pinned ones, as OkHttp does
     */
    static void check(List<String> pins, List<X509Certificate> chain, String target, String host)
            throws SSLPeerUnverifiedException {
        if (pins.isEmpty()) {
            return;
        }
        List<String> seen = new ArrayList<>();
        for (X509Certificate c : chain) {
            String pin = of(c);
            if (pins.contains(pin)) {
                return;
            }
            seen.add(pin + ": " + c.getSubjectX500Principal().getName());
        }
        StringBuilder m = new StringBuilder("TLS handshake with ").append(target)
                .append(" failed: Certificate pinning failure!\n  Peer certificate chain:");
        for (String s : seen) {
            m.append("\n    ").append(s);
        }
        m.append("\n  Pinned certificates for ").append(host).append(':');
        for (String p : pins) {
            m.append("\n    ").append(p);
        }
        throw new SSLPeerUnverifiedException(m.toString());
    }
}
