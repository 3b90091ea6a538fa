package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ws.Message;
import dev.tether.ws.State;
import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.ServerConnection;
import dev.tether.ws.testing.ServerEvent;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The seed's start(keepAlive, proc, reconnTime): reconnect, keep-alive, dead links, exit. */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
class StartTest {
    @Parameter
    String transport;

    private WebSocket.Builder builder(CodecServer server) {
        return WebSocket.builder(server.uri("/").toString()).transport(transport)
                .connectTimeout(Duration.ofSeconds(2));
    }

    @Test
    void reconnectsAfterTheServerIsStoppedAndStartedOnTheSamePort() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            server.onConnect(c -> c.sendText("hello #" + server.connectionsAccepted()));
            WebSocket ws = builder(server).build();
            EventRecorder events = EventRecorder.on(ws);
            BlockingQueue<Message> proc = new LinkedBlockingQueue<>();
            Thread task = ws.startAsync(null, proc::add, Duration.ofMillis(100));
            assertThat(proc.poll(10, TimeUnit.SECONDS).text()).isEqualTo("hello #1");
            server.stop();
            assertThat(events.awaitEvent("close")).startsWith("close:1006");
            Thread.sleep(300);  // a few failed attempts while the server is down
            server.start();
            Message again = proc.poll(10, TimeUnit.SECONDS);
            assertThat(again).isNotNull();
            assertThat(again.text()).startsWith("hello #");
            assertThat(ws.online()).isTrue();
            ws.exit();
            assertThat(task.join(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void pingsEveryKeepAlive() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = builder(server).build();
            Thread task = ws.startAsync(Duration.ofMillis(200), m -> { });
            ServerConnection c = server.nextConnection();
            long first = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                c.await(ServerEvent.Ping.class, Duration.ofSeconds(5));
            }
            long tookMillis = (System.nanoTime() - first) / 1_000_000;
            assertThat(tookMillis).isGreaterThanOrEqualTo(350);  // at least two intervals between three pings
            ws.exit();
            assertThat(task.join(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void noticesAServerThatStopsAnsweringAndReconnects() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            server.onConnect(c -> {
                if (server.connectionsAccepted() == 1) {
                    c.answerPings(false);  // a dead link: TCP stays up, nothing comes back
                }
            });
            WebSocket ws = builder(server).pongTimeout(Duration.ofMillis(300)).build();
            EventRecorder events = EventRecorder.on(ws);
            Thread task = ws.startAsync(Duration.ofMillis(200), m -> { }, Duration.ofMillis(100));
            assertThat(events.awaitEvent("close")).startsWith("close:1006:no pong");
            assertThat(events.awaitEvent("open")).isEqualTo("open");
            assertThat(server.connectionsAccepted()).isGreaterThanOrEqualTo(2);
            ws.exit();
            assertThat(task.join(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void exitReturnsPromptlyEvenWhileWaitingToReconnect() throws Exception {
        CodecServer down = new CodecServer().start();
        int port = down.port();
        down.stop();
        WebSocket ws = WebSocket.builder("ws://127.0.0.1:" + port + "/").transport(transport).build();
        Thread task = ws.startAsync(null, m -> { }, Duration.ofSeconds(30));
        Thread.sleep(300);
        long start = System.nanoTime();
        WebSocket.exit(ws);
        assertThat(task.join(Duration.ofSeconds(5))).isTrue();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
        assertThat(ws.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void interruptEndsStartAndClosesNormally() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = builder(server).build();
            EventRecorder events = EventRecorder.on(ws);
            Thread task = ws.startAsync(null, m -> { });
            ServerConnection c = server.nextConnection();
            events.awaitEvent("open");
            Thread.sleep(100);  // let start reach its message loop
            task.interrupt();
            assertThat(task.join(Duration.ofSeconds(5))).isTrue();
            assertThat(c.await(ServerEvent.Close.class).code()).isEqualTo(1001);
        }
    }

    @Test
    void startTwiceIsRefused() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = builder(server).build();
            Thread task = ws.startAsync(null, m -> { });
            server.nextConnection();
            assertThatThrownBy(() -> ws.start(null, m -> { }, Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
            ws.exit();
            assertThat(task.join(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void exponentialBackoffStillReconnects() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = builder(server).reconnectBackoff(Duration.ofMillis(400)).build();
            EventRecorder events = EventRecorder.on(ws);
            Thread task = ws.startAsync(null, m -> { }, Duration.ofMillis(50));
            events.awaitEvent("open");
            server.nextConnection().closeTcp();
            events.awaitEvent("close");
            assertThat(events.awaitEvent("open")).isEqualTo("open");
            ws.exit();
            assertThat(task.join(Duration.ofSeconds(5))).isTrue();
        }
    }
}
