package dev.tether.ws.conformance;

/**
 * What the peer saw the client do, the entries of Autobahn's {@code received} list
 * ({@code case.py}): whole messages and pongs in arrival order, plus the {@code timeout}
 * markers the fail-fast cases (6.4.x) add when a pause passed with the connection still open.
 * Pings from the client are answered but not recorded, as the fuzzing server does not record
 * them either.
 */
public sealed interface Observation {

    /** A short form for reports. */
    String describe();

    record Message(boolean binary, Slice payload) implements Observation {
        @Override
        public String describe() {
            return (binary ? "binary message " : "text message ") + payload.preview(48);
        }
    }

    record Pong(Slice payload) implements Observation {
        @Override
        public String describe() {
            return "pong " + payload.preview(48);
        }
    }

    /** A pause in the script ended with the connection still open (Autobahn's ("timeout", tag)). */
    record Timeout(String tag) implements Observation {
        @Override
        public String describe() {
            return "timeout " + tag;
        }
    }

    static Observation text(Slice payload) {
        return new Message(false, payload);
    }

    static Observation binary(Slice payload) {
        return new Message(true, payload);
    }

    static Observation pong(Slice payload) {
        return new Pong(payload);
    }

    static Observation timeout(String tag) {
        return new Timeout(tag);
    }
}
