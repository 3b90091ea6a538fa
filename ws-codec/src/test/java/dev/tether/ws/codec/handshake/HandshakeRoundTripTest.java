package dev.tether.ws.codec.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A client's request, read and answered by the server side, validated by the client. */
class HandshakeRoundTripTest {

    @Test
    void clientRequestServerResponseClientValidation() throws Exception {
        ClientHandshake client = ClientHandshake.builder("::1", 9000, false)
                .resource("/ws?token=abc")
                .origin("http://localhost")
                .subprotocols(List.of("v2.chat", "v1.chat"))
                .extensions(List.of("permessage-deflate; client_max_window_bits, permessage-deflate"))
                .header("Cookie", "session=1")
                .build();

        HttpRequestHead request = HttpHeadParser.forRequests().parse(client.requestBytes()).orElseThrow();
        ServerHandshake server = ServerHandshake.validate(request);
        assertThat(server.resource()).isEqualTo("/ws?token=abc");
        assertThat(server.request().headers().first("Host")).contains("[::1]:9000");
        assertThat(server.request().headers().first("Cookie")).contains("session=1");
        assertThat(server.offeredExtensions()).hasSize(2);

        ExtensionSpec deflate = ExtensionSpec.parseHeader("permessage-deflate; client_max_window_bits=15").get(0);
        ByteBuffer response = server.acceptResponse(server.selectSubprotocol(List.of("v1.chat", "v2.chat")),
                List.of(deflate));
        ByteBuffer wire = ByteBuffer.allocate(response.remaining() + 3);
        wire.put(response).put(new byte[] {(byte) 0x89, 0x01, 'x'}).flip();

        HttpResponseHead head = HttpHeadParser.forResponses().parse(wire).orElseThrow();
        HandshakeResult result = client.validate(head);
        assertThat(result.subprotocol()).isEqualTo(Optional.of("v1.chat"));
        assertThat(result.extensions()).containsExactly(deflate);
        assertThat(wire.remaining()).isEqualTo(3);
    }
}
