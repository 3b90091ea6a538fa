package dev.tether.ws.conformance;

import java.util.List;

/**
 * Autobahn's {@code expectedClose}: who must start the close, which codes the client may
 * send, and whether the closing handshake must complete.
 *
 * @param closedByMe   the peer (this fuzzing server) must send the first close frame
 * @param codes        acceptable close codes from the client; the first is the one the peer
 *                     itself closes with when an outcome has been met
 * @param requireClean both close frames must be exchanged before TCP goes
 * @param wrongEndpointFatal closing by the wrong endpoint fails the case itself, not only its
 *                     close behaviour ({@code closedByWrongEndpointIsFatal}, the UTF-8 cases:
 *                     a peer that had to close did so because the client never noticed)
 */
public record CloseExpectation(boolean closedByMe, List<Integer> codes, boolean requireClean,
                               boolean wrongEndpointFatal) {
    public CloseExpectation {
        codes = List.copyOf(codes);
        if (codes.isEmpty()) {
            throw new IllegalArgumentException("at least one close code");
        }
    }

    /** The peer closes, normal code, clean: the end of every case that succeeds. */
    public static CloseExpectation peerClosesNormally() {
        return new CloseExpectation(true, List.of(1000), true, false);
    }

    /** The client must fail the connection, with {@code code} if it sends one. */
    public static CloseExpectation clientFails(int code) {
        return new CloseExpectation(false, List.of(code), false, false);
    }
}
