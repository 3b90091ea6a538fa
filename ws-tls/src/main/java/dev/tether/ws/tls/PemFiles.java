package dev.tether.ws.tls;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Certificates and private keys from PEM files as OpenSSL writes them.
 *
 * <ul>
 *   <li>Certificates: one or many {@code CERTIFICATE} blocks (a chain file, a CA bundle).</li>
 *   <li>Private keys: {@code PRIVATE KEY} (PKCS#8), {@code RSA PRIVATE KEY} (PKCS#1),
 *       {@code EC PRIVATE KEY} (SEC1, with or without the {@code EC PARAMETERS} block
 *       {@code openssl ecparam -genkey} puts before it); encrypted as
 *       {@code ENCRYPTED PRIVATE KEY} (PKCS#8 with PBES2, OpenSSL 3's default, or the older
 *       PKCS#5/PKCS#12 schemes) or in the legacy form with {@code Proc-Type: 4,ENCRYPTED} and
 *       {@code DEK-Info} headers.</li>
 * </ul>
 * BouncyCastle's PEM parser and decryptors do the reading (the JDK reads neither PKCS#1, SEC1 nor
 * encrypted PEM); keys and certificates come out as the JDK's own objects. Every failure is a
 * {@link PemFileException} naming the file and what was wrong with it.
 */
public final class PemFiles {
    private PemFiles() {
    }

    /**
     * Every certificate in {@code file}, in file order (leaf first for a chain).
     *
     * @throws PemFileException when the file cannot be read, is not PEM, or holds no certificate
     */
    public static List<X509Certificate> certificates(Path file) throws PemFileException {
        List<Object> objects = read(file);
        List<X509Certificate> certs = certificatesIn(file, objects);
        if (certs.isEmpty()) {
            throw new PemFileException(file, "holds no certificate (" + found(objects) + ")", null);
        }
        return certs;
    }

    /**
     * The one private key in {@code file}, decrypted with {@code password} when it is encrypted.
     *
     * @param password null when the key is not encrypted
     * @throws PemFileException when the file cannot be read, is not PEM, holds no private key or
     *     more than one, is encrypted and no password or the wrong one was given
     */
    public static PrivateKey privateKey(Path file, char[] password) throws PemFileException {
        List<Object> objects = read(file);
        List<Object> keys = objects.stream().filter(PemFiles::isPrivateKey).toList();
        if (keys.isEmpty()) {
            throw new PemFileException(file, "holds no private key (" + found(objects) + ")", null);
        }
        if (keys.size() > 1) {
            throw new PemFileException(file, "holds " + keys.size() + " private keys; give a file with one", null);
        }
        return toKey(file, keys.get(0), password);
    }

    /** True when {@code file} holds a private key; false for none, or a file that cannot be read. */
    static boolean holdsPrivateKey(Path file) {
        try {
            return read(file).stream().anyMatch(PemFiles::isPrivateKey);
        } catch (PemFileException e) {
            return false;
        }
    }

    /** True when {@code file} holds a certificate; false for none, or a file that cannot be read. */
    static boolean holdsCertificate(Path file) {
        try {
            return read(file).stream().anyMatch(o -> o instanceof X509CertificateHolder);
        } catch (PemFileException e) {
            return false;
        }
    }

    // ---- reading ------------------------------------------------------------------------------

    private static List<Object> read(Path file) throws PemFileException {
        String text;
        try {
            // ISO-8859-1 maps every byte, so a binary file is refused below for what it is.
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new PemFileException(file, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new PemFileException(file, "not readable (permission denied)", e);
        } catch (IOException e) {
            throw new PemFileException(file, "cannot be read: " + e.getMessage(), e);
        }
        if (!text.contains("-----BEGIN ")) {
            throw new PemFileException(file, "is not PEM: no \"-----BEGIN\" line (a DER file converts with "
                    + "openssl x509 -inform der, or openssl pkey -inform der for a key)", null);
        }
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object o; (o = parser.readObject()) != null; ) {
                objects.add(o);
            }
        } catch (IOException | RuntimeException e) {
            throw new PemFileException(file, "is not valid PEM: " + e.getMessage(), e);
        }
        if (objects.isEmpty()) {
            throw new PemFileException(file, "holds no PEM block that could be read", null);
        }
        return objects;
    }

    private static List<X509Certificate> certificatesIn(Path file, List<Object> objects) throws PemFileException {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certs = new ArrayList<>();
        for (Object o : objects) {
            if (o instanceof X509CertificateHolder holder) {
                try {
                    certs.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new PemFileException(file, "certificate " + (certs.size() + 1) + " cannot be read: "
                            + e.getMessage(), e);
                }
            }
        }
        return certs;
    }

    private static boolean isPrivateKey(Object o) {
        return o instanceof PEMKeyPair || o instanceof PrivateKeyInfo || o instanceof PEMEncryptedKeyPair
                || o instanceof PKCS8EncryptedPrivateKeyInfo;
    }

    private static PrivateKey toKey(Path file, Object pem, char[] password) throws PemFileException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();  // the JDK's KeyFactory
        try {
            return switch (pem) {
                // Only the private half: SEC1's public key field is optional, and often absent.
                case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case PEMEncryptedKeyPair encrypted -> {
                    String form = "encrypted with Proc-Type: 4,ENCRYPTED (" + encrypted.getDekAlgName() + ")";
                    needPassword(file, password, form);
                    PEMKeyPair pair;
                    try {
                        pair = encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                                .setProvider(Decryption.provider()).build(password));
                    } catch (IOException | RuntimeException e) {
                        throw wrongPassword(file, form, e);
                    }
                    yield converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                case PKCS8EncryptedPrivateKeyInfo encrypted -> {
                    ASN1ObjectIdentifier scheme = encrypted.getEncryptionAlgorithm().getAlgorithm();
                    String form = "encrypted PKCS#8 (" + (PKCSObjectIdentifiers.id_PBES2.equals(scheme)
                            ? "PBES2" : scheme.getId()) + ")";
                    needPassword(file, password, form);
                    PrivateKeyInfo info;
                    try {
                        info = encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                                .setProvider(Decryption.provider()).build(password));
                    } catch (Exception e) {  // PKCSException, OperatorCreationException, bad ASN.1
                        throw wrongPassword(file, form, e);
                    }
                    yield converter.getPrivateKey(info);
                }
                default -> throw new PemFileException(file, "holds " + kind(pem) + ", not a private key", null);
            };
        } catch (PemFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new PemFileException(file, "the private key cannot be used: " + e.getMessage(), e);
        }
    }

    private static void needPassword(Path file, char[] password, String form) throws PemFileException {
        if (password == null) {
            throw new PemFileException(file, "the key is " + form + ": set the password (clientPassword)", null);
        }
    }

    private static PemFileException wrongPassword(Path file, String form, Exception e) {
        return new PemFileException(file, "wrong password: the key (" + form + ") did not decrypt"
                + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
    }

    /** "found: 2 certificates" / "found: a private key", for "holds no ..." messages. */
    private static String found(List<Object> objects) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Object o : objects) {
            counts.merge(kind(o), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((kind, n) -> parts.add(n == 1 || !kind.startsWith("a ") ? kind : n + " " + kind.substring(2) + "s"));
        return "found: " + String.join(", ", parts);
    }

    private static String kind(Object o) {
        return switch (o) {
            case X509CertificateHolder c -> "a certificate";
            case PEMKeyPair k -> "a private key";
            case PrivateKeyInfo k -> "a private key";
            case PEMEncryptedKeyPair k -> "a private key";
            case PKCS8EncryptedPrivateKeyInfo k -> "a private key";
            case SubjectPublicKeyInfo k -> "a public key";
            case PKCS10CertificationRequest r -> "a certificate request";
            case X509CRLHolder c -> "a CRL";
            case ASN1ObjectIdentifier p -> "EC parameters";
            case X9ECParameters p -> "EC parameters";
            default -> "a " + o.getClass().getSimpleName();
        };
    }
}
