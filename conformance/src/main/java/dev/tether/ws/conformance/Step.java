package dev.tether.ws.conformance;

import java.time.Duration;
import java.util.Objects;

/**
 * One action of a case script, what Autobahn's case classes do in {@code onOpen} and their
 * {@code continueLater} continuations. {@link CaseRunner} interprets them in order.
 */
public sealed interface Step {

    /**
     * A frame exactly as given: any opcode and RSV bits, oversized control frames, whatever a
     * well-behaved writer would refuse (RFC 6455 section 5.2 layout, minimal length encoding).
     *
     * @param maskKey null for an unmasked frame (a server's, section 5.1); else the key
     */
    record SendFrame(boolean fin, int rsv, int opcode, Slice payload, Delivery delivery, Integer maskKey)
            implements Step {
        public SendFrame {
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(delivery, "delivery");
            if (rsv < 0 || rsv > 7 || opcode < 0 || opcode > 15) {
                throw new IllegalArgumentException("rsv " + rsv + ", opcode " + opcode);
            }
        }
    }

    /**
     * A whole data message, in frames of {@code fragmentSize} bytes (0: one frame), written in
     * one go: Autobahn's {@code sendMessage(payload, fragmentSize=...)}.
     */
    record SendMessage(boolean binary, Slice payload, int fragmentSize) implements Step {
    }

    /**
     * Only a frame header announcing {@code length} bytes; the payload follows in
     * {@link SendRaw} steps (6.4.3/6.4.4 split one frame's payload across pauses).
     */
    record SendHeader(boolean fin, int rsv, int opcode, long length) implements Step {
    }

    /** Bytes as they are, e.g. the rest of a frame begun with {@link SendHeader}. */
    record SendRaw(Slice bytes) implements Step {
    }

    /**
     * Starts the closing handshake (section 7.1.2): writes a close frame, after which the peer
     * counts as having closed first ({@code closedByMe}) and waits for the client's close. The
     * body is {@code code} (2 bytes, any 16-bit value, omitted when null) then {@code reason}
     * as given, valid or not. Does nothing once a close was sent or received, like Autobahn's
     * {@code sendClose}; a second, raw close frame is a {@link SendFrame}.
     */
    record SendClose(Integer code, Slice reason) implements Step {
    }

    /** Flushes and pauses; the script stops early if the connection ends meanwhile. */
    record Wait(Duration duration) implements Step {
    }

    /**
     * Records {@code ("timeout", tag)} if the connection is still open, else ends the script:
     * the 6.4.x continuations that go on only while the client has not failed the connection.
     */
    record Checkpoint(String tag) implements Step {
    }

    /**
     * From now, if the connection is still up after {@code delay}, fail it: Autobahn's
     * {@code killAfter}. This peer fails by starting a closing handshake with 1001, as the
     * suite's fuzzing server does when configured with {@code "failByDrop": false}. (Its
     * default drops TCP instead, under which a client that neither echoes nor notices a
     * violation passes a "client must fail" case by silence; here it is "failed by the wrong
     * endpoint".)
     */
    record KillAfter(Duration delay) implements Step {
    }

    /** From now, if the connection is still open after {@code delay}, close it with an empty
     * close frame: Autobahn's {@code closeAfter}. */
    record CloseAfter(Duration delay) implements Step {
    }

    /**
     * {@code count} round trips of one message: send, wait for the echo, compare, send again
     * (9.7.x/9.8.x). A wrong echo ends the rounds with a close, as Autobahn does.
     */
    record EchoRounds(boolean binary, Slice payload, int count) implements Step {
    }

    /**
     * The 12.x/13.x rounds: each message compressed with the negotiated permessage-deflate
     * parameters, the compressed bytes cut into frames of {@code fragmentSize} (0: one frame;
     * RSV1 on the first, RFC 7692 section 6.1), sent, its echo awaited and compared; then the
     * next. A wrong echo ends the rounds with a normal close, and so does the last echo. When the
     * extension was not negotiated the peer closes at once (1000) instead, as the suite does.
     */
    record CompressedRounds(boolean binary, java.util.List<Slice> payloads, int fragmentSize) implements Step {
        public CompressedRounds {
            payloads = java.util.List.copyOf(payloads);
        }

        @Override
        public String toString() {
            return "CompressedRounds[" + (binary ? "binary" : "text") + ", " + payloads.size() + " messages, fragments of "
                    + fragmentSize + "]";
        }
    }
}
