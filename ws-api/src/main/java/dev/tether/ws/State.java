package dev.tether.ws;

/** The seed's four states, as {@link WebSocket#state()} reports them (RFC 6455 section 4 and 7). */
public enum State {
    /** Created, or a connect attempt is under way; also the state before the first attempt ends. */
    CONNECTING,
    /** The opening handshake succeeded: messages flow. */
    OPEN,
    /** A close frame was sent or received; waiting for the other side and the TCP close. */
    CLOSING,
    /** No connection. {@link WebSocket#connect(java.time.Duration)} may be called again. */
    CLOSED
}
