package dev.tether.ws.codec.internal;

import dev.tether.ws.codec.handshake.HttpHeaders;
import java.nio.charset.StandardCharsets;

/**
 * Serializes an HTTP/1.1 message head (RFC 7230 section 3): start line, one line per header
 * field, empty line, each ended by CRLF. Values were checked when added to the HttpHeaders,
 * so none can break a line; ISO-8859-1 writes each char of a value as the one octet it stands
 * for (RFC 7230 section 3.2.4). Stateless.
 */
public final class HeadWriter {
    private HeadWriter() {
    }

    /** The head followed by {@code body}. */
    public static byte[] write(String startLine, HttpHeaders headers, byte[] body) {
        StringBuilder text = new StringBuilder(256).append(startLine).append("\r\n");
        headers.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
        byte[] head = text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] message = new byte[head.length + body.length];
        System.arraycopy(head, 0, message, 0, head.length);
        System.arraycopy(body, 0, message, head.length, body.length);
        return message;
    }
}
