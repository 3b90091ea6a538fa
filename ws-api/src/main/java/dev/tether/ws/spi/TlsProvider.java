package dev.tether.ws.spi;

import dev.tether.ws.TlsOptions;
import java.io.IOException;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Reads the certificate files a {@link TlsOptions} names ({@code caCert}, {@code clientCert},
 * {@code clientKey} with {@code clientPassword}). The {@code dev.tether.ws.tls} module provides
 * one (Maven {@code dev.tether:ws-tls}); it is found with {@link java.util.ServiceLoader}, so
 * the transports, which depend on the JDK alone, never link to it. Options that name no file
 * (the JDK's defaults, {@code insist}, {@code insecureTrustAll()}) need no provider.
 *
 * <p>Only the files: the host-name policy, SNI, the trust-all warning and the explanation of a
 * failed handshake are the engine's ({@code dev.tether.ws.internal.ClientTls}), the same for every
 * provider and transport.
 */
public interface TlsProvider {

    /**
     * Reads and checks the files now: every certificate parses, the key decrypts with the
     * password and belongs to the client certificate.
     *
     * @return the managers an {@code SSLContext} is made from
     * @throws IOException naming the option and file, and what is wrong with it ("clientKey
     *     /etc/app/key.pem: wrong clientPassword")
     */
    Material load(TlsOptions options) throws IOException;

    /**
     * @param keyManager presents {@code clientCert} when the server asks for a client
     *     certificate; null when no client certificate is set
     * @param trustManager verifies the server's chain against exactly {@code caCert}; null when
     *     {@code caCert} is not set (the JDK's default trust store is used)
     */
    record Material(X509ExtendedKeyManager keyManager, X509ExtendedTrustManager trustManager) {
    }
}
