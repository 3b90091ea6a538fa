package dev.tether.ws.codec.handshake;

import static dev.tether.ws.codec.handshake.FixedNonce.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request of RFC 6455 section 4.1, and the inputs the builder refuses. */
class ClientHandshakeRequestTest {

    private static ClientHandshake.Builder rfcExample() {
        return ClientHandshake.builder("server.example.com", 80, false).resource("/chat")
                .random(FixedNonce.random());
    }

    private static String hostOf(ClientHandshake handshake) {
        String request = ascii(handshake.requestBytes());
        int start = request.indexOf("\r\nHost: ") + 8;
        return request.substring(start, request.indexOf("\r\n", start));
    }

    @Test
    void writesTheRfcExampleRequestByteForByte() {
        ClientHandshake handshake = rfcExample().origin("http://example.com")
                .subprotocols(List.of("chat", "superchat"))
                .extensions(List.of("permessage-deflate; client_max_window_bits"))
                .header("Authorization", "Bearer abc")
                .build();
        assertThat(handshake.key()).isEqualTo(FixedNonce.KEY);
        assertThat(ascii(handshake.requestBytes())).isEqualTo("GET /chat HTTP/1.1\r\n"
                + "Host: server.example.com\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Origin: http://example.com\r\n"
                + "Sec-WebSocket-Protocol: chat, superchat\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                + "Authorization: Bearer abc\r\n"
                + "\r\n");
    }

    @Test
    void writesOnlyTheMandatoryHeadersByDefault() {
        assertThat(ascii(rfcExample().build().requestBytes())).isEqualTo("GET /chat HTTP/1.1\r\n"
                + "Host: server.example.com\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n");
    }

    @Test
    void computesTheRfcAcceptValue() {
        assertThat(ClientHandshake.acceptFor(FixedNonce.KEY)).isEqualTo(FixedNonce.ACCEPT);
    }

    @Test
    void drawsAFreshKeyForEveryHandshake() {
        ClientHandshake.Builder builder = ClientHandshake.builder("example.com", 80, false);
        ClientHandshake a = builder.build();
        ClientHandshake b = builder.build();
        assertThat(a.key()).isNotEqualTo(b.key()).hasSize(24).endsWith("==");
    }

    @Test
    void requestBytesAreAFreshReadOnlyBufferEachTime() {
        ClientHandshake handshake = rfcExample().build();
        ByteBuffer first = handshake.requestBytes();
        first.position(first.limit());
        assertThat(first.isReadOnly()).isTrue();
        assertThat(handshake.requestBytes().position()).isZero();
    }

    @Test
    void givesThePortInHostOnlyWhenItIsNotTheSchemesDefault() {
        assertThat(hostOf(ClientHandshake.builder("example.com", 80, false).build())).isEqualTo("example.com");
        assertThat(hostOf(ClientHandshake.builder("example.com", 443, true).build())).isEqualTo("example.com");
        assertThat(hostOf(ClientHandshake.builder("example.com", 443, false).build())).isEqualTo("example.com:443");
        assertThat(hostOf(ClientHandshake.builder("example.com", 80, true).build())).isEqualTo("example.com:80");
        assertThat(hostOf(ClientHandshake.builder("10.0.0.1", 8080, false).build())).isEqualTo("10.0.0.1:8080");
    }

    @Test
    void bracketsIpv6Literals() {
        assertThat(hostOf(ClientHandshake.builder("::1", 8080, false).build())).isEqualTo("[::1]:8080");
        assertThat(hostOf(ClientHandshake.builder("[2001:db8::7]", 443, true).build())).isEqualTo("[2001:db8::7]");
    }

    @Test
    void takesHostPortAndResourceFromAUri() {
        ClientHandshake handshake = ClientHandshake.builder(URI.create("wss://[::1]:9443/a%20b/c?x=1&y=%2F"))
                .build();
        assertThat(ascii(handshake.requestBytes())).startsWith("GET /a%20b/c?x=1&y=%2F HTTP/1.1\r\nHost: [::1]:9443\r\n");
        assertThat(ascii(ClientHandshake.builder(URI.create("ws://example.com")).build().requestBytes()))
                .startsWith("GET / HTTP/1.1\r\nHost: example.com\r\n");
        assertThatThrownBy(() -> ClientHandshake.builder(URI.create("http://example.com/")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a ws or wss URI");
        assertThatThrownBy(() -> ClientHandshake.builder(URI.create("ws://example.com/#frag")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fragment");
    }

    @Test
    void defaultsAnEmptyResourceToSlash() {
        assertThat(ascii(rfcExample().resource("").build().requestBytes())).startsWith("GET / HTTP/1.1\r\n");
        assertThat(ascii(rfcExample().resource("?q=1").build().requestBytes())).startsWith("GET /?q=1 HTTP/1.1\r\n");
    }

    @Test
    void refusesHeaderInjectionInCustomHeaders() {
        assertThatThrownBy(() -> rfcExample().header("X-Token", "abc\r\nX-Evil: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("header X-Token: value has forbidden character U+000D");
        assertThatThrownBy(() -> rfcExample().header("X-Token", "abc\nX-Evil: 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+000A");
        assertThatThrownBy(() -> rfcExample().header("X-Token", "a\0b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+0000");
        assertThatThrownBy(() -> rfcExample().header("X-Token\r\nX-Evil", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a token");
        assertThatThrownBy(() -> rfcExample().header("X Token", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("header name \"X Token\" is not a token");
    }

    @Test
    void refusesInjectionThroughTheOtherInputs() {
        assertThatThrownBy(() -> rfcExample().origin("http://a\r\nX-Evil: 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("header Origin:");
        assertThatThrownBy(() -> ClientHandshake.builder("example.com\r\nX-Evil: 1", 80, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("header Host:");
        assertThatThrownBy(() -> ClientHandshake.builder("user@example.com", 80, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("header Host:");
        assertThatThrownBy(() -> rfcExample().resource("/chat HTTP/1.1\r\nX-Evil: 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without spaces");
        assertThatThrownBy(() -> rfcExample().resource("/chat#top"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fragment");
        assertThatThrownBy(() -> rfcExample().subprotocols(List.of("chat\r\nX-Evil: 1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("header Sec-WebSocket-Protocol: subprotocol");
        assertThatThrownBy(() -> rfcExample().subprotocols(List.of("chat", "chat")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offered twice");
        assertThatThrownBy(() -> rfcExample().extensions(List.of("permessage-deflate\r\nX-Evil: 1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("header Sec-WebSocket-Extensions:");
        assertThatThrownBy(() -> ClientHandshake.builder("example.com", 0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
    }

    @Test
    void refusesCustomHeadersTheHandshakeOwns() {
        for (String owned : List.of("Host", "upgrade", "CONNECTION", "Sec-WebSocket-Key",
                "Sec-WebSocket-Version", "Sec-WebSocket-Accept", "Content-Length", "Transfer-Encoding")) {
            assertThatThrownBy(() -> rfcExample().header(owned, "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("header " + owned + " is set by the handshake and cannot be given");
        }
        assertThatThrownBy(() -> rfcExample().header("Sec-WebSocket-Protocol", "chat"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header Sec-WebSocket-Protocol must be given through subprotocols(...)");
        assertThatThrownBy(() -> rfcExample().header("sec-websocket-extensions", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header sec-websocket-extensions must be given through extensions(...)");
        assertThatThrownBy(() -> rfcExample().header("Origin", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header Origin must be given through origin(...)");
    }
}
