package dev.tether.ws.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.Event;
import dev.tether.ws.Message;
import dev.tether.ws.Opcode;
import dev.tether.ws.Received;
import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.RawFrames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The echo server in this JVM, against Tether's client and against raw bytes. */
class EchoServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private EchoServer server;
    private final BlockingQueue<String> log = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws IOException {
        server = new EchoServer("127.0.0.1", 0).maxMessage(1 << 20).log(log::add).start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private WebSocket connected() {
        WebSocket ws = WebSocket.create(server.uri().toString());
        assertThat(ws.connect(WAIT)).as("connect: %s", ws.lastError()).isTrue();
        return ws;
    }

    @Test
    void echoesTextAndBinaryAsTheyCame() {
        try (WebSocket ws = connected()) {
            ws.send("héllo");
            ws.send(new byte[] {1, 2, 3});
            assertThat(ws.recv(WAIT).data()).isEqualTo(Message.text("héllo"));
            assertThat(ws.recv(WAIT).data()).isEqualTo(Message.binary(new byte[] {1, 2, 3}));
        }
    }

    @Test
    void joinsFragmentsAndEchoesLargeMessagesWhole() {
        byte[] big = new byte[1 << 20];
        Arrays.fill(big, (byte) 'x');
        try (WebSocket ws = connected()) {
            ws.sendFrame(false, Opcode.TEXT, "ab");
            ws.ping("between fragments");
            ws.sendFrame(true, Opcode.CONTINUATION, "cd");
            ws.send(big);
            assertThat(ws.recv(WAIT).data().text()).isEqualTo("abcd");
            assertThat(ws.recv(WAIT).data().bytes()).isEqualTo(big);
        }
    }

    @Test
    void answersPingsWithTheirPayload() throws InterruptedException {
        BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
        try (WebSocket ws = connected()) {
            ws.on(Event.PONG, p -> pongs.add(StandardCharsets.UTF_8.decode(p).toString()));
            ws.ping("marco");
            assertThat(pongs.poll(10, TimeUnit.SECONDS)).isEqualTo("marco");
        }
    }

    @Test
    void answersACloseWithTheSameCode() throws InterruptedException {
        BlockingQueue<Integer> codes = new LinkedBlockingQueue<>();
        WebSocket ws = connected();
        ws.on(Event.CLOSE, (code, reason) -> codes.add(code));
        ws.close(4001, "why not");
        assertThat(codes.poll(10, TimeUnit.SECONDS)).isEqualTo(4001);
        assertThat(log.stream().anyMatch(l -> l.contains("closed by the client: 4001 why not"))).as("%s", log).isTrue();
    }

    @Test
    void closesWith1009PastTheMessageLimit() {
        try (WebSocket ws = connected()) {
            ws.send(new byte[(1 << 20) + 1]);
            Received r = ws.recv(WAIT);
            assertThat(r.ok()).isFalse();
            assertThat(r.error()).hasMessageContaining("1009");
        }
    }

    @Test
    void stopSaysGoingAwayAndStartListensOnTheSamePortAgain() throws IOException, InterruptedException {
        int port = server.port();
        BlockingQueue<Integer> codes = new LinkedBlockingQueue<>();
        WebSocket ws = connected();
        ws.on(Event.CLOSE, (code, reason) -> codes.add(code));
        server.stop();
        assertThat(codes.poll(10, TimeUnit.SECONDS)).isEqualTo(1001);
        server.start();
        assertThat(server.port()).isEqualTo(port);
        assertThat(ws.connect(WAIT)).isTrue();
        ws.close();
    }

    @Test
    void refusesAPlainHttpRequestWith400() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            s.setSoTimeout(10_000);
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 400 Bad Request").contains("missing Upgrade header");
        }
    }

    @Test
    void anUnmaskedClientFrameIsAProtocolError() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101").contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            s.getOutputStream().write(RawFrames.frame(true, 0, Opcode.TEXT, "unmasked".getBytes(StandardCharsets.UTF_8)));
            byte[] close = in.readNBytes(4);
            assertThat(close[0] & 0xFF).isEqualTo(0x88);  // FIN + close
            assertThat(((close[2] & 0xFF) << 8) | (close[3] & 0xFF)).isEqualTo(1002);
        }
    }

    @Test
    void beyondTheConnectionLimitTheAnswerIs503() throws IOException {
        server.stop();
        server = new EchoServer("127.0.0.1", 0).maxConnections(1).start();
        try (WebSocket first = connected(); Socket second = new Socket("127.0.0.1", server.port())) {
            second.setSoTimeout(10_000);
            String response = new String(second.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 503");
            assertThat(first.online()).isTrue();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
