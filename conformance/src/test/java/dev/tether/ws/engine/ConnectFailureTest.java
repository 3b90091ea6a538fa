package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.State;
import dev.tether.ws.WebSocket;
import dev.tether.ws.codec.handshake.HandshakeException;
import dev.tether.ws.testing.CodecServer;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** connect returns false, never throws, for every way a connection can fail; the reason goes to ERROR. */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
class ConnectFailureTest {
    @Parameter
    String transport;

    private WebSocket create(String url) {
        return WebSocket.builder(url).transport(transport).build();
    }

    @Test
    void refusedPortIsFalseWithTheCauseInError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        WebSocket ws = create("ws://127.0.0.1:" + port + "/");
        EventRecorder events = EventRecorder.on(ws);
        assertThat(ws.connect(Duration.ofSeconds(5))).isFalse();
        assertThat(ws.state()).isEqualTo(State.CLOSED);
        assertThat(events.next()).isEqualTo("error:ConnectException");
        assertThat(ws.lastError()).isInstanceOf(ConnectException.class).hasMessageContaining("127.0.0.1:" + port);
    }

    @Test
    void serverThatNeverAnswersTheHandshakeTimesOutWithinTheTimeout() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            server.neverAnswerHandshake();
            WebSocket ws = create(server.uri("/").toString());
            long start = System.nanoTime();
            assertThat(ws.connect(Duration.ofMillis(700))).isFalse();
            long took = (System.nanoTime() - start) / 1_000_000;
            assertThat(took).isBetween(600L, 5_000L);
            assertThat(ws.lastError()).isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("no handshake response");
            assertThat(ws.state()).isEqualTo(State.CLOSED);
        }
    }

    @Test
    void non101AnswerIsFalseWithStatusAndHeadersKept() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            server.answerHandshakeWith("HTTP/1.1 404 Not Found\r\nX-Why: no such chat\r\nContent-Length: 0\r\n\r\n");
            WebSocket ws = create(server.uri("/missing").toString());
            assertThat(ws.connect(Duration.ofSeconds(5))).isFalse();
            assertThat(ws.lastError()).isInstanceOfSatisfying(HandshakeException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(404);
                assertThat(e.headers().first("X-Why")).contains("no such chat");
                assertThat(e).hasMessageContaining("404");
            });
        }
    }

    @Test
    void wrongAcceptKeyIsFalse() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            server.answerHandshakeWithAccept("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            WebSocket ws = create(server.uri("/").toString());
            assertThat(ws.connect(Duration.ofSeconds(5))).isFalse();
            assertThat(ws.lastError()).isInstanceOf(HandshakeException.class)
                    .hasMessageContaining("Sec-WebSocket-Accept");
        }
    }

    @Test
    void unknownHostIsFalse() {
        WebSocket ws = create("ws://no-such-host.invalid/");
        assertThat(ws.connect(Duration.ofSeconds(5))).isFalse();
        assertThat(ws.lastError()).hasMessageContaining("no-such-host.invalid");
    }

    @Test
    void connectAfterAFailureAndAfterACloseWorks() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            server.answerHandshakeWithStatus(503, "Service Unavailable");
            WebSocket ws = create(server.uri("/").toString());
            assertThat(ws.connect(Duration.ofSeconds(5))).isFalse();
            server.answerHandshakeNormally();
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            ws.close();
            assertThat(ws.state()).isEqualTo(State.CLOSED);
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            assertThat(ws.online()).isTrue();
            ws.close();
        }
    }

    @Test
    void openFiresBeforeConnectReturns() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = create(server.uri("/").toString());
            EventRecorder events = EventRecorder.on(ws);
            assertThat(ws.connect(Duration.ofSeconds(5))).isTrue();
            assertThat(events.events.poll()).isEqualTo("open");
            ws.close();
        }
    }
}
