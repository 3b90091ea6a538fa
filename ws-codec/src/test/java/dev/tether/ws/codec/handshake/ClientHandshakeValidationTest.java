package dev.tether.ws.codec.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client's checks of the server's response, RFC 6455 section 4.1. */
class ClientHandshakeValidationTest {

    private final ClientHandshake handshake = ClientHandshake.builder("server.example.com", 80, false)
            .resource("/chat")
            .subprotocols(List.of("chat", "superchat"))
            .extensions(List.of("permessage-deflate; client_max_window_bits", "x-webkit-deflate-frame"))
            .random(FixedNonce.random())
            .build();

    private static HttpHeaders valid() {
        return new HttpHeaders()
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Accept", FixedNonce.ACCEPT);
    }

    private static HttpResponseHead switching(HttpHeaders headers) {
        return new HttpResponseHead("HTTP/1.1", 101, "Switching Protocols", headers);
    }

    /** The valid headers with one replaced (value null: removed) or added. */
    private static HttpResponseHead with(String name, String value) {
        HttpHeaders headers = new HttpHeaders();
        boolean replaced = false;
        for (String n : valid().names()) {
            if (n.equalsIgnoreCase(name)) {
                replaced = true;
                if (value != null) {
                    headers.add(name, value);
                }
            } else {
                headers.add(n, valid().first(n).orElseThrow());
            }
        }
        if (!replaced) {
            headers.add(name, value);
        }
        return switching(headers);
    }

    private HandshakeException failure(HttpResponseHead response) {
        HandshakeException e = assertThrows(HandshakeException.class, () -> handshake.validate(response));
        assertThat(e.statusCode()).isEqualTo(response.statusCode());
        assertThat(e.headers()).isEqualTo(response.headers());
        return e;
    }

    @Test
    void acceptsTheRfcExampleResponse() throws Exception {
        HandshakeResult result = handshake.validate(with("Sec-WebSocket-Protocol", "chat"));
        assertThat(result.subprotocol()).contains("chat");
        assertThat(result.extensions()).isEmpty();
        assertThat(result.headers().first("Sec-WebSocket-Accept")).contains(FixedNonce.ACCEPT);
    }

    @Test
    void acceptsHeaderValuesInAnyCase() throws Exception {
        HttpHeaders headers = new HttpHeaders()
                .add("upgrade", "WebSocket")
                .add("CONNECTION", "keep-alive, UPGRADE")
                .add("sec-websocket-accept", FixedNonce.ACCEPT);
        assertThat(handshake.validate(switching(headers)).subprotocol()).isEmpty();
    }

    @Test
    void nonSwitchingStatusKeepsStatusAndHeaders() {
        HttpHeaders headers = new HttpHeaders().add("WWW-Authenticate", "Bearer").add("Content-Length", "0");
        HandshakeException e = failure(new HttpResponseHead("HTTP/1.1", 401, "Unauthorized", headers));
        assertThat(e).hasMessage("expected 101 Switching Protocols, got 401 Unauthorized");
        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.headers().first("www-authenticate")).contains("Bearer");
        assertThat(failure(new HttpResponseHead("HTTP/1.1", 404, "Not Found", new HttpHeaders())))
                .hasMessage("expected 101 Switching Protocols, got 404 Not Found");
    }

    @Test
    void refusesA101OverHttp10() {
        assertThat(failure(new HttpResponseHead("HTTP/1.0", 101, "Switching Protocols", valid())))
                .hasMessage("expected HTTP/1.1, got HTTP/1.0");
    }

    @Test
    void refusesAMissingOrWrongUpgrade() {
        assertThat(failure(with("Upgrade", null))).hasMessage("missing Upgrade header");
        assertThat(failure(with("Upgrade", "h2c"))).hasMessage("Upgrade header is \"h2c\", expected websocket");
        assertThat(failure(with("Upgrade", "websocket, h2c")))
                .hasMessage("Upgrade header is \"websocket, h2c\", expected websocket");
    }

    @Test
    void refusesAMissingOrWrongConnection() {
        assertThat(failure(with("Connection", null))).hasMessage("missing Connection header");
        assertThat(failure(with("Connection", "keep-alive")))
                .hasMessage("Connection header \"keep-alive\" lacks the upgrade token");
    }

    @Test
    void refusesAMissingWrongOrRepeatedAccept() {
        assertThat(failure(with("Sec-WebSocket-Accept", null))).hasMessage("missing Sec-WebSocket-Accept header");
        String other = ClientHandshake.acceptFor("AQIDBAUGBwgJCgsMDQ4PEA==");
        assertThat(failure(with("Sec-WebSocket-Accept", other)))
                .hasMessage("Sec-WebSocket-Accept is \"" + other + "\", expected \"" + FixedNonce.ACCEPT + "\"");
        assertThat(failure(switching(valid().add("Sec-WebSocket-Accept", FixedNonce.ACCEPT))))
                .hasMessage("Sec-WebSocket-Accept header appears 2 times, expected at most once");
    }

    @Test
    void refusesASubprotocolThatWasNotOffered() {
        assertThat(failure(with("Sec-WebSocket-Protocol", "mqtt")))
                .hasMessage("server chose subprotocol \"mqtt\", which was not offered (offered [chat, superchat])");
        // Matching is exact: a list is not one subprotocol, and case counts.
        assertThat(failure(with("Sec-WebSocket-Protocol", "chat, superchat")))
                .hasMessageStartingWith("server chose subprotocol \"chat, superchat\"");
        assertThat(failure(with("Sec-WebSocket-Protocol", "Chat")))
                .hasMessageStartingWith("server chose subprotocol \"Chat\"");
        assertThat(failure(switching(valid().add("Sec-WebSocket-Protocol", "chat")
                .add("Sec-WebSocket-Protocol", "chat"))))
                .hasMessage("Sec-WebSocket-Protocol header appears 2 times, expected at most once");
    }

    @Test
    void refusesASubprotocolWhenNoneWasOffered() throws Exception {
        ClientHandshake plain = ClientHandshake.builder("server.example.com", 80, false)
                .random(FixedNonce.random()).build();
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> plain.validate(with("Sec-WebSocket-Protocol", "chat")));
        assertThat(e).hasMessage("server chose subprotocol \"chat\", which was not offered");
    }

    @Test
    void refusesAnExtensionThatWasNotOffered() {
        assertThat(failure(with("Sec-WebSocket-Extensions", "permessage-deflate, x-custom; a=1")))
                .hasMessage("server accepted extension x-custom, which was not offered");
    }

    @Test
    void refusesAMalformedExtensionsHeader() {
        assertThat(failure(with("Sec-WebSocket-Extensions", "permessage-deflate; =1")))
                .hasMessageStartingWith("malformed Sec-WebSocket-Extensions: expected a parameter name at index 20");
    }

    @Test
    void parsesAcceptedExtensionsInTheServersOrder() throws Exception {
        HttpResponseHead response = switching(valid()
                .add("Sec-WebSocket-Extensions", "x-webkit-deflate-frame")
                .add("Sec-WebSocket-Extensions",
                        "permessage-deflate; client_max_window_bits=\"10\" ; server_no_context_takeover"));
        HandshakeResult result = handshake.validate(response);
        assertThat(result.extensions()).extracting(ExtensionSpec::name)
                .containsExactly("x-webkit-deflate-frame", "permessage-deflate");
        assertThat(result.extensions().get(1).parameters()).containsExactly(
                Map.entry("client_max_window_bits", "10"), Map.entry("server_no_context_takeover", ""));
    }
}
