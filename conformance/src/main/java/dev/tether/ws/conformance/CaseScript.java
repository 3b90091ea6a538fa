package dev.tether.ws.conformance;

import java.time.Duration;
import java.util.List;

/**
 * One case: its Autobahn id, the script the peer plays, what it expects of the client, the
 * time after which the peer gives up on the connection whatever happened, and how the peer
 * answers a permessage-deflate offer in its opening handshake.
 *
 * @param deflate the accept function of a 12.x/13.x case; null for every other case, where the
 *     peer declines the extension (as the suite's fuzzing server does)
 */
public record CaseScript(String id, Expectation expect, List<Step> steps, Duration bound, DeflateAccept deflate) {
    /** Autobahn's default closing-handshake timeout: how long the peer waits for the
     * client's close after sending its own. */
    public static final Duration CLOSE_HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);
    /** How long the peer waits for the client to close TCP after it half-closed its side. */
    public static final Duration DROP_GRACE = Duration.ofSeconds(1);
    private static final Duration MARGIN = Duration.ofSeconds(2);

    public CaseScript {
        steps = List.copyOf(steps);
    }

    /** A case whose bound is the script's own time (pauses and timers) plus the close
     * handshake, the drop grace and a margin. */
    public static CaseScript of(String id, Expectation expect, Step... steps) {
        List<Step> list = List.of(steps);
        return new CaseScript(id, expect, list, naturalBound(list), null);
    }

    /** This case, negotiating permessage-deflate as {@code accept} says. */
    public CaseScript withDeflate(DeflateAccept accept) {
        return new CaseScript(id, expect, steps, bound, accept);
    }

    static Duration naturalBound(List<Step> steps) {
        Duration elapsed = Duration.ZERO;
        Duration end = Duration.ZERO;
        for (Step s : steps) {
            switch (s) {
                case Step.Wait w -> elapsed = elapsed.plus(w.duration());
                case Step.KillAfter k -> end = max(end, elapsed.plus(k.delay()));
                case Step.CloseAfter c -> end = max(end, elapsed.plus(c.delay()));
                default -> {
                }
            }
        }
        return max(end, elapsed).plus(CLOSE_HANDSHAKE_TIMEOUT).plus(DROP_GRACE).plus(MARGIN);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The category number, "9" for "9.3.1". */
    public String category() {
        return id.substring(0, id.indexOf('.'));
    }
}
