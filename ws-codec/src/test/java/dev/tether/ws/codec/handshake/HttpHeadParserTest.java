package dev.tether.ws.codec.handshake;

import static dev.tether.ws.codec.handshake.FixedNonce.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpHeadParserTest {

    private static final String RESPONSE = "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            + "Sec-WebSocket-Protocol:chat   \r\n"
            + "\r\n";
    /** A text frame "hi" the server sent in the same segment as its 101. */
    private static final byte[] FRAME = {(byte) 0x81, 0x02, 'h', 'i'};

    private static byte[] responseWithFrame() {
        byte[] head = RESPONSE.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + FRAME.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(FRAME, 0, all, head.length, FRAME.length);
        return all;
    }

    private static void assertIsTheResponse(HttpResponseHead head) {
        assertThat(head.version()).isEqualTo("HTTP/1.1");
        assertThat(head.statusCode()).isEqualTo(101);
        assertThat(head.reasonPhrase()).isEqualTo("Switching Protocols");
        assertThat(head.headers().first("sec-websocket-accept")).contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        assertThat(head.headers().first("Sec-WebSocket-Protocol")).contains("chat");
        assertThat(head.headers().size()).isEqualTo(4);
    }

    private static HttpResponseHead parseResponse(String text) throws HandshakeException {
        return HttpHeadParser.forResponses().parse(bytes(text)).orElseThrow();
    }

    private static HandshakeException responseFailure(String text) {
        return assertThrows(HandshakeException.class, () -> HttpHeadParser.forResponses().parse(bytes(text)));
    }

    @Test
    void parsesAResponseSplitAtEveryByteBoundaryAndLeavesTheFrameBytes() throws Exception {
        byte[] all = responseWithFrame();
        for (int split = 0; split <= all.length; split++) {
            HttpHeadParser<HttpResponseHead> parser = HttpHeadParser.forResponses();
            ByteBuffer first = ByteBuffer.wrap(all, 0, split).slice();
            Optional<HttpResponseHead> head = parser.parse(first);
            ByteBuffer rest = ByteBuffer.wrap(all, split, all.length - split).slice();
            if (head.isEmpty()) {
                assertThat(first.hasRemaining()).as("split %d", split).isFalse();
                head = parser.parse(rest);
            }
            assertThat(head).as("split %d", split).isPresent();
            assertIsTheResponse(head.get());
            // Whatever was not consumed, in either piece, is exactly the frame.
            assertThat(FixedNonce.ascii(first) + FixedNonce.ascii(rest)).as("split %d", split)
                    .isEqualTo(new String(FRAME, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void parsesAResponseFedOneByteAtATime() throws Exception {
        byte[] all = responseWithFrame();
        HttpHeadParser<HttpResponseHead> parser = HttpHeadParser.forResponses();
        ByteBuffer in = ByteBuffer.wrap(all);
        Optional<HttpResponseHead> head = Optional.empty();
        int fed = 0;
        while (head.isEmpty()) {
            in.limit(++fed);
            head = parser.parse(in);
        }
        assertIsTheResponse(head.get());
        assertThat(fed).isEqualTo(RESPONSE.length());
        in.limit(all.length);
        assertThat(in.remaining()).isEqualTo(FRAME.length);
        // Once complete, later calls return the same head and consume nothing.
        assertThat(parser.parse(in)).containsSame(head.get());
        assertThat(in.remaining()).isEqualTo(FRAME.length);
    }

    @Test
    void toleratesLfOnlyLineEndings() throws Exception {
        HttpResponseHead head = parseResponse("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\n\n");
        assertThat(head.headers().first("Upgrade")).contains("websocket");
    }

    @Test
    void toleratesAMissingReasonPhraseAndKeepsObsText() throws Exception {
        HttpResponseHead head = parseResponse("HTTP/1.1 404\r\nX-Name: caf\u00e9\r\n\r\n");
        assertThat(head.statusCode()).isEqualTo(404);
        assertThat(head.reasonPhrase()).isEmpty();
        assertThat(head.status()).isEqualTo("404");
        assertThat(head.headers().first("X-Name")).contains("caf\u00e9");
    }

    @Test
    void refusesAHeadLargerThanTheLimit() throws Exception {
        HttpHeadParser<HttpResponseHead> parser = HttpHeadParser.forResponses(64);
        ByteBuffer in = bytes("HTTP/1.1 101 Switching Protocols\r\nX-Padding: " + "x".repeat(40) + "\r\n\r\n");
        assertThatThrownBy(() -> parser.parse(in))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("response head exceeds 64 bytes");
        assertThatThrownBy(() -> parser.parse(in)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void acceptsAHeadOfExactlyTheLimit() throws Exception {
        String text = "HTTP/1.1 101 Switching Protocols\r\n\r\n";
        assertThat(HttpHeadParser.forResponses(text.length()).parse(bytes(text))).isPresent();
    }

    @Test
    void refusesTheDefaultLimitPlusOne() {
        String text = "HTTP/1.1 200 OK\r\nX: " + "y".repeat(HttpHeadParser.DEFAULT_MAX_HEAD_BYTES) + "\r\n\r\n";
        assertThat(responseFailure(text)).hasMessage("response head exceeds 16384 bytes");
    }

    @Test
    void refusesMalformedStatusLines() {
        assertThat(responseFailure("HTTP/2 101 Switching Protocols\r\n\r\n"))
                .hasMessageStartingWith("response line 1: malformed status line \"HTTP/2 101 Switching Protocols\"");
        assertThat(responseFailure("HTTP/1.1 1O1 Switching\r\n\r\n")).hasMessageContaining("malformed status line");
        assertThat(responseFailure("HTTP/1.1 101Switching\r\n\r\n")).hasMessageContaining("malformed status line");
        assertThat(responseFailure("\r\n\r\n")).hasMessageContaining("malformed status line \"\"");
        assertThat(responseFailure("SSH-2.0-OpenSSH\r\n").statusCode()).isEqualTo(-1);
    }

    @Test
    void refusesObsFold() {
        assertThat(responseFailure("HTTP/1.1 101 OK\r\nX-A: one\r\n two\r\n\r\n"))
                .hasMessage("response line 3: obsolete line folding is refused (RFC 7230 section 3.2.4): \" two\"");
    }

    @Test
    void refusesBadHeaderLines() {
        assertThat(responseFailure("HTTP/1.1 101 OK\r\nUpgrade : websocket\r\n\r\n"))
                .hasMessageContaining("line 2: whitespace before the colon");
        assertThat(responseFailure("HTTP/1.1 101 OK\r\nno colon here\r\n\r\n"))
                .hasMessageContaining("line 2: header line without a colon: \"no colon here\"");
        assertThat(responseFailure("HTTP/1.1 101 OK\r\nX(y): z\r\n\r\n"))
                .hasMessageContaining("header name \"X(y)\" is not a token");
        assertThat(responseFailure("HTTP/1.1 101 OK\r\n: z\r\n\r\n"))
                .hasMessageContaining("header name \"\" is not a token");
    }

    @Test
    void refusesControlCharactersAndBareCr() {
        assertThat(responseFailure("HTTP/1.1 101 OK\r\nX: a\u0000b\r\n\r\n"))
                .hasMessage("response line 2: control character 0x00");
        assertThat(responseFailure("HTTP/1.1 101 OK\r\nX: a\rb\r\n\r\n"))
                .hasMessage("response line 2: CR not followed by LF");
    }

    @Test
    void parsesARequestSkippingLeadingEmptyLines() throws Exception {
        HttpRequestHead head = HttpHeadParser.forRequests()
                .parse(bytes("\r\nGET /chat?x=1 HTTP/1.1\r\nHost: a\r\n\r\n")).orElseThrow();
        assertThat(head.method()).isEqualTo("GET");
        assertThat(head.target()).isEqualTo("/chat?x=1");
        assertThat(head.version()).isEqualTo("HTTP/1.1");
        assertThat(head.headers().first("host")).contains("a");
    }

    @Test
    void requestFailuresCarryTheStatusToAnswerWith() {
        HandshakeException malformed = assertThrows(HandshakeException.class,
                () -> HttpHeadParser.forRequests().parse(bytes("GET  /chat HTTP/1.1\r\n\r\n")));
        assertThat(malformed).hasMessageStartingWith("request line 1: malformed request line");
        assertThat(malformed.statusCode()).isEqualTo(400);
        HandshakeException large = assertThrows(HandshakeException.class,
                () -> HttpHeadParser.forRequests(32).parse(bytes("GET /chat HTTP/1.1\r\nHost: " + "h".repeat(30))));
        assertThat(large).hasMessage("request head exceeds 32 bytes");
        assertThat(large.statusCode()).isEqualTo(431);
    }
}
