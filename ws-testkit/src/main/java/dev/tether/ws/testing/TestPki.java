package dev.tether.ws.testing;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small PKI made at test time (no key material in the repository), written as PEM files the
 * way OpenSSL writes them: a test CA, server certificates signed by it (for localhost and
 * 127.0.0.1, for another host name, and an expired one), and client certificates whose private
 * keys are written in every PEM form a user may have: PKCS#8, PKCS#1 (RSA) and SEC1 (EC), each
 * plain and encrypted (PBES2 for PKCS#8, the legacy {@code Proc-Type: 4,ENCRYPTED} form for the
 * others) with {@link #PASSWORD}.
 *
 * <p>Server keys are EC P-256 (fast to make); one RSA-2048 client key covers the RSA forms.
 */
public final class TestPki {
    /** The password of every encrypted key. */
    public static final char[] PASSWORD = "tether test password".toCharArray();
    /** The test CA's subject, as error messages name it. */
    public static final String CA_NAME = "CN=Tether Test CA";
    /** The name on the {@link ServerCert#OTHER_HOST} certificate. */
    public static final String OTHER_HOST = "other.example.test";

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** The server certificates, each signed by the test CA. */
    public enum ServerCert {
        /** dNSName localhost, iPAddress 127.0.0.1; valid from yesterday for two days. */
        LOCALHOST,
        /** dNSName {@link #OTHER_HOST} only. */
        OTHER_HOST,
        /** localhost and 127.0.0.1, but expired yesterday. */
        EXPIRED
    }

    /** The client key, in each form a PEM file may hold it. */
    public enum KeyForm {
        RSA_PKCS8(false), RSA_PKCS8_ENCRYPTED(true), RSA_PKCS1(false), RSA_PKCS1_ENCRYPTED(true),
        EC_PKCS8(false), EC_PKCS8_ENCRYPTED(true), EC_SEC1(false), EC_SEC1_ENCRYPTED(true);

        private final boolean encrypted;

        KeyForm(boolean encrypted) {
            this.encrypted = encrypted;
        }

        public boolean encrypted() {
            return encrypted;
        }

        boolean rsa() {
            return name().startsWith("RSA");
        }
    }

    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final Path caFile;
    private final Path caBundleFile;
    private final Path otherCaFile;
    private final KeyPair serverKeys;
    private final Map<ServerCert, X509Certificate> servers = new EnumMap<>(ServerCert.class);
    private final Map<KeyForm, Path> keyFiles = new EnumMap<>(KeyForm.class);
    private final Path rsaClientCert;
    private final Path ecClientCert;
    private final KeyPair ecClient;
    private final X509Certificate ecClientCertificate;

    private TestPki(Path dir) throws IOException, GeneralSecurityException {
        this.dir = dir;
        Instant now = Instant.now();
        Instant from = now.minus(Duration.ofDays(1));
        Instant until = now.plus(Duration.ofDays(2));

        caKeys = ec();
        ca = certificate(CA_NAME, caKeys, null, caKeys, from, until, true, null, null);
        caFile = write("ca.pem", ca);
        KeyPair otherKeys = ec();
        X509Certificate otherCa = certificate("CN=Tether Other CA", otherKeys, null, otherKeys, from, until, true,
                null, null);
        otherCaFile = write("other-ca.pem", otherCa);
        caBundleFile = write("ca-bundle.pem", otherCa, ca);

        serverKeys = ec();
        GeneralName[] local = {new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1")};
        servers.put(ServerCert.LOCALHOST, certificate("CN=localhost", serverKeys, ca, caKeys, from, until, false,
                local, KeyPurposeId.id_kp_serverAuth));
        servers.put(ServerCert.OTHER_HOST, certificate("CN=" + OTHER_HOST, serverKeys, ca, caKeys, from, until, false,
                new GeneralName[] {new GeneralName(GeneralName.dNSName, OTHER_HOST)}, KeyPurposeId.id_kp_serverAuth));
        servers.put(ServerCert.EXPIRED, certificate("CN=localhost", serverKeys, ca, caKeys,
                now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)), false, local, KeyPurposeId.id_kp_serverAuth));
        for (ServerCert s : ServerCert.values()) {
            write("server-" + s.name().toLowerCase() + ".pem", servers.get(s), ca);
        }

        KeyPair rsaClient = rsa();
        ecClient = ec();
        // Client certificate files hold the chain, leaf first: a PEM file with many certificates.
        rsaClientCert = write("client-rsa.pem", certificate("CN=tether-client-rsa", rsaClient, ca, caKeys, from, until,
                false, null, KeyPurposeId.id_kp_clientAuth), ca);
        ecClientCertificate = certificate("CN=tether-client-ec", ecClient, ca, caKeys, from, until,
                false, null, KeyPurposeId.id_kp_clientAuth);
        ecClientCert = write("client-ec.pem", ecClientCertificate, ca);
        for (KeyForm form : KeyForm.values()) {
            keyFiles.put(form, writeKey(form, form.rsa() ? rsaClient : ecClient));
        }
    }

    /** Makes every certificate and file in {@code dir}. */
    public static TestPki create(Path dir) throws IOException, GeneralSecurityException {
        return new TestPki(dir);
    }

    /** The test CA's certificate, alone. */
    public Path caCert() {
        return caFile;
    }

    /** Another CA and then the test CA: a trust file with many certificates. */
    public Path caBundle() {
        return caBundleFile;
    }

    /** A CA that signed none of these certificates. */
    public Path otherCaCert() {
        return otherCaFile;
    }

    public X509Certificate ca() {
        return ca;
    }

    /** The server certificate and the CA after it, PEM. */
    public Path serverCert(ServerCert which) {
        return dir.resolve("server-" + which.name().toLowerCase() + ".pem");
    }

    /** The client certificate (and the CA after it) for {@code form}'s key. */
    public Path clientCert(KeyForm form) {
        return form.rsa() ? rsaClientCert : ecClientCert;
    }

    /** The client's private key, written in {@code form}. */
    public Path clientKey(KeyForm form) {
        return keyFiles.get(form);
    }

    /** The server certificate {@code which}, as the servers of {@link #serverContext} present it. */
    public X509Certificate serverCertificate(ServerCert which) {
        return servers.get(which);
    }

    /**
     * A key store file of {@code type} ("PKCS12" or "JKS") with one entry, "client": the EC client
     * key and its chain (the client certificate of {@link KeyForm#EC_PKCS8}, then the CA), as
     * {@code keytool -importkeystore} or {@code openssl pkcs12 -export} would write it.
     *
     * @param keyPassword the entry's own password (JKS may differ from the store's)
     */
    public Path clientKeyStore(String type, char[] storePassword, char[] keyPassword)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        store.load(null, null);
        store.setKeyEntry("client", ecClient.getPrivate(), keyPassword, new Certificate[] {ecClientCertificate, ca});
        return save(store, "client-keys." + type.toLowerCase(), storePassword);
    }

    /** A key store file of {@code type} ("PKCS12" or "JKS") whose one entry trusts the test CA. */
    public Path trustStore(String type, char[] storePassword) throws IOException, GeneralSecurityException {
        return save(trustStoreOf(type), "trust." + type.toLowerCase(), storePassword);
    }

    /** A loaded key store of {@code type} whose one entry trusts the test CA. */
    public KeyStore trustStoreOf(String type) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        store.load(null, null);
        store.setCertificateEntry("tether-test-ca", ca);
        return store;
    }

    private Path save(KeyStore store, String name, char[] password) throws IOException, GeneralSecurityException {
        Path file = dir.resolve(name);
        try (var out = Files.newOutputStream(file)) {
            store.store(out, password);
        }
        return file;
    }

    /**
     * The server side: {@code which} certificate with the CA as its chain, and the test CA as the
     * only trusted issuer of client certificates.
     */
    public SSLContext serverContext(ServerCert which) throws GeneralSecurityException, IOException {
        char[] storePassword = "server".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", serverKeys.getPrivate(), storePassword, new Certificate[] {servers.get(which), ca});
        // SunX509 presents the certificate whatever its dates: the expired one must reach the client.
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(keys, storePassword);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    // ---- making ---------------------------------------------------------------------------------

    private static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair keys, X509Certificate issuer, KeyPair issuerKeys,
                                               Instant from, Instant until, boolean isCa, GeneralName[] names,
                                               KeyPurposeId purpose) throws GeneralSecurityException, IOException {
        X500Name issuerName = issuer == null ? new X500Name(subject) : X500Name.getInstance(
                issuer.getSubjectX500Principal().getEncoded());
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(from), Date.from(until), new X500Name(subject), keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        int usage = isCa ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                : keys.getPublic().getAlgorithm().equals("RSA") ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                : KeyUsage.digitalSignature;
        b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        if (issuer != null) {
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer));
        }
        if (names != null) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        if (purpose != null) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        }
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign " + subject, e);
        }
    }

    private Path write(String name, X509Certificate... certs) throws IOException {
        Path file = dir.resolve(name);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (X509Certificate c : certs) {
                pem.writeObject(c);
            }
        }
        return file;
    }

    private Path writeKey(KeyForm form, KeyPair keys) throws IOException, GeneralSecurityException {
        Path file = dir.resolve("client-" + form.name().toLowerCase().replace('_', '-') + ".key");
        PrivateKey key = keys.getPrivate();
        Object traditional = form.rsa() ? key : sec1(keys);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(out)) {
            switch (form) {
                // "PRIVATE KEY", as openssl genpkey writes it.
                case RSA_PKCS8, EC_PKCS8 -> pem.writeObject(new JcaPKCS8Generator(key, null));
                // "ENCRYPTED PRIVATE KEY": PBES2, PBKDF2-HMAC-SHA256 and AES-256-CBC, OpenSSL 3's
                // defaults for openssl pkcs8 -topk8 / genpkey -aes256.
                case RSA_PKCS8_ENCRYPTED, EC_PKCS8_ENCRYPTED -> pem.writeObject(new JcaPKCS8Generator(key, pbes2()));
                // "RSA PRIVATE KEY" / "EC PRIVATE KEY", as openssl genrsa -traditional and
                // openssl ecparam -genkey write them.
                case RSA_PKCS1, EC_SEC1 -> pem.writeObject(traditional);
                // The same with Proc-Type: 4,ENCRYPTED and DEK-Info: AES-256-CBC,<iv>, as
                // openssl rsa -aes256 -traditional writes it.
                case RSA_PKCS1_ENCRYPTED, EC_SEC1_ENCRYPTED -> pem.writeObject(traditional,
                        new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(Bc.PROVIDER).build(PASSWORD));
            }
        }
        return file;
    }

    /**
     * The EC key as OpenSSL holds it: SEC1's ECPrivateKey with the curve and the public key in it
     * (RFC 5915 section 3). The JDK's own encoding leaves both out of the inner structure, and a
     * SEC1 file without its curve could not be read by anyone.
     */
    private static PrivateKeyInfo sec1(KeyPair keys) throws IOException {
        PrivateKeyInfo jdk = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
        ASN1Encodable curve = jdk.getPrivateKeyAlgorithm().getParameters();
        DERBitString publicKey = new DERBitString(
                SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData().getBytes());
        BigInteger d = ((ECPrivateKey) keys.getPrivate()).getS();
        int bits = ((ECPrivateKey) keys.getPrivate()).getParams().getOrder().bitLength();
        return new PrivateKeyInfo(jdk.getPrivateKeyAlgorithm(),
                new org.bouncycastle.asn1.sec.ECPrivateKey(bits, d, publicKey, curve));
    }

    private static OutputEncryptor pbes2() throws GeneralSecurityException {
        try {
            return new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(2048)
                    .setProvider(Bc.PROVIDER)
                    .setPassword(PASSWORD)
                    .build();
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException("cannot make a PBES2 encryptor", e);
        }
    }

    /** BouncyCastle's provider for the encryptors only; never installed JVM-wide. */
    private static final class Bc {
        static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
    }
}
