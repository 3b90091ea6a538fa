package dev.tether.ws.bench.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What the clients of the wss rows trust: exactly the server's self-signed certificate, as the
 * PEM file (for Tether's {@code TlsOptions.caCert}) and as a JDK {@link SSLContext} and trust
 * manager built from it with the JDK's default providers (for every other stack). Host names are
 * still checked: the certificate names 127.0.0.1.
 */
record Trust(Path pem, SSLContext context, X509TrustManager manager) {

    static Trust fromPem(Path pem) throws IOException, GeneralSecurityException {
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(pem)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        anchors.setCertificateEntry("bench-server", cert);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        X509TrustManager manager = null;
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                manager = x;
            }
        }
        if (manager == null) {
            throw new GeneralSecurityException("no X509TrustManager from " + factory.getAlgorithm());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {manager}, null);
        return new Trust(pem, context, manager);
    }
}
