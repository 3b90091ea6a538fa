package dev.tether.ws.transport.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ws.Event;
import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.CodecServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Transports are found with ServiceLoader and chosen by name, by system property, or by rank. */
class TransportChoiceTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty("tether.ws.transport");
    }

    @Test
    void withoutAChoiceTheBestPresentIsTaken() {
        assertThat(WebSocket.create("ws://127.0.0.1:9/").transport()).isNotBlank();
    }

    @Test
    void builderNamePicksTheTransport() {
        assertThat(WebSocket.builder("ws://127.0.0.1:9/").transport("blocking").build().transport())
                .isEqualTo("blocking");
    }

    @Test
    void systemPropertyPicksTheTransport() {
        System.setProperty("tether.ws.transport", "blocking");
        assertThat(WebSocket.create("ws://127.0.0.1:9/").transport()).isEqualTo("blocking");
    }

    @Test
    void unknownNameListsWhatIsPresentAndTheModuleToAdd() {
        assertThatThrownBy(() -> WebSocket.builder("ws://127.0.0.1:9/").transport("carrier-pigeon").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Tether transport named 'carrier-pigeon'")
                .hasMessageContaining("present: ")
                .hasMessageContaining("blocking")
                .hasMessageContaining("ws-transport-carrier-pigeon");
        System.setProperty("tether.ws.transport", "smoke-signals");
        assertThatThrownBy(() -> WebSocket.create("ws://127.0.0.1:9/"))
                .hasMessageContaining("system property tether.ws.transport");
    }

    @Test
    void sentFiresAfterEachWrittenFrame() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport("blocking").build();
            CountDownLatch sent = new CountDownLatch(3);
            ws.on(Event.SENT, sent::countDown);
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            ws.send("a");
            ws.send(new byte[] {1});
            ws.ping();
            assertThat(sent.await(5, TimeUnit.SECONDS)).isTrue();
            ws.close();
        }
    }
}
