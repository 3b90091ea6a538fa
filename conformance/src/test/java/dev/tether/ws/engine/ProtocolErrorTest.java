package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ws.Opcode;
import dev.tether.ws.WebSocket;
import dev.tether.ws.codec.ProtocolException;
import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.ServerConnection;
import dev.tether.ws.testing.ServerEvent;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hostile or broken server: each violation closes with its RFC 6455 code, reported to
 * ERROR and CLOSE; and what a caller may not send is refused before anything is written.
 */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
class ProtocolErrorTest {
    @Parameter
    String transport;

    private void expectClientCloses(Consumer<ServerConnection> badServer, int code, long maxMessageSize) throws Exception {
        try (CodecServer server = CodecServer.started()) {
            server.onConnect(badServer);
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport)
                    .maxMessageSize(maxMessageSize).build();
            EventRecorder events = EventRecorder.on(ws);
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            ServerConnection c = server.nextConnection();
            assertThat(c.await(ServerEvent.Close.class).code()).isEqualTo(code);
            assertThat(events.awaitEvent("error")).isEqualTo("error:ProtocolException");
            assertThat(events.awaitEvent("close")).startsWith("close:" + code + ":");
            assertThat(((ProtocolException) events.errors.poll()).closeCode()).isEqualTo(code);
        }
    }

    /**
     * Autobahn 3.2, 4.1.3, 5.15: a message that arrived whole before the violation is still
     * handled, and the handler's answer goes out before the close frame (the connection stays
     * OPEN until the handlers are done with what came before).
     */
    @Test
    void aHandlersAnswerToTheMessageBeforeAViolationGoesOutBeforeTheClose() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            server.onConnect(c -> {
                c.sendText("Hello, world!");
                c.sendFrame(true, 0x5, new byte[0]);  // reserved opcode, in the same chop
            });
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport).build();
            ws.on(dev.tether.ws.Event.MESSAGE, m -> ws.send(m.text()));
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            ServerConnection c = server.nextConnection();
            ServerEvent first = c.next(Duration.ofSeconds(5));
            assertThat(first).isInstanceOf(ServerEvent.Message.class);
            assertThat(new String(((ServerEvent.Message) first).data(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("Hello, world!");
            assertThat(c.await(ServerEvent.Close.class).code()).isEqualTo(1002);
        }
    }

    @Test
    void reservedOpcodeIs1002() throws Exception {
        expectClientCloses(c -> c.sendFrame(true, 0x3, new byte[0]), 1002, 1 << 20);
    }

    @Test
    void rsvBitWithoutExtensionIs1002() throws Exception {
        expectClientCloses(c -> c.sendFrame(true, 4, Opcode.TEXT, "x".getBytes()), 1002, 1 << 20);
    }

    @Test
    void invalidUtf8Is1007() throws Exception {
        expectClientCloses(c -> c.sendFrame(true, Opcode.TEXT, new byte[] {(byte) 0xC0, (byte) 0xAF}), 1007, 1 << 20);
    }

    @Test
    void invalidUtf8SplitAcrossFragmentsIs1007() throws Exception {
        expectClientCloses(c -> {
            c.sendFrame(false, Opcode.TEXT, new byte[] {(byte) 0xED});
            c.sendFrame(true, Opcode.CONTINUATION, new byte[] {(byte) 0xA0, (byte) 0x80});
        }, 1007, 1 << 20);
    }

    @Test
    void messageOverTheLimitIs1009() throws Exception {
        expectClientCloses(c -> c.sendBinary(new byte[2000]), 1009, 1000);
    }

    @Test
    void fragmentedMessageOverTheLimitIs1009() throws Exception {
        expectClientCloses(c -> {
            c.sendFrame(false, Opcode.BINARY, new byte[600]);
            c.sendFrame(true, Opcode.CONTINUATION, new byte[600]);
        }, 1009, 1000);
    }

    @Test
    void continuationWithoutStartIs1002() throws Exception {
        expectClientCloses(c -> c.sendFrame(true, Opcode.CONTINUATION, "x".getBytes()), 1002, 1 << 20);
    }

    @Test
    void oversizedPingIs1002() throws Exception {
        expectClientCloses(c -> c.sendFrame(true, Opcode.PING, new byte[126]), 1002, 1 << 20);
    }

    @Test
    void sendFrameRulesAreCheckedBeforeAnythingIsSent() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport).build();
            // Not open yet: bad arguments still fail loudly; good ones return false.
            assertThatThrownBy(() -> ws.sendFrame(true, 0x10, "x")).isInstanceOf(IllegalArgumentException.class);
            assertThat(ws.sendFrame(true, Opcode.TEXT, "not yet")).isFalse();
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            assertThatThrownBy(() -> ws.sendFrame(true, -1, "x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside 0x0-0xF");
            assertThatThrownBy(() -> ws.sendFrame(true, 0x3, "x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("reserved opcode 0x3");
            assertThatThrownBy(() -> ws.sendFrame(false, Opcode.PING, "x")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ws.ping(new byte[126])).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ws.sendFrame(true, Opcode.CONTINUATION, "x")).isInstanceOf(IllegalStateException.class);
            assertThat(ws.sendFrame(false, Opcode.TEXT, "a")).isTrue();
            assertThatThrownBy(() -> ws.send("b")).isInstanceOf(IllegalStateException.class);
            assertThat(ws.sendFrame(true, Opcode.CONTINUATION, "c")).isTrue();
            ServerConnection c = server.nextConnection();
            assertThat(c.await(ServerEvent.Message.class).text()).isEqualTo("ac");
            assertThat(ws.online()).isTrue();
            ws.close();
            assertThat(ws.send("after close")).isFalse();
        }
    }

    @Test
    void sendFrameWithCloseOpcodeStartsTheCloseHandshake() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport).build();
            EventRecorder events = EventRecorder.on(ws);
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            assertThat(ws.sendFrame(true, Opcode.CLOSE, new byte[] {0x0F, (byte) 0xA0, 'o', 'k'})).isTrue();
            assertThat(server.nextConnection().await(ServerEvent.Close.class)).isEqualTo(new ServerEvent.Close(4000, "ok"));
            assertThat(events.awaitEvent("close")).isEqualTo("close:4000:ok");
            assertThatThrownBy(() -> ws.sendFrame(true, Opcode.CLOSE, new byte[] {0x03, (byte) 0xED}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("close payload");
        }
    }
}
