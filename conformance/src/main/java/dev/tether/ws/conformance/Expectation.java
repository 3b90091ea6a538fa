package dev.tether.ws.conformance;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a case expects of the client: Autobahn's {@code expected} (acceptable lists of
 * observations, each naming the behaviour it earns) and {@code expectedClose}, plus the few
 * per-case twists of the suite's case classes, as data.
 *
 * @param outcomes  acceptable observation lists, in the order they are tried
 * @param close     the close expectation
 * @param suppressClose do not close when an outcome is met (cases that close on their own)
 * @param closeAfterObservations when positive, close (1000) as soon as that many observations
 *                  arrived, met or not: the 9.x cases close on the first echo and judge it
 * @param rule      how the verdict is finished, see {@link Rule}
 */
public record Expectation(Map<Behavior, List<Observation>> outcomes, CloseExpectation close,
                          boolean suppressClose, int closeAfterObservations, Rule rule) {

    /** The per-case overrides of {@code onConnectionLost} in the suite's case classes. */
    public enum Rule {
        /** {@code case.py} as is. */
        STANDARD,
        /** A wrong close code fails the case too (the 7.x close cases). */
        WRONG_CODE_FAILS,
        /** Both verdicts become INFORMATIONAL: behaviour the spec leaves open (7.1.6, 7.13.x). */
        INFORMATIONAL,
        /** A permessage-deflate case (12.x, 13.x): UNIMPLEMENTED unless the client offered it. */
        NEEDS_DEFLATE
    }

    public Expectation {
        Map<Behavior, List<Observation>> copy = new LinkedHashMap<>();
        outcomes.forEach((b, list) -> copy.put(b, List.copyOf(list)));
        outcomes = Collections.unmodifiableMap(copy);
    }

    /** OK when exactly {@code observations} arrive; then the peer closes normally. */
    public static Expectation echo(Observation... observations) {
        return echo(Arrays.asList(observations));
    }

    public static Expectation echo(List<Observation> observations) {
        return new Expectation(Map.of(Behavior.OK, observations), CloseExpectation.peerClosesNormally(),
                false, 0, Rule.STANDARD);
    }

    /** OK when nothing arrives and the connection ends by the peer's normal, clean close. */
    public static Expectation nothing() {
        return echo(List.of());
    }

    /** The client must fail the connection at once, with {@code code} if it sends one. */
    public static Expectation clientFails(int code) {
        return new Expectation(Map.of(Behavior.OK, List.of()), CloseExpectation.clientFails(code),
                false, 0, Rule.STANDARD);
    }

    /**
     * The client must fail the connection after {@code before} (OK), or earlier, without them
     * (NON-STRICT): a client may check a whole batch of frames before it echoes any.
     */
    public static Expectation clientFailsAfter(int code, Observation... before) {
        Map<Behavior, List<Observation>> outcomes = new LinkedHashMap<>();
        outcomes.put(Behavior.OK, List.of(before));
        outcomes.put(Behavior.NON_STRICT, List.of());
        return new Expectation(outcomes, CloseExpectation.clientFails(code), false, 0, Rule.STANDARD);
    }

    public Expectation withClose(CloseExpectation c) {
        return new Expectation(outcomes, c, suppressClose, closeAfterObservations, rule);
    }

    public Expectation withOutcomes(Map<Behavior, List<Observation>> o) {
        return new Expectation(o, close, suppressClose, closeAfterObservations, rule);
    }

    public Expectation suppressingClose() {
        return new Expectation(outcomes, close, true, closeAfterObservations, rule);
    }

    public Expectation closingAfter(int observations) {
        return new Expectation(outcomes, close, suppressClose, observations, rule);
    }

    public Expectation withRule(Rule r) {
        return new Expectation(outcomes, close, suppressClose, closeAfterObservations, r);
    }
}
