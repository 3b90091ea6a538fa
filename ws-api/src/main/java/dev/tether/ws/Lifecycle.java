package dev.tether.ws;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
    /** A field with a VarHandle rather than an AtomicReference: one object less per connection. */
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Lifecycle.class, "state", State.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile State state = State.CONNECTING;

    State get() {
        return state;
    }

    boolean over() {
        return state == State.CLOSED;
    }

    /** CONNECTING to OPEN; false when the connection was ended first. */
    boolean open() {
        return STATE.compareAndSet(this, State.CONNECTING, State.OPEN);
    }

    /** OPEN to CLOSING; false when it was not OPEN. */
    boolean closing() {
        return STATE.compareAndSet(this, State.OPEN, State.CLOSING);
    }

    /** To CLOSED; returns the state it ended from, or null when it had ended already. */
    State end() {
        State from = (State) STATE.getAndSet(this, State.CLOSED);
        return from == State.CLOSED ? null : from;
    }
}
