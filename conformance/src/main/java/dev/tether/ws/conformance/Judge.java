package dev.tether.ws.conformance;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The verdict on a case run, by the rules of Autobahn's {@code case.py}
 * ({@code onConnectionLost}) and the per-case overrides its case classes make.
 *
 * <ol>
 *   <li>Behaviour: the first outcome whose observation list equals what was received, in
 *       order and content; FAILED when none does.</li>
 *   <li>Close behaviour, first rule that applies: FAILED when the opening handshake never
 *       completed or the wrong endpoint sent the first close frame; UNCLEAN when a clean
 *       close was required and did not happen; WRONG CODE when the client's close code is
 *       not acceptable (no code at all is acceptable); else OK.</li>
 *   <li>Then the case's {@link Expectation.Rule}: wrong-endpoint and wrong-code failures that
 *       fail the case itself, INFORMATIONAL cases, UNIMPLEMENTED extensions.</li>
 * </ol>
 *
 * Pure: no I/O, no clock.
 */
public final class Judge {
    private Judge() {
    }

    public static Verdict judge(Expectation expect, List<Observation> received, CloseFacts facts) {
        Behavior behavior = Behavior.FAILED;
        String result = "Actual events differ from any expected.";
        for (var outcome : expect.outcomes().entrySet()) {
            if (outcome.getValue().equals(received)) {
                behavior = outcome.getKey();
                result = "Actual events match at least one expected.";
                break;
            }
        }

        CloseExpectation c = expect.close();
        CloseBehavior close;
        String resultClose;
        if (!facts.connectionWasOpen()) {
            close = CloseBehavior.FAILED;
            resultClose = "The WebSocket opening handshake was never completed!";
        } else if (c.closedByMe() != facts.closedByMe()) {
            close = CloseBehavior.FAILED;
            resultClose = "The connection was failed by the wrong endpoint";
        } else if (c.requireClean() && !facts.wasClean()) {
            close = CloseBehavior.UNCLEAN;
            resultClose = "The spec requires the connection to be failed cleanly here";
        } else if (facts.remoteCloseCode() != null && !c.codes().contains(facts.remoteCloseCode())) {
            close = CloseBehavior.WRONG_CODE;
            resultClose = "The close code should have been "
                    + c.codes().stream().map(String::valueOf).collect(Collectors.joining(",")) + " or empty";
        } else {
            close = CloseBehavior.OK;
            resultClose = "Connection was properly closed";
        }
        if (facts.connectionWasOpen() && c.wrongEndpointFatal() && c.closedByMe() != facts.closedByMe()) {
            // The UTF-8 cases: had the client detected the bad payload, it would have closed.
            behavior = Behavior.FAILED;
            result = "The connection was closed by the wrong endpoint: the client did not detect the invalid payload";
        }

        switch (expect.rule()) {
            case STANDARD -> {
            }
            case WRONG_CODE_FAILS -> {
                if (close == CloseBehavior.WRONG_CODE) {
                    behavior = Behavior.FAILED;
                    result = resultClose;
                }
            }
            case INFORMATIONAL -> {
                // 7.1.6 keeps two outcomes to say which way the race went; 7.13.x has one.
                boolean race = expect.outcomes().containsKey(Behavior.NON_STRICT);
                result = !race ? "Actual events are undefined by the spec." : switch (behavior) {
                    case OK -> "Text message was processed before close.";
                    case NON_STRICT -> "Close was processed before text message could be returned.";
                    default -> "Neither the message nor the close was processed as expected.";
                };
                behavior = Behavior.INFORMATIONAL;
                close = CloseBehavior.INFORMATIONAL;
            }
            case NEEDS_DEFLATE -> {
                // Negotiated: judged as any echo case, every message back as sent.
                if (!facts.deflateNegotiated()) {
                    // The suite's 12.x/13.x onOpen: no extension, nothing to test; the peer closed.
                    behavior = Behavior.UNIMPLEMENTED;
                    result = "permessage-deflate was not negotiated (the client did not offer it, or no offer "
                            + "allowed what the case asks); the case was not run";
                } else if (behavior == Behavior.FAILED && expect.outcomes().containsKey(Behavior.OK)) {
                    result = firstDifference(expect.outcomes().get(Behavior.OK), received);
                }
            }
        }
        return new Verdict(behavior, close, result, resultClose);
    }

    /** Where {@code received} first departs from {@code expected}, in the suite's words. */
    static String firstDifference(List<Observation> expected, List<Observation> received) {
        for (int i = 0; i < expected.size(); i++) {
            if (i >= received.size()) {
                return "Received " + received.size() + " of " + expected.size()
                        + " echoed messages: the case did not finish (timed out, or the connection ended).";
            }
            Observation want = expected.get(i);
            Observation got = received.get(i);
            if (want.equals(got)) {
                continue;
            }
            String at = "Echoed message " + (i + 1) + " of " + expected.size();
            if (want instanceof Observation.Message w && got instanceof Observation.Message g) {
                if (w.binary() != g.binary()) {
                    return at + ": type differs from what was sent (got binary " + g.binary() + ", expected "
                            + w.binary() + ").";
                }
                if (w.payload().length() != g.payload().length()) {
                    return at + ": length differs from what was sent (got " + g.payload().length() + ", expected "
                            + w.payload().length() + ").";
                }
                int j = 0;
                while (w.payload().get(j) == g.payload().get(j)) {
                    j++;
                }
                return at + ": contents differ from what was sent, first at byte " + j + ".";
            }
            return at + ": expected " + want.describe() + ", got " + got.describe() + ".";
        }
        return "Received " + (received.size() - expected.size()) + " more messages than were sent.";
    }

    /**
     * Whether the observations so far equal every outcome, the condition on which
     * {@code case.py}'s {@code finishWhenDone} starts the closing handshake. (Its comment says
     * "at least one", its loop requires all; no case has two outcomes and a peer-side close, so
     * the difference never shows.)
     */
    public static boolean matchesEvery(Expectation expect, List<Observation> received) {
        for (List<Observation> outcome : expect.outcomes().values()) {
            if (outcome.size() != received.size() || !outcome.equals(received)) {
                return false;
            }
        }
        return true;
    }
}
