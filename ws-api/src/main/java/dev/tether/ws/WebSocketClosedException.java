package dev.tether.ws;

import java.io.IOException;

/** The connection is closed, with the close code and reason that ended it. */
public final class WebSocketClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String reason;

    public WebSocketClosedException(int code, String reason) {
        super("connection closed: " + code + (reason.isEmpty() ? "" : " " + reason));
        this.code = code;
        this.reason = reason;
    }

    /** The close code (RFC 6455 section 7.4); 1006 when no close frame was exchanged. */
    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }
}
