package dev.tether.ws.codec.handshake;

import static dev.tether.ws.codec.handshake.FixedNonce.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The server's checks of RFC 6455 section 4.2.1 and its answers of section 4.2.2. */
class ServerHandshakeTest {

    private static HttpHeaders valid() {
        return new HttpHeaders()
                .add("Host", "server.example.com")
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Key", FixedNonce.KEY)
                .add("Origin", "http://example.com")
                .add("Sec-WebSocket-Protocol", "chat, superchat")
                .add("Sec-WebSocket-Version", "13");
    }

    private static HttpRequestHead get(HttpHeaders headers) {
        return new HttpRequestHead("GET", "/chat", "HTTP/1.1", headers);
    }

    /** The valid request with one header replaced, or removed when value is null. */
    private static HttpRequestHead with(String name, String value) {
        HttpHeaders headers = new HttpHeaders();
        valid().forEach((n, v) -> {
            if (!n.equalsIgnoreCase(name)) {
                headers.add(n, v);
            } else if (value != null) {
                headers.add(n, value);
            }
        });
        return get(headers);
    }

    private static HandshakeException failure(HttpRequestHead request, int status) {
        HandshakeException e = assertThrows(HandshakeException.class, () -> ServerHandshake.validate(request));
        assertThat(e.statusCode()).isEqualTo(status);
        return e;
    }

    @Test
    void acceptsTheRfcExampleRequestAndAnswersWithTheRfcExampleResponse() throws Exception {
        ServerHandshake handshake = ServerHandshake.validate(get(valid()));
        assertThat(handshake.resource()).isEqualTo("/chat");
        assertThat(handshake.origin()).contains("http://example.com");
        assertThat(handshake.offeredSubprotocols()).containsExactly("chat", "superchat");
        Optional<String> chosen = handshake.selectSubprotocol(List.of("superchat", "chat"));
        assertThat(chosen).contains("superchat");
        assertThat(ascii(handshake.acceptResponse(chosen, List.of()))).isEqualTo(
                "HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                + "Sec-WebSocket-Protocol: superchat\r\n"
                + "\r\n");
    }

    @Test
    void selectsNoSubprotocolWhenNoneIsShared() throws Exception {
        ServerHandshake handshake = ServerHandshake.validate(get(valid()));
        assertThat(handshake.selectSubprotocol(List.of("mqtt"))).isEmpty();
        assertThat(ascii(handshake.acceptResponse())).doesNotContain("Sec-WebSocket-Protocol");
    }

