package dev.tether.ws.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ws.codec.CloseCodes;
import dev.tether.ws.codec.Opcodes;
import dev.tether.ws.codec.handshake.ClientHandshake;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The codec server's misbehaviour switches, seen from a bare socket that can misbehave too. */
class CodecServerRawClientTest {
    private CodecServer server;
    private Socket socket;

    @BeforeEach
    void start() throws IOException {
        server = CodecServer.started();
    }

    @AfterEach
    void stop() throws IOException {
        if (socket != null) {
            socket.close();
        }
        server.stop();
    }

    /** Connects after the test has set the server's switches (they apply to new connections). */
    private void connect(int readTimeoutMillis) throws IOException {
        socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(readTimeoutMillis);
    }

    private void sendRequest() throws IOException {
        ByteBuffer request = ClientHandshake.builder("127.0.0.1", server.port(), false).build().requestBytes();
        byte[] bytes = new byte[request.remaining()];  // read-only: no array() to borrow
        request.get(bytes);
        socket.getOutputStream().write(bytes);
    }

    /** Reads up to and including the empty line that ends an HTTP head. */
    private String readHead() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("end of stream inside the head: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void anUnmaskedClientFrameFailsTheConnectionWith1002() throws Exception {
        connect(10_000);
        sendRequest();
        assertThat(readHead()).startsWith("HTTP/1.1 101 ");
        socket.getOutputStream().write(RawFrames.frame(true, 0, Opcodes.TEXT, "no mask".getBytes(StandardCharsets.UTF_8)));

        ServerConnection conn = server.nextConnection();
        assertThat(conn.next()).isInstanceOfSatisfying(ServerEvent.Violation.class,
                v -> assertThat(v.closeCode()).isEqualTo(CloseCodes.PROTOCOL_ERROR));
        byte[] rest = socket.getInputStream().readAllBytes();  // the close frame, then FIN
        assertThat(rest[0] & 0xFF).isEqualTo(0x80 | Opcodes.CLOSE);
        assertThat(((rest[2] & 0xFF) << 8) | (rest[3] & 0xFF)).isEqualTo(CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void neverAnsweringTheHandshakeLeavesTheClientWaiting() throws Exception {
        server.neverAnswerHandshake();
        connect(300);
        sendRequest();
        ServerConnection conn = server.nextConnection();
        assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        conn.closeTcp();
        socket.setSoTimeout(10_000);
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }

    @Test
    void answersWithAWrongAcceptWhenAskedTo() throws Exception {
        server.answerHandshakeWithAccept("d3JvbmcgYWNjZXB0IHZhbHVlPQ==");
        connect(10_000);
        sendRequest();
        assertThat(readHead()).startsWith("HTTP/1.1 101 ").contains("Sec-WebSocket-Accept: d3JvbmcgYWNjZXB0IHZhbHVlPQ==\r\n");
    }
}
