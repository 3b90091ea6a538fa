package dev.tether.ws;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * The events of the seed's {@code ws:on(event, callback)}, typed by the handler each one takes,
 * so that {@code ws.on(Event.CLOSE, (code, reason) -> ...)} is checked by the compiler.
 *
 * <p>Handlers of one WebSocket run one at a time, in the order the events happened (wire order
 * for received frames), on a virtual thread of their own: a handler may block without stalling
 * other connections.
 *
 * @param <H> the handler type
 */
public final class Event<H> {
    /** The opening handshake succeeded; fires before {@code connect} returns {@code true}. */
    public static final Event<Runnable> OPEN = new Event<>("open", 0);
    /** A whole message arrived (fragments joined, text checked as UTF-8). */
    public static final Event<Consumer<Message>> MESSAGE = new Event<>("message", 1);
    /** The connection ended; fires once per connection. */
    public static final Event<CloseHandler> CLOSE = new Event<>("close", 2);
    /** Something went wrong: a failed connect, a protocol error, an I/O error, a throwing handler. */
    public static final Event<Consumer<Throwable>> ERROR = new Event<>("error", 3);
    /** A pong arrived; the handler gets its payload (read-only). */
    public static final Event<Consumer<ByteBuffer>> PONG = new Event<>("pong", 4);
    /** A frame passed to {@code sendFrame}, {@code send}, {@code ping} or {@code pong} was written. */
    public static final Event<Runnable> SENT = new Event<>("sent", 5);
    /**
     * A message queued in the outbox ({@link WebSocket.Builder#outbox}) will never be sent: dropped
     * to make room ({@link OnFull#DROP_OLDEST}), or still queued when {@code start} ended. The
     * handler gets the message as it was queued (its frames joined).
     */
    public static final Event<Consumer<Message>> DROPPED = new Event<>("dropped", 6);

    /**
     * A data message starts; the handler reads it as a stream while it arrives, so a message of
     * any size needs no buffer of its size ({@link MessageStream}). Register it before
     * {@code connect}: a connection decides as it opens whether it streams. On a streaming
     * connection every data message goes to this handler only (not to {@link #MESSAGE}, not to
     * {@code recv}), and messages are bounded by the builder's {@code maxStreamedMessageSize}
     * instead of {@code maxMessageSize}.
     */
    public static final Event<StreamHandler> STREAM = new Event<>("stream", 7);

    static final List<Event<?>> ALL = List.of(OPEN, MESSAGE, CLOSE, ERROR, PONG, SENT, DROPPED, STREAM);

    private final String name;
    final int index;

    private Event(String name, int index) {
        this.name = name;
        this.index = index;
    }

    /** The seed's name for the event: "open", "message", "close", "error", "pong", "sent", "dropped", "stream". */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
