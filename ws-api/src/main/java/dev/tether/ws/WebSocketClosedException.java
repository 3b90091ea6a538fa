package dev.tether.ws;

import java.io.IOException;

/** The connection is closed, with the close code and reason that ended it. */
public final class WebSocketClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The close code. */
    private final int code;
    /** The close reason, never null. */
    private final String reason;

    /**
     * @param code the close code that ended the connection
     * @param reason its reason, empty when none
     */
    public WebSocketClosedException(int code, String reason) {
        super("connection closed: " + code + (reason.isEmpty() ? "" : " " + reason));
        this.code = code;
        this.reason = reason;
    }

    /** The close code (RFC 6455 section 7.4); 1006 when no close frame was exchanged. */
    public int code() {
        return code;
    }

    /** The close reason; empty when the close frame had none. */
    public String reason() {
        return reason;
    }
}
