package dev.tether.ws;

import java.util.Objects;

/**
 * The result of {@link WebSocket#recv()}: the seed's {@code result, data} pair. When
 * {@link #ok()}, {@link #data()} is the message; otherwise {@link #error()} says why there is
 * none (the connection closed, a timeout, a protocol error).
 */
public final class Received {
    private final Message data;
    private final Throwable error;

    private Received(Message data, Throwable error) {
        this.data = data;
        this.error = error;
    }

    static Received of(Message message) {
        return new Received(Objects.requireNonNull(message), null);
    }

    static Received failed(Throwable error) {
        return new Received(null, Objects.requireNonNull(error));
    }

    /** The seed's {@code result}: true when a message was received. */
    public boolean ok() {
        return data != null;
    }

    /**
     * The message.
     *
     * @throws IllegalStateException when there is none; the message names the {@link #error()}
     */
    public Message data() {
        if (data == null) {
            throw new IllegalStateException("no message: " + error.getMessage(), error);
        }
        return data;
    }

    /** Why there is no message, or null when there is one. */
    public Throwable error() {
        return error;
    }

    @Override
    public String toString() {
        return ok() ? "Received[" + data + "]" : "Received[error=" + error + "]";
    }
}
