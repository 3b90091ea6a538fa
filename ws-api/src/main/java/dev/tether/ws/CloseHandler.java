package dev.tether.ws;

/** Handler for {@link Event#CLOSE}: the close code and reason of the connection that ended. */
@FunctionalInterface
public interface CloseHandler {
    /**
     * Called once when the connection has ended.
     *
     * @param code the peer's close code when it sent one (1005 for a close frame without a code),
     *     the code this side closed with on a protocol error, or 1006 when the connection ended
     *     without a close frame
     * @param reason the matching reason, never null
     */
    void onClose(int code, String reason);
}
