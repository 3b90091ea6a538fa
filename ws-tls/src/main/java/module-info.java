/**
 * Certificate files for {@code wss://}: reads the PEM files a {@code TlsOptions} names into the
 * trust and key managers both transports use, as a {@link dev.tether.ws.spi.TlsProvider} that
 * {@code dev.tether.ws.api} finds with ServiceLoader. BouncyCastle's bcpkix reads what the JDK
 * cannot (PKCS#1 and SEC1 keys, encrypted keys); the JDK does everything else.
 */
module dev.tether.ws.tls {
    requires transitive dev.tether.ws.api;  // PemTlsProvider implements its TlsProvider
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;

    exports dev.tether.ws.tls;

    provides dev.tether.ws.spi.TlsProvider with dev.tether.ws.tls.PemTlsProvider;
}
