package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.Event;
import dev.tether.ws.Message;
import dev.tether.ws.Opcode;
import dev.tether.ws.Received;
import dev.tether.ws.State;
import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.JettyEchoServer;
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

/** The examples of the seed document, written in Java, against real servers. */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
class SeedExamplesTest {
    @Parameter
    String transport;

    private WebSocket create(String url) {
        return WebSocket.builder(url).transport(transport).build();
    }

    @Test
    void newOnConnectSendFrameRecvClose() throws Exception {
        try (JettyEchoServer jetty = new JettyEchoServer()) {
            // local ws = websocket.new("ws://...")
            WebSocket ws = create(jetty.uri("/echo").toString());
            assertThat(ws.state()).isEqualTo(State.CONNECTING);
            assertThat(ws.online()).isFalse();
            // mt:on("message", function(message) print(message) end)
            BlockingQueue<String> printed = new LinkedBlockingQueue<>();
            ws.on(Event.MESSAGE, m -> printed.add(m.text()));
            // while not ws:connect(20000) do sys.wait(2000) end
            int attempts = 0;
            while (!ws.connect(20_000)) {
                assertThat(++attempts).isLessThan(3);
                Thread.sleep(2000);
            }
            assertThat(ws.state()).isEqualTo(State.OPEN);
            assertThat(ws.online()).isTrue();
            // self:sendFrame(true, 0x1, "www.openluat.com")
            assertThat(ws.sendFrame(true, 0x1, "www.openluat.com")).isTrue();
            // local result, data = ws:recv()
            Received r = ws.recv(Duration.ofSeconds(10));
            assertThat(r.ok()).isTrue();
            assertThat(r.data().text()).isEqualTo("www.openluat.com");
            assertThat(printed.poll(10, TimeUnit.SECONDS)).isEqualTo("www.openluat.com");
            // ws:close(1002, "协议错误")
            ws.close(1002, "协议错误");
            assertThat(ws.state()).isEqualTo(State.CLOSED);
            JettyEchoServer.CloseSeen seen = jetty.awaitClose("/echo", Duration.ofSeconds(10));
            assertThat(seen.code()).isEqualTo(1002);
            assertThat(seen.reason()).isEqualTo("协议错误");
        }
    }

    @Test
    void whileNotConnectRetriesUntilTheServerComesUp() throws Exception {
        CodecServer server = new CodecServer().start();
        int port = server.port();
        server.stop();
        WebSocket ws = create("ws://127.0.0.1:" + port + "/");
        assertThat(ws.connect(Duration.ofSeconds(2))).isFalse();
        assertThat(ws.state()).isEqualTo(State.CLOSED);
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
                server.start();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        try (server) {
            int attempts = 0;
            while (!ws.connect(Duration.ofSeconds(2))) {
                assertThat(++attempts).isLessThan(20);
                Thread.sleep(200);
            }
            assertThat(ws.online()).isTrue();
            ws.close();
        }
    }

    @Test
    void startWithKeepAliveAndProcThenExit() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            server.onConnect(c -> c.sendText("hello from the server"));
            WebSocket ws = create(server.uri("/").toString());
            BlockingQueue<Message> got = new LinkedBlockingQueue<>();
            // sys.taskInit(ws.start, ws, 30, function(msg) u1:send(msg) end)
            Thread task = ws.startAsync(Duration.ofMillis(300), got::add);
            Message first = got.poll(10, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.text()).isEqualTo("hello from the server");
            ServerConnection c = server.nextConnection();
            assertThat(c.await(ServerEvent.Ping.class, Duration.ofSeconds(5))).isNotNull();
            assertThat(ws.sendFrame(true, Opcode.TEXT, "echo me")).isTrue();
            assertThat(got.poll(10, TimeUnit.SECONDS).text()).isEqualTo("echo me");
            // websocket.exit(ws)
            WebSocket.exit(ws);
            assertThat(task.join(Duration.ofSeconds(10))).isTrue();
            assertThat(ws.state()).isEqualTo(State.CLOSED);
            assertThat(c.await(ServerEvent.Close.class).code()).isEqualTo(1000);
        }
    }
}
