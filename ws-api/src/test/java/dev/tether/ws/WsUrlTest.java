package dev.tether.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WsUrlTest {

    @ParameterizedTest
    @CsvSource({
            "ws://example.com,               false, example.com, 80,   /",
            "wss://example.com,              true,  example.com, 443,  /",
            "ws://example.com:8080/chat?x=1, false, example.com, 8080, /chat?x=1",
            "WSS://Example.com:9443/a%20b,   true,  Example.com, 9443, /a%20b",
            "ws://127.0.0.1:1/,              false, 127.0.0.1,   1,    /",
            "ws://[::1]:9000/p,              false, ::1,         9000, /p",
            "ws://121.40.165.18:8800,        false, 121.40.165.18, 8800, /"})
    void parsesSchemeHostPortAndResource(String url, boolean secure, String host, int port, String resource) {
        WsUrl u = WsUrl.parse(url);
        assertThat(u.secure()).isEqualTo(secure);
        assertThat(u.host()).isEqualTo(host);
        assertThat(u.port()).isEqualTo(port);
        assertThat(u.resource()).isEqualTo(resource);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://example.com        | unsupported scheme",
            "example.com/chat          | unsupported scheme",
            "ws://example.com/#frag    | fragment",
            "ws:///path                | no host",
            "ws://example.com:99999/   | port 99999 out of range",
            "ws://example.com:abc/     | bad host or port",
            "ws://user:pw@example.com/ | user info",
            "ws://exa mple.com/        | not a valid URL",
            "'  '                      | no URL given"})
    void refusesBadUrlsNamingTheProblem(String url, String problem) {
        assertThatThrownBy(() -> WsUrl.parse(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(problem);
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> WsUrl.parse(null)).hasMessageContaining("no URL given");
    }
}
