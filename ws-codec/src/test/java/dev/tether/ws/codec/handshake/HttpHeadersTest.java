package dev.tether.ws.codec.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpHeadersTest {

    private final HttpHeaders headers = new HttpHeaders()
            .add("Connection", "keep-alive, Upgrade")
            .add("X-Thing", "one")
            .add("connection", " ,close ,, ")
            .add("x-thing", "two");

    @Test
    void looksNamesUpIgnoringCaseAndKeepsOrder() {
        assertThat(headers.first("CONNECTION")).contains("keep-alive, Upgrade");
        assertThat(headers.all("X-THING")).containsExactly("one", "two");
        assertThat(headers.first("Missing")).isEmpty();
        assertThat(headers.all("Missing")).isEmpty();
        assertThat(headers.names()).containsExactly("Connection", "X-Thing");
        assertThat(headers.size()).isEqualTo(4);
    }

    @Test
    void splitsTokensOfAllOccurrencesDroppingEmptyElements() {
        assertThat(headers.tokens("Connection")).containsExactly("keep-alive", "Upgrade", "close");
        assertThat(headers.hasToken("connection", "UPGRADE")).isTrue();
        assertThat(headers.hasToken("connection", "upgrade-insecure")).isFalse();
        assertThat(headers.countTokens("Connection", null)).isEqualTo(3);
        assertThat(headers.hasOnlyToken("Connection", "upgrade")).isFalse();
    }

    @Test
    void octetQueriesOfAParsedHeadMatchTheStringOnes() throws Exception {
        HttpHeaders parsed = HttpHeadParser.forResponses().parse(FixedNonce.bytes(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade:  WebSocket \r\nConnection: ,Upgrade,\r\n"
                        + "X-Twice: a\r\nx-twice: b\r\n\r\n")).orElseThrow().headers();
        assertThat(parsed.hasOnlyToken("upgrade", "websocket")).isTrue();
        assertThat(parsed.hasOnlyToken("Connection", "upgrade")).isTrue();
        assertThat(parsed.count("X-TWICE")).isEqualTo(2);
        assertThat(parsed.valueEquals(parsed.indexOf("x-twice", 0), new byte[] {'a'})).isTrue();
        assertThat(parsed.valueEquals(parsed.indexOf("x-twice", 3), new byte[] {'b'})).isTrue();
        assertThat(parsed.first("upgrade")).contains("WebSocket");
        assertThat(parsed).isEqualTo(new HttpHeaders().add("Upgrade", "WebSocket").add("connection", ",Upgrade,")
                .add("X-Twice", "a").add("X-Twice", "b"));
    }

    @Test
    void copyIsImmutableAndIndependent() {
        HttpHeaders copy = HttpHeaders.copyOf(headers);
        headers.add("Late", "1");
        assertThat(copy.contains("Late")).isFalse();
        assertThat(HttpHeaders.copyOf(copy)).isSameAs(copy);
        assertThatThrownBy(() -> copy.add("A", "b")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void equalityIgnoresNameCaseButNotOrder() {
        assertThat(new HttpHeaders().add("A", "1").add("B", "2"))
                .isEqualTo(new HttpHeaders().add("a", "1").add("b", "2"))
                .hasSameHashCodeAs(new HttpHeaders().add("a", "1").add("b", "2"))
                .isNotEqualTo(new HttpHeaders().add("B", "2").add("A", "1"));
    }

    @Test
    void refusesInjectionAndNonTokenNames() {
        assertThatThrownBy(() -> new HttpHeaders().add("X-A", "v\r\nEvil: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header X-A: value has forbidden character U+000D at index 1");
        assertThatThrownBy(() -> new HttpHeaders().add("X-A", "nul\0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+0000");
        assertThatThrownBy(() -> new HttpHeaders().add("Bad Name", "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("header name \"Bad Name\" is not a token");
        assertThatThrownBy(() -> new HttpHeaders().add("", "v"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsTabAndObsTextInValues() {
        assertThat(new HttpHeaders().add("X", "a\tb\u00e9").first("X")).contains("a\tb\u00e9");
    }
}