    @Test
    void answersWithAcceptedExtensionsAndRefusesUnofferedChoices() throws Exception {
        HttpHeaders headers = valid().add("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits");
        ServerHandshake handshake = ServerHandshake.validate(get(headers));
        assertThat(handshake.offeredExtensions()).containsExactly(
                ExtensionSpec.parseHeader("permessage-deflate; client_max_window_bits").get(0));
        ExtensionSpec accepted = ExtensionSpec.parseHeader("permessage-deflate; server_no_context_takeover").get(0);
        assertThat(ascii(handshake.acceptResponse(Optional.empty(), List.of(accepted))))
                .contains("\r\nSec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n");
        assertThatThrownBy(() -> handshake.acceptResponse(Optional.of("mqtt"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("subprotocol mqtt was not offered");
        assertThatThrownBy(() -> handshake.acceptResponse(Optional.empty(), List.of(ExtensionSpec.of("x-other"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("extension x-other was not offered");
    }

    @Test
    void acceptsHeaderValuesInAnyCaseAndTokenLists() throws Exception {
        HttpHeaders headers = new HttpHeaders()
                .add("host", "a")
                .add("UPGRADE", "WebSocket")
                .add("connection", "keep-alive, upgrade")
                .add("sec-websocket-key", FixedNonce.KEY)
                .add("sec-websocket-version", "13");
        assertThat(ServerHandshake.validate(get(headers)).offeredSubprotocols()).isEmpty();
    }

    @Test
    void refusesAnythingButGetOverHttp11() {
        assertThat(failure(new HttpRequestHead("POST", "/chat", "HTTP/1.1", valid()), 400))
                .hasMessage("expected method GET, got POST");
        assertThat(failure(new HttpRequestHead("GET", "/chat", "HTTP/1.0", valid()), 400))
                .hasMessage("expected HTTP/1.1, got HTTP/1.0");
    }

    @Test
    void refusesAMissingOrRepeatedHost() {
        assertThat(failure(with("Host", null), 400)).hasMessage("missing Host header");
        assertThat(failure(get(valid().add("Host", "other")), 400)).hasMessage("Host header appears 2 times");
    }

    @Test
    void refusesAMissingOrWrongUpgrade() {
        assertThat(failure(with("Upgrade", null), 400)).hasMessage("missing Upgrade header");
        assertThat(failure(with("Upgrade", "h2c"), 400)).hasMessage("Upgrade header \"h2c\" lacks websocket");
    }

    @Test
    void refusesAMissingOrWrongConnection() {
        assertThat(failure(with("Connection", null), 400)).hasMessage("missing Connection header");
        assertThat(failure(with("Connection", "keep-alive"), 400))
                .hasMessage("Connection header \"keep-alive\" lacks the upgrade token");
    }

    @Test
    void refusesAMissingOrMalformedKey() {
        assertThat(failure(with("Sec-WebSocket-Key", null), 400)).hasMessage("missing Sec-WebSocket-Key header");
        assertThat(failure(with("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ"), 400))
                .hasMessage("Sec-WebSocket-Key \"dGhlIHNhbXBsZSBub25jZQ\" is not the base64 form of 16 bytes"
                        + " (RFC 6455 section 4.2.1)");
        assertThat(failure(with("Sec-WebSocket-Key", "AAECAwQFBgcICQoLDA0ODxA="), 400))
                .hasMessageContaining("is not the base64 form of 16 bytes");
        assertThat(failure(with("Sec-WebSocket-Key", "!!!!!!!!!!!!!!!!!!!!!!=="), 400))
                .hasMessageContaining("is not the base64 form of 16 bytes");
    }

    @Test
    void answersAnUnsupportedOrMissingVersionWith426AndTheSupportedVersion() {
        HandshakeException old = failure(with("Sec-WebSocket-Version", "8"), 426);
        assertThat(old).hasMessage("unsupported Sec-WebSocket-Version \"8\", expected 13");
        assertThat(old.headers().all("Sec-WebSocket-Version")).containsExactly("13");
        HandshakeException missing = failure(with("Sec-WebSocket-Version", null), 426);
        assertThat(missing).hasMessage("missing Sec-WebSocket-Version header");
        assertThat(ascii(ServerHandshake.errorResponse(missing))).startsWith(
                "HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n");
    }

    @Test
    void refusesMalformedOffers() {
        assertThat(failure(get(valid().add("Sec-WebSocket-Extensions", "permessage-deflate;;")), 400))
                .hasMessageStartingWith("malformed Sec-WebSocket-Extensions:");
        assertThat(failure(with("Sec-WebSocket-Protocol", "chat, a/b"), 400))
                .hasMessage("Sec-WebSocket-Protocol offers \"a/b\", which is not a token");
    }

    @Test
    void writesAnErrorResponseWithTheMessageAsBody() {
        HandshakeException e = failure(with("Upgrade", null), 400);
        assertThat(ascii(ServerHandshake.errorResponse(e))).isEqualTo("HTTP/1.1 400 Bad Request\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 23\r\n"
                + "Connection: close\r\n"
                + "\r\n"
                + "missing Upgrade header\n");
        HandshakeException forbidden = new HandshakeException("origin refused", 403, HttpHeaders.empty());
        assertThat(ascii(ServerHandshake.errorResponse(forbidden))).startsWith("HTTP/1.1 403 Forbidden\r\n");
    }
}
