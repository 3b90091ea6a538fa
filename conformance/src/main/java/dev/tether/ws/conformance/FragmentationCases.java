package dev.tether.ws.conformance;

import static dev.tether.ws.conformance.Scripts.CONTINUATION;
import static dev.tether.ws.conformance.Scripts.PING;
import static dev.tether.ws.conformance.Scripts.PONG;
import static dev.tether.ws.conformance.Scripts.PROTOCOL_ERROR;
import static dev.tether.ws.conformance.Scripts.TEXT;
import static dev.tether.ws.conformance.Scripts.closeAfter;
import static dev.tether.ws.conformance.Scripts.frame;
import static dev.tether.ws.conformance.Scripts.killAfter;
import static dev.tether.ws.conformance.Scripts.pause;
import static dev.tether.ws.conformance.Scripts.text;
import static dev.tether.ws.conformance.Scripts.textMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * Category 5, fragmentation (RFC 6455 section 5.4): control frames are never fragmented, a
 * fragmented message is reassembled even with a ping between its fragments, and a
 * continuation frame with no message to continue, or a new message inside an unfinished one,
 * fails the connection with 1002. Most cases come in three cuts of the same bytes: one write,
 * a write per frame, a write per octet.
 */
final class FragmentationCases {
    private static final Delivery[] CUTS = {Delivery.BATCHED, Delivery.SYNC, Delivery.OCTETS};

    private FragmentationCases() {
    }

    static List<CaseScript> all() {
        List<CaseScript> cases = new ArrayList<>();
        cases.add(fragmentedControl("5.1", PING));
        cases.add(fragmentedControl("5.2", PONG));
        for (int i = 0; i < 3; i++) {
            cases.add(twoFragments("5." + (3 + i), CUTS[i]));
        }
        for (int i = 0; i < 3; i++) {
            cases.add(pingBetweenFragments("5." + (6 + i), CUTS[i]));
        }
        for (int i = 0; i < 3; i++) {
            cases.add(continuationFirst("5." + (9 + i), true, CUTS[i]));
        }
        for (int i = 0; i < 3; i++) {
            cases.add(continuationFirst("5." + (12 + i), false, CUTS[i]));
        }
        cases.add(CaseScript.of("5.15", Expectation.clientFailsAfter(PROTOCOL_ERROR, textMessage("fragment1fragment2")),
                frame(false, TEXT, text("fragment1")), frame(true, CONTINUATION, text("fragment2")),
                frame(false, CONTINUATION, text("fragment3")), frame(true, TEXT, text("fragment4")),
                killAfter(1)));
        cases.add(strayContinuationTwice("5.16", false));
        cases.add(strayContinuationTwice("5.17", true));
        cases.add(CaseScript.of("5.18", Expectation.clientFails(PROTOCOL_ERROR),
                frame(false, TEXT, text("fragment1")), frame(true, TEXT, text("fragment2")), killAfter(1)));
        cases.add(pingsWhileFragmented("5.19", Delivery.BATCHED));
        cases.add(pingsWhileFragmented("5.20", Delivery.SYNC));
        return cases;
    }

    private static CaseScript fragmentedControl(String id, int opcode) {
        return CaseScript.of(id, Expectation.clientFails(PROTOCOL_ERROR),
                frame(false, opcode, text("fragment1")), frame(true, CONTINUATION, text("fragment2")), killAfter(1));
    }

    private static CaseScript twoFragments(String id, Delivery cut) {
        return CaseScript.of(id, Expectation.echo(textMessage("fragment1fragment2")),
                frame(false, TEXT, text("fragment1"), cut), frame(true, CONTINUATION, text("fragment2"), cut),
                closeAfter(1));
    }

    private static CaseScript pingBetweenFragments(String id, Delivery cut) {
        return CaseScript.of(id,
                Expectation.echo(Observation.pong(text("ping payload")), textMessage("fragment1fragment2")),
                frame(false, TEXT, text("fragment1"), cut), frame(true, PING, text("ping payload"), cut),
                frame(true, CONTINUATION, text("fragment2"), cut), closeAfter(1));
    }

    /** A continuation frame (final or not) with nothing to continue, then a good message. */
    private static CaseScript continuationFirst(String id, boolean fin, Delivery cut) {
        return CaseScript.of(id, Expectation.clientFails(PROTOCOL_ERROR),
                frame(fin, CONTINUATION, text("non-continuation payload"), cut),
                frame(true, TEXT, text("Hello, world!"), cut), killAfter(1));
    }

    private static CaseScript strayContinuationTwice(String id, boolean strayFin) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            steps.add(frame(strayFin, CONTINUATION, text("fragment1")));
            steps.add(frame(false, TEXT, text("fragment2")));
            steps.add(frame(true, CONTINUATION, text("fragment3")));
        }
        steps.add(killAfter(1));
        return CaseScript.of(id, Expectation.clientFails(PROTOCOL_ERROR), steps.toArray(Step[]::new));
    }

    /** Two fragments and a ping, a one-second pause, two more fragments, a ping, the last one. */
    private static CaseScript pingsWhileFragmented(String id, Delivery cut) {
        return CaseScript.of(id,
                Expectation.echo(Observation.pong(text("pongme 1!")), Observation.pong(text("pongme 2!")),
                        textMessage("fragment1fragment2fragment3fragment4fragment5")),
                frame(false, TEXT, text("fragment1"), cut),
                frame(false, CONTINUATION, text("fragment2"), cut),
                frame(true, PING, text("pongme 1!"), cut),
                pause(1),
                frame(false, CONTINUATION, text("fragment3"), cut),
                frame(false, CONTINUATION, text("fragment4"), cut),
                frame(true, PING, text("pongme 2!"), cut),
                frame(true, CONTINUATION, text("fragment5"), cut),
                closeAfter(1));
    }
}
