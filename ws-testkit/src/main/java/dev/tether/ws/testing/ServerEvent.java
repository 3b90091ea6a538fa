package dev.tether.ws.testing;

import dev.tether.ws.codec.CloseCodes;
import dev.tether.ws.codec.Opcodes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a {@link ServerConnection} saw the client do, in order, so tests can assert what the
 * client sent. Records with byte arrays compare by content, so
 * {@code assertThat(conn.next()).isEqualTo(Message.text("hi"))} works.
 */
public sealed interface ServerEvent {

    /** A complete data message (fragments joined), {@link Opcodes#TEXT} or {@link Opcodes#BINARY}. */
    record Message(int opcode, byte[] data) implements ServerEvent {
        public static Message text(String text) {
            return new Message(Opcodes.TEXT, text.getBytes(StandardCharsets.UTF_8));
        }

        public static Message binary(byte[] data) {
            return new Message(Opcodes.BINARY, data);
        }

        public boolean isText() {
            return opcode == Opcodes.TEXT;
        }

        /** The payload decoded as UTF-8 (the codec already checked it is valid, for text). */
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Message m && m.opcode == opcode && Arrays.equals(m.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * opcode + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Message[" + Opcodes.name(opcode) + ", " + Bytes.preview(data, isText()) + "]";
        }
    }

    /** A ping (RFC 6455 section 5.5.2). */
    record Ping(byte[] data) implements ServerEvent {
        @Override
        public boolean equals(Object o) {
            return o instanceof Ping p && Arrays.equals(p.data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Ping[" + Bytes.preview(data, false) + "]";
        }
    }

    /** A pong (RFC 6455 section 5.5.3). */
    record Pong(byte[] data) implements ServerEvent {
        @Override
        public boolean equals(Object o) {
            return o instanceof Pong p && Arrays.equals(p.data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Pong[" + Bytes.preview(data, false) + "]";
        }
    }

    /** A valid close frame; {@code code} is 1005 when it had no body (section 7.1.5). */
    record Close(int code, String reason) implements ServerEvent {
        @Override
        public String toString() {
            return "Close[" + code + " (" + CloseCodes.describe(code) + "), \"" + reason + "\"]";
        }
    }

    /**
     * The client broke RFC 6455 (an unmasked frame, bad UTF-8, ...): the server failed the
     * connection with a close frame carrying {@code closeCode} (section 7.1.7).
     */
    record Violation(int closeCode, String message) implements ServerEvent {
    }

    /** The opening handshake request was refused with {@code status} (section 4.2.1). */
    record BadHandshake(int status, String message) implements ServerEvent {
    }

    /** The TCP connection ended: {@code how} is "end of stream" or the read error. */
    record Disconnected(String how) implements ServerEvent {
    }

    /** Short renderings of payloads for assertion messages. */
    final class Bytes {
        private static final int PREVIEW = 40;

        private Bytes() {
        }

        static String preview(byte[] data, boolean text) {
            String shown = text
                    ? "\"" + new String(data, 0, Math.min(data.length, PREVIEW), StandardCharsets.UTF_8) + "\""
                    : HexFormat.of().formatHex(data, 0, Math.min(data.length, PREVIEW));
            return data.length + " bytes " + shown + (data.length > PREVIEW ? "..." : "");
        }
    }
}
