package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.WebSocket;
import dev.tether.ws.codec.handshake.ClientHandshake;
import dev.tether.ws.codec.handshake.HttpResponseHead;
import dev.tether.ws.testing.CodecServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ws.handshakeResponse()}: the 101's status and every header, kept only when asked for. */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
class HandshakeResponseTest {
    @Parameter
    String transport;

    private static CodecServer serverWithCookies() throws Exception {
        return CodecServer.started().answerHandshakeWith(request -> "HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: "
                + ClientHandshake.acceptFor(request.headers().first("Sec-WebSocket-Key").orElseThrow()) + "\r\n"
                + "Set-Cookie: session=abc; Path=/\r\n"
                + "Set-Cookie: region=eu\r\n"
                + "X-Server-Chosen: 42\r\n\r\n", false);
    }

    private WebSocket.Builder builder(CodecServer server) {
        return WebSocket.builder(server.uri("/").toString()).transport(transport)
                .closeTimeout(Duration.ofMillis(200));  // the scripted server answers no close frame
    }

    @Test
    void theResponseHeadIsKeptWithEveryHeaderWhenAskedFor() throws Exception {
        try (CodecServer server = serverWithCookies()) {
            WebSocket ws = builder(server).keepHandshakeResponse(true).build();
            assertThat(ws.handshakeResponse()).as("before any connect").isEmpty();
            assertThat(ws.connect(Duration.ofSeconds(10))).isTrue();
            HttpResponseHead head = ws.handshakeResponse().orElseThrow();
            assertThat(head.statusCode()).isEqualTo(101);
            assertThat(head.reasonPhrase()).isEqualTo("Switching Protocols");
            assertThat(head.headers().all("set-cookie")).containsExactly("session=abc; Path=/", "region=eu");
            assertThat(head.headers().first("X-Server-Chosen")).contains("42");
            ws.close();
            assertThat(ws.handshakeResponse()).as("still readable after the close").contains(head);
        }
    }

    @Test
    void theResponseHeadIsNotKeptByDefault() throws Exception {
        try (CodecServer server = serverWithCookies()) {
            WebSocket ws = builder(server).build();
            assertThat(ws.connect(Duration.ofSeconds(10))).isTrue();
            assertThat(ws.handshakeResponse()).isEmpty();
            ws.close();
        }
    }
}
