package dev.tether.ws.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ws.cli.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {

    @Test
    void defaults() throws UsageException {
        ClientOptions o = ClientOptions.parse("ws://h/");
        assertThat(o.url()).isEqualTo("ws://h/");
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.replyWait()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.keepAlive()).isNull();
        assertThat(o.reconnect()).isNull();
        assertThat(o.binary()).isEqualTo(BinaryFormat.HEX);
        assertThat(o.tlsOptionsGiven()).isFalse();
    }

    @Test
    void everyOptionInBothSpellings() throws UsageException {
        ClientOptions o = ClientOptions.parse("-H", "A: b", "--header=C:d:e", "-s", "x,y", "--subprotocol", "z",
                "-o", "https://o", "--keepalive", "0.5", "--cacert", "ca.pem", "--cert=c.pem", "--key", "k.pem",
                "--password", "pw", "--insist", "--transport", "BLOCKING", "--connect-timeout=2.5",
                "-x", "one", "--execute", "two", "-w", "0", "-q", "--binary", "base64", "wss://h/");
        assertThat(o.headers()).containsExactly(new String[] {"A", "b"}, new String[] {"C", "d:e"});
        assertThat(o.subprotocols()).containsExactly("x", "y", "z");
        assertThat(o.origin()).isEqualTo("https://o");
        assertThat(o.keepAlive()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.caCert()).isEqualTo(Path.of("ca.pem"));
        assertThat(o.cert()).isEqualTo(Path.of("c.pem"));
        assertThat(o.key()).isEqualTo(Path.of("k.pem"));
        assertThat(o.password()).containsExactly('p', 'w');
        assertThat(o.insist()).isTrue();
        assertThat(o.transport()).isEqualTo("blocking");
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(o.execute()).containsExactly("one", "two");
        assertThat(o.replyWait()).isZero();
        assertThat(o.quiet()).isTrue();
        assertThat(o.binary()).isEqualTo(BinaryFormat.BASE64);
        assertThat(o.toString()).doesNotContain("pw");
    }

    @Test
    void doubleDashEndsTheOptions() throws UsageException {
        assertThat(ClientOptions.parse("-x", "-q", "--", "ws://h/").execute()).containsExactly("-q");
    }

    @Test
    void mistakesNameTheOption() {
        assertThatThrownBy(() -> ClientOptions.parse("ws://h/", "-H")).hasMessage("-H needs a value");
        assertThatThrownBy(() -> ClientOptions.parse("-H", "novalue", "ws://h/"))
                .hasMessage("-H expects name:value, got 'novalue'");
        assertThatThrownBy(() -> ClientOptions.parse("--wait", "soon", "ws://h/"))
                .hasMessage("--wait expects a number of seconds, got 'soon'");
        assertThatThrownBy(() -> ClientOptions.parse("--connect-timeout", "0", "ws://h/"))
                .hasMessageContaining("--connect-timeout must be at least 0.001 seconds");
        assertThatThrownBy(() -> ClientOptions.parse("--quiet=yes", "ws://h/"))
                .hasMessage("--quiet takes no value (got 'yes')");
        assertThatThrownBy(() -> ClientOptions.parse("ws://a/", "ws://b/"))
                .hasMessage("unexpected argument 'ws://b/': only one URL may be given");
        assertThatThrownBy(() -> ClientOptions.parse("-q")).hasMessageStartingWith("no URL given");
        assertThatThrownBy(() -> ClientOptions.parse("--insecure", "--cacert", "c", "wss://h/"))
                .hasMessageContaining("give one of them");
        assertThatThrownBy(() -> ClientOptions.parse("--key", "k", "wss://h/")).hasMessageContaining("--key needs --cert");
        assertThatThrownBy(() -> ClientOptions.parse("--password", "p", "wss://h/"))
                .hasMessageContaining("no --key given");
        assertThatThrownBy(() -> ClientOptions.parse("-s", "a,,b", "ws://h/"))
                .hasMessageContaining("comma-separated list");
    }
}
