package dev.tether.ws.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The body of a close frame, RFC 6455 section 5.5.1: empty, or a 2-byte status code followed
 * by an optional UTF-8 reason. The one place where close payloads are checked and built.
 *
 * @param code the status code; {@link CloseCodes#NO_STATUS} (1005) for an empty payload
 * @param reason the reason, empty when none
 */
public record ClosePayload(int code, String reason) {

    /** The payload of a close frame with no body. */
    public static final ClosePayload EMPTY = new ClosePayload(CloseCodes.NO_STATUS, "");

    /**
     * Reads a received close payload (the buffer's remaining bytes, position untouched).
     *
     * @throws ProtocolException 1002 for a 1-byte payload or a code that may not be sent
     *     (section 7.4), 1007 for a reason that is not UTF-8 (section 8.1)
     */
    public static ClosePayload parse(ByteBuffer payload) throws ProtocolException {
        int len = payload.remaining();
        if (len == 0) {
            return EMPTY;
        }
        if (len == 1) {
            throw ProtocolException.protocol(
                    "close frame with a 1-byte payload: a status code takes 2 bytes (section 5.5.1)");
        }
        int p = payload.position();
        int code = ((payload.get(p) & 0xFF) << 8) | (payload.get(p + 1) & 0xFF);
        if (!CloseCodes.isSendable(code)) {
            throw ProtocolException.protocol(
                    "close frame with status code " + code + ", which may not be sent (section 7.4)");
        }
        ByteBuffer reasonBytes = payload.slice(p + 2, len - 2);
        if (!Utf8Validator.isValid(reasonBytes)) {
            throw ProtocolException.badData("close reason is not valid UTF-8 (section 8.1)");
        }
        return new ClosePayload(code, StandardCharsets.UTF_8.decode(reasonBytes).toString());
    }

    /**
     * Checks a close that this side wants to send.
     *
     * @throws IllegalArgumentException for a code that may not be sent, or a reason longer than
     *     123 UTF-8 bytes
     */
    public static ClosePayload of(int code, String reason) {
        String r = reason == null ? "" : reason;
        if (!CloseCodes.isSendable(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent: use 1000-1003, "
                    + "1007-1014 or 3000-4999 (RFC 6455 section 7.4)");
        }
        int bytes = r.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > CloseCodes.MAX_REASON_BYTES) {
            throw new IllegalArgumentException("close reason is " + bytes + " UTF-8 bytes; at most "
                    + CloseCodes.MAX_REASON_BYTES + " fit in a close frame (RFC 6455 section 5.5)");
        }
        return new ClosePayload(code, r);
    }

    /** The wire form: empty for {@link #EMPTY}, else code and reason. */
    public byte[] toBytes() {
        if (code == CloseCodes.NO_STATUS) {
            return new byte[0];
        }
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[2 + r.length];
        out[0] = (byte) (code >>> 8);
        out[1] = (byte) code;
        System.arraycopy(r, 0, out, 2, r.length);
        return out;
    }
}
