package dev.tether.ws.bench.e2e;

import java.net.URI;
import java.util.concurrent.Semaphore;

/**
 * One WebSocket client stack, driven the same way for every stack: connect, send binary
 * messages, and release {@link #replies} once per whole echoed message received.
 */
abstract class Client implements AutoCloseable {
    final Semaphore replies = new Semaphore(0);

    abstract String name();

    abstract void connect(URI uri) throws Exception;

    /** Sends one binary message; may return before it is on the wire. */
    abstract void send(byte[] message) throws Exception;

    @Override
    public abstract void close() throws Exception;

    final void onReply() {
        replies.release();
    }
}
