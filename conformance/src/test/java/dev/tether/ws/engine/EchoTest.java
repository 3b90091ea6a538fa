package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.Message;
import dev.tether.ws.Opcode;
import dev.tether.ws.Received;
import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.JettyEchoServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Text and binary round trips from 0 bytes to 16 MiB, whole and as many {@code sendFrame}
 * fragments, against Jetty 12 and against the codec's own server. Sizes straddle every length
 * encoding, and the seed's 64 KiB limit.
 */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EchoTest {
    @Parameter
    String transport;

    private JettyEchoServer jetty;
    private CodecServer codec;

    @BeforeAll
    void startServers() throws Exception {
        jetty = new JettyEchoServer();
        codec = CodecServer.started();
    }

    @AfterAll
    void stopServers() {
        jetty.close();
        codec.close();
    }

    private WebSocket connected(String url) {
        WebSocket ws = WebSocket.builder(url).transport(transport).build();
        assertThat(ws.connect(Duration.ofSeconds(10))).as("connect %s: %s", url, ws.lastError()).isTrue();
        return ws;
    }

    private String url(String server) {
        return server.equals("jetty") ? jetty.uri("/echo").toString() : codec.uri("/echo").toString();
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 125, 126, 65535, 65536, 65537, 1 << 20, 16 << 20})
    void binaryEchoesWholeAtEverySize(int size) {
        for (String server : new String[] {"jetty", "codec"}) {
            try (WebSocket ws = connected(url(server))) {
                byte[] data = new byte[size];
                new Random(size).nextBytes(data);
                assertThat(ws.send(data)).isTrue();
                Received r = ws.recv(Duration.ofSeconds(30));
                assertThat(r.ok()).as("%s: %s", server, r).isTrue();
                assertThat(r.data().isText()).isFalse();
                assertThat(r.data().bytes()).as(server).isEqualTo(data);
            }
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 125, 126, 65535, 65536, 1 << 20, 16 << 20})
    void textEchoesWholeAtEverySize(int size) {
        String text = "κόσμε-€-😀-".repeat(size / 20 + 1).substring(0, 0);
        StringBuilder sb = new StringBuilder(size);
        String unit = "κόσμε-€-😀-ascii ";
        while (sb.length() < size) {
            sb.append(unit);
        }
        text = sb.substring(0, Math.min(size, sb.length()));
        if (!text.isEmpty() && Character.isHighSurrogate(text.charAt(text.length() - 1))) {
            text = text.substring(0, text.length() - 1);
        }
        for (String server : new String[] {"jetty", "codec"}) {
            try (WebSocket ws = connected(url(server))) {
                assertThat(ws.send(text)).isTrue();
                Received r = ws.recv(Duration.ofSeconds(30));
                assertThat(r.ok()).as("%s: %s", server, r).isTrue();
                assertThat(r.data().isText()).isTrue();
                assertThat(r.data().text()).as(server).isEqualTo(text);
            }
        }
    }

    @Test
    void messageSentAsManySendFrameFragmentsArrivesAsOne() {
        for (String server : new String[] {"jetty", "codec"}) {
            try (WebSocket ws = connected(url(server))) {
                StringBuilder expected = new StringBuilder();
                assertThat(ws.sendFrame(false, Opcode.TEXT, "part-0 ")).isTrue();
                expected.append("part-0 ");
                for (int i = 1; i < 50; i++) {
                    String part = "part-" + i + " ";
                    assertThat(ws.sendFrame(false, Opcode.CONTINUATION, part)).isTrue();
                    expected.append(part);
                    if (i % 10 == 0) {
                        assertThat(ws.ping("between fragments")).isTrue();
                    }
                }
                assertThat(ws.sendFrame(true, Opcode.CONTINUATION, "end")).isTrue();
                expected.append("end");
                Received r = ws.recv(Duration.ofSeconds(10));
                assertThat(r.data().text()).as(server).isEqualTo(expected.toString());
            }
        }
    }

    @Test
    void largeBinaryAsFragmentsAndByteBuffersOfEveryKind() {
        byte[] data = new byte[3 << 20];
        new Random(3).nextBytes(data);
        try (WebSocket ws = connected(url("jetty"))) {
            int chunk = 1 << 20;
            ByteBuffer direct = ByteBuffer.allocateDirect(chunk).put(data, 0, chunk).flip();
            assertThat(ws.sendFrame(false, Opcode.BINARY, direct)).isTrue();
            assertThat(direct.remaining()).as("the caller's buffer is not consumed").isEqualTo(chunk);
            assertThat(ws.sendFrame(false, Opcode.CONTINUATION, ByteBuffer.wrap(data, chunk, chunk).slice())).isTrue();
            assertThat(ws.sendFrame(true, Opcode.CONTINUATION, java.util.Arrays.copyOfRange(data, 2 * chunk, 3 * chunk))).isTrue();
            Message m = ws.recv(Duration.ofSeconds(30)).data();
            assertThat(m.bytes()).isEqualTo(data);
        }
    }

    @Test
    void utf8SequenceSplitAcrossFragmentsIsReassembled() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        try (WebSocket ws = connected(url("codec"))) {
            assertThat(ws.sendFrame(false, Opcode.TEXT, new byte[] {euro[0]})).isTrue();
            assertThat(ws.sendFrame(false, Opcode.CONTINUATION, new byte[] {euro[1]})).isTrue();
            assertThat(ws.sendFrame(true, Opcode.CONTINUATION, new byte[] {euro[2]})).isTrue();
            assertThat(ws.recv(Duration.ofSeconds(10)).data().text()).isEqualTo("€");
        }
    }
}
