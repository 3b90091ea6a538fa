package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ws.Event;
import dev.tether.ws.Received;
import dev.tether.ws.State;
import dev.tether.ws.WebSocket;
import dev.tether.ws.WebSocketClosedException;
import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.JettyEchoServer;
import dev.tether.ws.testing.ServerConnection;
import dev.tether.ws.testing.ServerEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The close handshake in both directions (RFC 6455 section 7), with its bounded waits. */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
class CloseHandshakeTest {
    @Parameter
    String transport;

    private WebSocket.Builder builder(String url) {
        return WebSocket.builder(url).transport(transport);
    }

    @Test
    void serverCloseReachesCloseHandlerAndRecvAndIsAnswered() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = builder(server.uri("/").toString()).build();
            EventRecorder events = EventRecorder.on(ws);
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            ServerConnection c = server.nextConnection();
            c.sendClose(4000, "bye");
            assertThat(events.awaitEvent("close")).isEqualTo("close:4000:bye");
            Received r = ws.recv(Duration.ofSeconds(5));
            assertThat(r.ok()).isFalse();
            assertThat(r.error()).isInstanceOfSatisfying(WebSocketClosedException.class, e -> {
                assertThat(e.code()).isEqualTo(4000);
                assertThat(e.reason()).isEqualTo("bye");
            });
            // Section 5.5.1: the client answers with a close echoing the code.
            assertThat(c.await(ServerEvent.Close.class).code()).isEqualTo(4000);
            assertThat(ws.state()).isEqualTo(State.CLOSED);
        }
    }

    @Test
    void jettyServerCloseAfterOpenIsSeen() throws Exception {
        try (JettyEchoServer jetty = new JettyEchoServer()) {
            WebSocket ws = builder(jetty.uri("/close?code=4001&reason=done&after=open").toString()).build();
            EventRecorder events = EventRecorder.on(ws);
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            assertThat(events.awaitEvent("close")).isEqualTo("close:4001:done");
        }
    }

    @Test
    void clientCloseCodeAndReasonAreSeenByTheServerAndStatesFollowTheHandshake() throws Exception {
        try (JettyEchoServer jetty = new JettyEchoServer()) {
            WebSocket ws = builder(jetty.uri("/echo?client-close").toString()).build();
            List<State> statesSeenByCloseHandler = new CopyOnWriteArrayList<>();
            ws.on(Event.CLOSE, (code, reason) -> statesSeenByCloseHandler.add(ws.state()));
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            ws.close(3000, "client says bye");
            assertThat(ws.state()).isEqualTo(State.CLOSED);
            JettyEchoServer.CloseSeen seen = jetty.awaitClose("/echo?client-close", Duration.ofSeconds(5));
            assertThat(seen.code()).isEqualTo(3000);
            assertThat(seen.reason()).isEqualTo("client says bye");
            Thread.sleep(100);
            assertThat(statesSeenByCloseHandler).containsExactly(State.CLOSED);
        }
    }

    @Test
    void closeIsIdempotentAndFiresCloseOnce() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = builder(server.uri("/").toString()).build();
            EventRecorder events = EventRecorder.on(ws);
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            ws.close();
            ws.close();
            ws.close(1001, "again");
            assertThat(events.awaitEvent("close")).isEqualTo("close:1000:");
            Thread.sleep(200);
            assertThat(events.events).noneMatch(e -> e.startsWith("close"));
        }
    }

    @Test
    void closeWaitsBoundedTimeForAServerThatNeverAnswers() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            server.onConnect(c -> c.answerClose(false));
            WebSocket ws = builder(server.uri("/").toString()).closeTimeout(Duration.ofMillis(500)).build();
            EventRecorder events = EventRecorder.on(ws);
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            long start = System.nanoTime();
            ws.close(1000, "");
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(tookMillis).isLessThan(5_000);
            assertThat(ws.state()).isEqualTo(State.CLOSED);
            assertThat(events.awaitEvent("close")).startsWith("close:1006:");
        }
    }

    @Test
    void invalidCloseCodesAndReasonsAreRefusedBeforeSending() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = builder(server.uri("/").toString()).build();
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000}) {
                assertThatThrownBy(() -> ws.close(code, "")).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("close code " + code);
            }
            assertThatThrownBy(() -> ws.close(1000, "x".repeat(124)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("124 UTF-8 bytes");
            assertThat(ws.online()).isTrue();
            ws.close(4999, "x".repeat(123));
            assertThat(server.nextConnection().await(ServerEvent.Close.class).reason()).hasSize(123);
        }
    }

    @Test
    void serverDroppingTcpWithoutCloseFrameIsAbnormal() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = builder(server.uri("/").toString()).build();
            EventRecorder events = EventRecorder.on(ws);
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            server.nextConnection().closeTcp();
            assertThat(events.awaitEvent("close")).startsWith("close:1006:");
            assertThat(ws.state()).isEqualTo(State.CLOSED);
        }
    }

    @Test
    void autoCloseableClosesNormally() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            try (WebSocket ws = builder(server.uri("/").toString()).build()) {
                assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            }
            assertThat(server.nextConnection().await(ServerEvent.Close.class).code()).isEqualTo(1000);
        }
    }
}
