package dev.tether.ws.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link EchoServer} promises, checked with the JDK's WebSocket client so that the
 * peers are vouched for by a client that is not Tether. One subclass per server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EchoServerContract {
    private EchoServer server;

    abstract EchoServer start() throws Exception;

    @BeforeAll
    void startServer() throws Exception {
        server = start();
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    @Test
    void echoesTextAndBinaryAsTheSameType() throws Exception {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(server.uri("/echo"))) {
            client.ws().sendText("héllo ✓", true).get();
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Text("héllo ✓"));
            client.ws().sendBinary(ByteBuffer.wrap(new byte[] {9, 8, 7}), true).get();
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Binary(new byte[] {9, 8, 7}));
            client.ws().sendText("", true).get();
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Text(""));
        }
    }

    @Test
    void echoesMessagesFarBeyondTheServersDefaultLimit() throws Exception {
        byte[] big = new byte[16 << 20];
        new Random(7).nextBytes(big);
        String text = "x".repeat(1 << 20);
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(server.uri("/echo"))) {
            client.ws().sendBinary(ByteBuffer.wrap(big), true).get();
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Binary(big));
            client.ws().sendText(text, true).get();
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Text(text));
        }
    }

    @Test
    void echoesAFragmentedMessageAsOneMessage() throws Exception {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(server.uri("/echo"))) {
            client.ws().sendText("one ", false).get();
            client.ws().sendText("two ", false).get();
            client.ws().sendText("three", true).get();
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Text("one two three"));
        }
    }

    @Test
    void answersAPingWithItsPayload() throws Exception {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(server.uri("/echo"))) {
            client.ws().sendPing(ByteBuffer.wrap(new byte[] {1, 2, 3})).get();
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Pong(new byte[] {1, 2, 3}));
        }
    }

    @Test
    void recordsTheClientsCloseCodeAndReasonAndAnswersWithTheSameCode() throws Exception {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(server.uri("/echo?test=close"))) {
            client.ws().sendClose(4002, "client bye").get();
            assertThat(server.awaitClose("/echo?test=close", Duration.ofSeconds(10)))
                    .isEqualTo(new EchoServer.CloseSeen("/echo?test=close", 4002, "client bye"));
            assertThat(client.next()).isInstanceOfSatisfying(JdkWebSocketClient.Closed.class,
                    c -> assertThat(c.code()).isEqualTo(4002));
        }
    }

    @Test
    void closesFromTheServerAfterTheFirstMessage() throws Exception {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(server.uri("/close?code=4000&reason=bye"))) {
            client.ws().sendText("hi", true).get();
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Closed(4000, "bye"));
        }
    }

    @Test
    void closesFromTheServerRightAfterOpen() throws Exception {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(server.uri("/close?code=4000&reason=bye&after=open"))) {
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Closed(4000, "bye"));
        }
    }

    @Test
    void refusesUnknownPathsWith404() {
        assertThatThrownBy(() -> JdkWebSocketClient.connect(server.uri("/nowhere")).close())
                .cause()
                .isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                        .isEqualTo(404));
    }
}
