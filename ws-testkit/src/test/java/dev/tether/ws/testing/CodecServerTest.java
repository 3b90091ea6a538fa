package dev.tether.ws.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ws.codec.Opcodes;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The codec's server, checked with the JDK's WebSocket client as an independent peer. */
class CodecServerTest {
    private CodecServer server;

    @BeforeEach
    void start() throws Exception {
        server = CodecServer.started();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void echoesTextAndBinaryAsTheSameType() throws Exception {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(server.uri("/echo"))) {
            ServerConnection conn = server.nextConnection();
            assertThat(conn.request().target()).isEqualTo("/echo");

            client.ws().sendText("héllo ✓", true).get();
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Text("héllo ✓"));
            client.ws().sendBinary(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xFF}), true).get();
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Binary(new byte[] {0, 1, 2, (byte) 0xFF}));

            assertThat(conn.next()).isEqualTo(ServerEvent.Message.text("héllo ✓"));
            assertThat(conn.next()).isEqualTo(ServerEvent.Message.binary(new byte[] {0, 1, 2, (byte) 0xFF}));
        }
    }

    @Test
    void echoesAMebibyteMessage() throws Exception {
        byte[] big = new byte[1 << 20];
        new Random(42).nextBytes(big);
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(server.uri())) {
            client.ws().sendBinary(ByteBuffer.wrap(big), true).get();
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Binary(big));
        }
    }

    @Test
    void answersPingsWithTheSamePayload() throws Exception {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(server.uri())) {
            client.ws().sendPing(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.US_ASCII))).get();
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Pong("are you there".getBytes(StandardCharsets.US_ASCII)));
            assertThat(server.nextConnection().next())
                    .isEqualTo(new ServerEvent.Ping("are you there".getBytes(StandardCharsets.US_ASCII)));
        }
    }

    @Test
    void answersTheClientsCloseWithTheSameCodeAndRecordsIt() throws Exception {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(server.uri())) {
            client.ws().sendClose(4001, "client done").get();
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Closed(4001, "client done"));
            ServerConnection conn = server.nextConnection();
            assertThat(conn.next()).isEqualTo(new ServerEvent.Close(4001, "client done"));
            assertThat(conn.next()).isInstanceOf(ServerEvent.Disconnected.class);
        }
    }

    @Test
    void serverInitiatedCloseReachesTheClient() throws Exception {
        server.onConnect(c -> c.sendClose(4000, "bye"));
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(server.uri())) {
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Closed(4000, "bye"));
            // The JDK client answers with a close of its own (section 5.5.1).
            assertThat(server.nextConnection().await(ServerEvent.Close.class)).isNotNull();
        }
    }

    @Test
    void rawFramesAndSplitWritesReachTheClient() throws Exception {
        server.onConnect(c -> {
            c.echo(false);
            c.sendFrame(false, Opcodes.TEXT, "frag".getBytes(StandardCharsets.UTF_8));
            c.sendFrame(true, Opcodes.CONTINUATION, "mented".getBytes(StandardCharsets.UTF_8));
            byte[] frame = RawFrames.frame(true, 0, Opcodes.BINARY, new byte[300]);
            c.sendRaw(Arrays.copyOfRange(frame, 0, 3));  // inside the extended length
            c.sendRaw(Arrays.copyOfRange(frame, 3, frame.length));
        });
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(server.uri())) {
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Text("fragmented"));
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Binary(new byte[300]));
        }
    }

    @Test
    void refusesTheHandshakeWithAGivenStatus() {
        server.answerHandshakeWithStatus(404, "Not Found");
        assertThatThrownBy(() -> JdkWebSocketClient.connect(server.uri("/missing")))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(404));
    }

    @Test
    void restartsOnTheSamePort() throws Exception {
        int port = server.port();
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(server.uri())) {
            server.nextConnection();
            server.stop();
            assertThat(client.next()).isInstanceOfAny(JdkWebSocketClient.Failed.class, JdkWebSocketClient.Closed.class);
        }
        server.start();
        assertThat(server.port()).isEqualTo(port);
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(server.uri())) {
            client.ws().sendText("again", true).get();
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Text("again"));
        }
        assertThat(server.connectionsAccepted()).isEqualTo(2);
    }
}
