package dev.tether.ws.tls;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * BouncyCastle's JCA provider, for decrypting keys only: the key-derivation and cipher names in
 * encrypted PEM (OpenSSL's EVP_BytesToKey, PBES2 with HMAC-SHA256, the PKCS#12 PBE schemes) are
 * not all ones the JDK's providers answer to. Made on first use, and never installed with
 * {@code Security.addProvider}: that would change what every other JCA lookup in the JVM gets.
 */
final class Decryption {
    private Decryption() {
    }

    private static final class Holder {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    static Provider provider() {
        return Holder.PROVIDER;
    }
}
