package dev.tether.ws;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The state of one connection, advanced here only, by compare-and-set, so that of two threads
 * racing to change it exactly one wins (RFC 6455 sections 4 and 7):
 *
 * <pre>
 *   CONNECTING --open()----> OPEN --closing()--> CLOSING
 *       |                     |                     |
 *       +------end()----------+-------end()---------+----> CLOSED (final)
 * </pre>
 *
 * <ul>
 *   <li>{@code open}: the server's 101 checked out, and nobody ended the connection meanwhile
 *       (a {@code close()} or {@code exit()} during DNS, TCP, TLS or the upgrade wins, and the
 *       connection never becomes OPEN).</li>
 *   <li>{@code closing}: a close frame was sent or received, or a protocol error was found.</li>
 *   <li>{@code end}: the socket is being closed; once, whoever calls it first.</li>
 * </ul>
 */
final class Lifecycle {
    private final AtomicReference<State> state = new AtomicReference<>(State.CONNECTING);

    State get() {
        return state.get();
    }

    boolean over() {
        return state.get() == State.CLOSED;
    }

    /** CONNECTING to OPEN; false when the connection was ended first. */
    boolean open() {
        return state.compareAndSet(State.CONNECTING, State.OPEN);
    }

    /** OPEN to CLOSING; false when it was not OPEN. */
    boolean closing() {
        return state.compareAndSet(State.OPEN, State.CLOSING);
    }

    /** To CLOSED; returns the state it ended from, or null when it had ended already. */
    State end() {
        while (true) {
            State s = state.get();
            if (s == State.CLOSED) {
                return null;
            }
            if (state.compareAndSet(s, State.CLOSED)) {
                return s;
            }
        }
    }
}
