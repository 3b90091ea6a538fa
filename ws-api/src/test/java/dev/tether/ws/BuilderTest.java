package dev.tether.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the API refuses before any I/O. This module has no transport on its test path. */
class BuilderTest {

    @Test
    void withoutAnyTransportBuildNamesTheModulesToAdd() {
        assertThatThrownBy(() -> WebSocket.create("ws://127.0.0.1:9/"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Tether transport found")
                .hasMessageContaining("ws-transport-blocking")
                .hasMessageContaining("ws-transport-nio");
    }

    @Test
    void badUrlIsRefusedBeforeTheTransportIsLookedFor() {
        assertThatThrownBy(() -> WebSocket.create("http://x/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ws:// or wss://");
    }

    @Test
    void headerInjectionIsRefusedAtBuild() {
        assertThatThrownBy(() -> WebSocket.builder("ws://h/").header("X-A", "1\r\nEvil: yes").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X-A");
    }

    @Test
    void nonPositiveTimeoutsAreRefused() {
        assertThatThrownBy(() -> WebSocket.builder("ws://h/").closeTimeout(Duration.ZERO))
                .hasMessageContaining("closeTimeout must be positive");
        assertThatThrownBy(() -> WebSocket.builder("ws://h/").connectTimeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("connectTimeout must be positive");
    }

    @Test
    void tlsOptionsNameAMissingFile(@TempDir Path dir) {
        Path missing = dir.resolve("ca.crt");
        assertThatThrownBy(() -> TlsOptions.defaults().caCert(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("caCert").hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> TlsOptions.defaults().clientKey(dir))
                .hasMessageContaining("clientKey").hasMessageContaining("not a file");
    }

    @Test
    void tlsOptionsAreSecureByDefaultAndImmutable(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
        TlsOptions d = TlsOptions.defaults();
        TlsOptions withCa = d.caCert(ca).insist(true);
        assertThat(d.insist()).isFalse();
        assertThat(d.trustAll()).isFalse();
        assertThat(d.usesJdkDefaults()).isTrue();
        assertThat(withCa.caCert()).contains(ca);
        assertThat(withCa.insist()).isTrue();
        assertThat(d.caCert()).isEmpty();
        assertThat(TlsOptions.insecureTrustAll().trustAll()).isTrue();
        char[] pw = {'s', 'e', 'c'};
        TlsOptions withPw = d.clientPassword(pw);
        pw[0] = 'X';
        assertThat(withPw.clientPassword()).hasValueSatisfying(p -> assertThat(p).containsExactly('s', 'e', 'c'));
    }

    @Test
    void closeReasonIsTruncatedOnACharacterBoundary() {
        String reason = "é".repeat(100);  // 200 UTF-8 bytes
        String cut = Session.truncate(reason);
        assertThat(cut.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(cut).isEqualTo("é".repeat(61));
    }

    @Test
    void backoffDoublesUpToTheCapWithJitterInTheUpperHalf() {
        Backoff fixed = new Backoff(null);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            long d = fixed.delayNanos(Duration.ofSeconds(1), 5);
            assertThat(d).as("reconnTime with 20 %% jitter").isBetween(800_000_000L, 1_200_000_000L);
            seen.add(d);
        }
        assertThat(seen).as("jittered, not fixed").hasSizeGreaterThan(50);
        Backoff capped = new Backoff(Duration.ofSeconds(30));
        for (int attempt = 0; attempt < 40; attempt++) {
            long expectedMax = Math.min(30_000L, 1000L << Math.min(attempt, 20)) * 1_000_000L;
            long d = capped.delayNanos(Duration.ofSeconds(1), attempt);
            assertThat(d).isBetween(expectedMax / 2, expectedMax);
        }
    }
}
