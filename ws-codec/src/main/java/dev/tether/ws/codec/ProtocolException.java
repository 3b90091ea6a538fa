package dev.tether.ws.codec;

/**
 * A violation of RFC 6455 (or of a configured limit) by the peer, carrying the close code the
 * connection must be closed with: 1002 protocol error, 1007 invalid payload, 1009 too big,
 * 1010 missing extension, 1011 internal error.
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The close code the connection must be closed with. */
    private final int closeCode;

    /**
     * @param closeCode the close code to close with (section 7.4.1)
     * @param message what the peer did wrong
     */
    public ProtocolException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    /** The close code to send to the peer (section 7.4.1). */
    public int closeCode() {
        return closeCode;
    }

    static ProtocolException protocol(String message) {
        return new ProtocolException(CloseCodes.PROTOCOL_ERROR, message);
    }

    static ProtocolException tooBig(String message) {
        return new ProtocolException(CloseCodes.MESSAGE_TOO_BIG, message);
    }

    static ProtocolException badData(String message) {
        return new ProtocolException(CloseCodes.INVALID_PAYLOAD, message);
    }
}
