package dev.tether.ws.bench.e2e;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;

/**
 * One WebSocket client stack, driven the same way for every stack: connect (plain, over TLS, or
 * offering permessage-deflate), send binary or text messages, and release {@link #replies} once
 * per whole message received; or, for the fan-in run, give each received binary message's
 * send time to {@link #delays}.
 */
abstract class Client implements AutoCloseable {
    /**
     * How a connection is made.
     *
     * @param trust for {@code wss}: the one certificate to trust; null for {@code ws}
     * @param deflate offer permessage-deflate (RFC 7692); the connect fails if it is not agreed
     */
    record Options(Trust trust, boolean deflate) {
        static final Options PLAIN = new Options(null, false);
        static final Options DEFLATE = new Options(null, true);

        static Options tls(Trust trust) {
            return new Options(trust, false);
        }
    }

    final Semaphore replies = new Semaphore(0);
    /**
     * Fan-in only, set before {@link #connect}: where the send time in each received binary
     * message's first 8 bytes goes (then {@link #replies} is not released); null otherwise.
     */
    volatile Delays delays;

    abstract String name();

    /** Connects without TLS or compression, as the fleets and the connection-scale run do. */
    final void connect(URI uri) throws Exception {
        connect(uri, Options.PLAIN);
    }

    /**
     * Connects, within 10 s; with {@link Options#deflate()}, fails unless the server agreed to
     * permessage-deflate (a figure without it would not be one of compression).
     */
    abstract void connect(URI uri, Options options) throws Exception;

    /** Whether this stack can offer permessage-deflate at all. */
    boolean canDeflate() {
        return true;
    }

    /** Sends one binary message; may return before it is on the wire. */
    abstract void send(byte[] message) throws Exception;

    /** Sends one text message; may return before it is on the wire. */
    abstract void sendText(String message) throws Exception;

    @Override
    public abstract void close() throws Exception;

    final void onReply() {
        replies.release();
    }

    /** A whole binary message (at least its first 8 bytes for fan-in), position at its start. */
    final void onBinary(ByteBuffer data) {
        Delays d = delays;
        if (d == null) {
            replies.release();
        } else {
            d.record(data.getLong(data.position()));
        }
    }

    /** Fails a connect whose server did not agree to the permessage-deflate offered. */
    static void requireDeflate(Options options, boolean agreed, String name) {
        if (options.deflate() && !agreed) {
            throw new IllegalStateException(name + ": the server did not agree to permessage-deflate");
        }
    }
}
