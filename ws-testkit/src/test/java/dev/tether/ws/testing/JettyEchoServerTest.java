package dev.tether.ws.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Jetty peer, checked with the JDK's WebSocket client. */
class JettyEchoServerTest {
    private static JettyEchoServer jetty;

    @BeforeAll
    static void start() throws Exception {
        jetty = new JettyEchoServer();
    }

    @AfterAll
    static void stop() {
        jetty.close();
    }

    @Test
    void echoesTextAndBinaryAsTheSameType() throws Exception {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(jetty.uri("/echo"))) {
            client.ws().sendText("héllo ✓", true).get();
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Text("héllo ✓"));
            client.ws().sendBinary(ByteBuffer.wrap(new byte[] {9, 8, 7}), true).get();
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Binary(new byte[] {9, 8, 7}));
        }
    }

    @Test
    void echoesMebibyteMessagesBeyondJettysDefaultLimit() throws Exception {
        byte[] big = new byte[1 << 20];
        new Random(7).nextBytes(big);
        String text = "x".repeat(1 << 20);
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(jetty.uri("/echo"))) {
            client.ws().sendBinary(ByteBuffer.wrap(big), true).get();
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Binary(big));
            client.ws().sendText(text, true).get();
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Text(text));
        }
    }

    @Test
    void recordsTheClientsCloseCodeAndReason() throws Exception {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(jetty.uri("/echo?test=close"))) {
            client.ws().sendClose(4002, "client bye").get();
            assertThat(jetty.awaitClose("/echo?test=close", Duration.ofSeconds(10)))
                    .isEqualTo(new JettyEchoServer.CloseSeen("/echo?test=close", 4002, "client bye"));
            assertThat(client.next()).isInstanceOf(JdkWebSocketClient.Closed.class);
        }
    }

    @Test
    void closesFromTheServerAfterTheFirstMessage() throws Exception {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(jetty.uri("/close?code=4000&reason=bye"))) {
            client.ws().sendText("hi", true).get();
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Closed(4000, "bye"));
        }
    }

    @Test
    void closesFromTheServerRightAfterOpen() throws Exception {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(jetty.uri("/close?code=4000&reason=bye&after=open"))) {
            assertThat(client.next()).isEqualTo(new JdkWebSocketClient.Closed(4000, "bye"));
        }
    }
}
