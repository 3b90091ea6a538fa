package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.Opcode;
import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.ServerConnection;
import dev.tether.ws.testing.ServerEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Pings, pongs, and control frames between the fragments of a message (RFC 6455 sections 5.4, 5.5). */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
class ControlFramesTest {
    @Parameter
    String transport;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void pingBetweenFragmentsIsAnsweredAndTheMessageKept() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport).build();
            EventRecorder events = EventRecorder.on(ws);
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            ServerConnection c = server.nextConnection();
            c.sendFrame(false, Opcode.TEXT, utf8("frag-1 "));
            c.sendPing(utf8("in between"));
            c.sendFrame(false, Opcode.CONTINUATION, utf8("frag-2 "));
            c.sendPong(utf8("unsolicited"));
            c.sendFrame(true, Opcode.CONTINUATION, utf8("frag-3"));
            assertThat(c.await(ServerEvent.Pong.class)).isEqualTo(new ServerEvent.Pong(utf8("in between")));
            assertThat(events.awaitEvent("pong")).isEqualTo("pong:unsolicited");
            assertThat(events.awaitEvent("message")).isEqualTo("message:text:frag-1 frag-2 frag-3");
            ws.close();
        }
    }

    @Test
    void clientPingGetsPongCallbackWithPayload() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport).build();
            EventRecorder events = EventRecorder.on(ws);
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            assertThat(ws.ping("are you there")).isTrue();
            assertThat(events.awaitEvent("pong")).isEqualTo("pong:are you there");
            assertThat(server.nextConnection().await(ServerEvent.Ping.class))
                    .isEqualTo(new ServerEvent.Ping(utf8("are you there")));
            ws.close();
        }
    }

    @Test
    void frameSplitAcrossReadsAndManyFramesInOneReadAreParsed() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport).build();
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            ServerConnection c = server.nextConnection();
            // "Hello" split inside its header and inside its payload, then three frames in one write.
            c.sendRaw(new byte[] {(byte) 0x81});
            Thread.sleep(50);
            c.sendRaw(new byte[] {0x05, 'H', 'e'});
            Thread.sleep(50);
            c.sendRaw(new byte[] {'l', 'l', 'o'});
            c.sendRaw(new byte[] {(byte) 0x81, 1, 'a', (byte) 0x81, 1, 'b', (byte) 0x82, 1, 'c'});
            assertThat(ws.recv(Duration.ofSeconds(5)).data().text()).isEqualTo("Hello");
            assertThat(ws.recv(Duration.ofSeconds(5)).data().text()).isEqualTo("a");
            assertThat(ws.recv(Duration.ofSeconds(5)).data().text()).isEqualTo("b");
            assertThat(ws.recv(Duration.ofSeconds(5)).data().bytes()).containsExactly('c');
            ws.close();
        }
    }
}
