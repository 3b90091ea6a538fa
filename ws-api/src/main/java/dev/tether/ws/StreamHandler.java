package dev.tether.ws;

import java.io.IOException;

/**
 * Receives a message as a stream while it arrives ({@link Event#STREAM}), so that a message of
 * any size needs no buffer of its size. Runs on the WebSocket's handler thread, in wire order
 * with the other events; what it leaves unread when it returns is discarded.
 */
@FunctionalInterface
public interface StreamHandler {
    /**
     * @param message the message's bytes as they arrive (text already checked as UTF-8, inflated
     *     when compressed); its reads fail with an {@link IOException} naming the close code when
     *     the connection ends before the message does
     * @throws IOException goes to {@link Event#ERROR}, as a handler's exception does
     */
    void onStream(MessageStream message) throws IOException;
}
