package dev.tether.ws.codec;

/**
 * Close status codes (RFC 6455 section 7.4) and the rule for which of them may appear in a close
 * frame on the wire.
 */
public final class CloseCodes {
    /** 1000: a normal closure. */
    public static final int NORMAL = 1000;
    /** 1001: an endpoint is going away (a server going down, a page navigated away). */
    public static final int GOING_AWAY = 1001;
    /** 1002: a protocol error. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: a type of data the endpoint cannot accept. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** Reserved: "no status code was present". Never sent, section 7.4.1. */
    public static final int NO_STATUS = 1005;
    /** Reserved: "closed abnormally, without a close frame". Never sent, section 7.4.1. */
    public static final int ABNORMAL = 1006;
    /** 1007: a message inconsistent with its type (invalid UTF-8 in text). */
    public static final int INVALID_PAYLOAD = 1007;
    /** 1008: a message that violates the endpoint's policy. */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a message too big to process. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1010: the client expected an extension the server did not agree to. */
    public static final int MISSING_EXTENSION = 1010;
    /** 1011: an unexpected condition on the server. */
    public static final int INTERNAL_ERROR = 1011;
    /** 1012: the service is restarting (IANA registry). */
    public static final int SERVICE_RESTART = 1012;
    /** 1013: try again later (IANA registry). */
    public static final int TRY_AGAIN_LATER = 1013;
    /** 1014: a gateway got an invalid response upstream (IANA registry). */
    public static final int BAD_GATEWAY = 1014;
    /** Reserved: TLS handshake failure. Never sent, section 7.4.1. */
    public static final int TLS_HANDSHAKE = 1015;

    /** The largest close reason in bytes: 125-byte control payload minus the 2-byte code. */
    public static final int MAX_REASON_BYTES = 123;

    private CloseCodes() {
    }

    /**
     * Whether {@code code} may be carried by a close frame. Section 7.4.1 defines 1000-1003 and
     * 1007-1011; the IANA registry (section 11.7) added 1012-1014. 1004 is reserved, 1005, 1006
     * and 1015 must never be sent, the rest of 1000-2999 is unassigned, 3000-3999 is for
     * libraries and frameworks, 4000-4999 for private use, and everything else is invalid.
     */
    public static boolean isSendable(int code) {
        return (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }

    /** A short description for logs and errors. */
    public static String describe(int code) {
        return switch (code) {
            case NORMAL -> "normal closure";
            case GOING_AWAY -> "going away";
            case PROTOCOL_ERROR -> "protocol error";
            case UNSUPPORTED_DATA -> "unsupported data";
            case NO_STATUS -> "no status code";
            case ABNORMAL -> "abnormal closure";
            case INVALID_PAYLOAD -> "invalid payload data";
            case POLICY_VIOLATION -> "policy violation";
            case MESSAGE_TOO_BIG -> "message too big";
            case MISSING_EXTENSION -> "mandatory extension missing";
            case INTERNAL_ERROR -> "internal error";
            case SERVICE_RESTART -> "service restart";
            case TRY_AGAIN_LATER -> "try again later";
            case BAD_GATEWAY -> "bad gateway";
            case TLS_HANDSHAKE -> "TLS handshake failure";
            default -> code >= 3000 && code <= 4999 ? "application code " + code : "code " + code;
        };
    }
}
