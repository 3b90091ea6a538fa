package dev.tether.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TlsOptions as the key of the shared SSLContext: equal configurations are equal (files by path,
 * passwords by value, user objects by identity), different ones are not, and no password is ever
 * printed. The connections themselves are in conformance's TlsFormsTest.
 */
class TlsOptionsFormsTest {
    private static final String PIN = "sha256/" + "A".repeat(43) + "=";

    @Test
    void equalConfigurationsAreEqualAndDifferentOnesAreNot(@TempDir Path dir) throws Exception {
        Path store = Files.writeString(dir.resolve("trust.p12"), "not read here");
        TlsOptions a = TlsOptions.defaults().trustStore(store, "pw".toCharArray()).pin(PIN).protocols("TLSv1.3");
        TlsOptions b = TlsOptions.defaults().trustStore(store, "pw".toCharArray()).pin(PIN).protocols("TLSv1.3");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(TlsOptions.defaults().trustStore(store, "other".toCharArray()).pin(PIN).protocols("TLSv1.3"));
        assertThat(a).isNotEqualTo(a.serverName("example.com"));
        assertThat(a).isNotEqualTo(a.insist(true));
        assertThat(a).isNotEqualTo(a.cipherSuites("TLS_AES_128_GCM_SHA256"));

        KeyStore k1 = KeyStore.getInstance("PKCS12");
        KeyStore k2 = KeyStore.getInstance("PKCS12");
        assertThat(TlsOptions.defaults().trustStore(k1)).isEqualTo(TlsOptions.defaults().trustStore(k1))
                .isNotEqualTo(TlsOptions.defaults().trustStore(k2));
        SSLContext c = SSLContext.getInstance("TLS");
        assertThat(TlsOptions.defaults().sslContext(c)).isEqualTo(TlsOptions.defaults().sslContext(c));
        assertThat(TlsOptions.defaults().pin(PIN).usesJdkDefaults()).isFalse();
    }

    @Test
    void passwordsAreCopiedAndNeverPrinted(@TempDir Path dir) throws Exception {
        Path store = Files.writeString(dir.resolve("keys.jks"), "not read here");
        char[] storePw = "store-secret".toCharArray();
        char[] keyPw = "key-secret".toCharArray();
        TlsOptions o = TlsOptions.defaults().keyStore(store, storePw, keyPw).trustStore(store, storePw);
        storePw[0] = 'X';
        assertThat(o.keyStorePassword()).hasValueSatisfying(p -> assertThat(new String(p)).isEqualTo("store-secret"));
        assertThat(o.toString()).contains("keyStore=" + store).contains("keyStorePassword=set").contains("keyPassword=set")
                .doesNotContain("secret");
    }

    @Test
    void settersRefuseWhatCannotWorkNamingIt(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> TlsOptions.defaults().protocols(new String[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("protocols: give at least one name");
        assertThatThrownBy(() -> TlsOptions.defaults().serverName("two words"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("serverName: \"two words\"");
        assertThatThrownBy(() -> TlsOptions.defaults().trustStore(dir.resolve("missing.p12"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("trustStore: ")
                .hasMessageContaining("missing.p12");
        SSLContext uninitialised = SSLContext.getInstance("TLS");
        assertThatThrownBy(() -> WebSocket.builder("wss://example.com/").tls(TlsOptions.defaults().sslContext(uninitialised)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("sslContext: cannot be used: ").hasMessageEndingWith("(call its init first)");
        assertThatThrownBy(() -> TlsOptions.insecureTrustAll().trustStore(KeyStore.getInstance("JKS")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("TlsOptions: insecureTrustAll() and trustStore are both set");
    }
}
