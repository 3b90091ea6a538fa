package dev.tether.ws.conformance;

import static dev.tether.ws.conformance.Scripts.CLOSE;
import static dev.tether.ws.conformance.Scripts.CONTINUATION;
import static dev.tether.ws.conformance.Scripts.INVALID_PAYLOAD;
import static dev.tether.ws.conformance.Scripts.PING;
import static dev.tether.ws.conformance.Scripts.PROTOCOL_ERROR;
import static dev.tether.ws.conformance.Scripts.TEXT;
import static dev.tether.ws.conformance.Scripts.close;
import static dev.tether.ws.conformance.Scripts.frame;
import static dev.tether.ws.conformance.Scripts.killAfter;
import static dev.tether.ws.conformance.Scripts.text;
import static dev.tether.ws.conformance.Scripts.textMessage;

import dev.tether.ws.conformance.Expectation.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Category 7, the closing handshake (RFC 6455 sections 5.5.1, 7): what follows a close frame
 * is ignored (7.1.x), close payloads of each length (7.3.x: none, a lone byte, a code, a
 * reason up to the 123-byte limit and one past it), a reason that is not UTF-8 (7.5.1), close
 * codes a client must accept (7.7.x) or refuse with 1002 (7.9.x, section 7.4), and codes
 * outside 16 bits' defined range, where anything goes (7.13.x). Here the peer closes first.
 */
final class CloseCases {
    private static final int NORMAL = 1000;
    /** Codes a peer may send (section 7.4.1 and the IANA registry, 3000-4999 for applications). */
    private static final int[] VALID_CODES = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
    /** Codes that may not appear in a close frame: below 1000, reserved 1004-1006, unassigned. */
    private static final int[] INVALID_CODES = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};

    private CloseCases() {
    }

    static List<CaseScript> all() {
        List<CaseScript> cases = new ArrayList<>();
        Slice hello = text("Hello World!");
        cases.add(CaseScript.of("7.1.1", Expectation.echo(textMessage("Hello World!")).withRule(Rule.WRONG_CODE_FAILS),
                frame(TEXT, hello), killAfter(1)));
        cases.add(afterClose("7.1.2", close(NORMAL), frame(CLOSE, Slice.EMPTY)));
        cases.add(afterClose("7.1.3", close(NORMAL), frame(PING, Slice.EMPTY)));
        cases.add(afterClose("7.1.4", close(NORMAL), frame(TEXT, hello)));
        cases.add(afterClose("7.1.5", frame(false, TEXT, text("fragment1")), close(NORMAL),
                frame(true, CONTINUATION, text("fragment2"))));
        cases.add(bigMessageThenClose());

        cases.add(closes("7.3.1", null, Slice.EMPTY, List.of(NORMAL), true));
        cases.add(closes("7.3.2", null, text("a"), List.of(PROTOCOL_ERROR), false));
        cases.add(closes("7.3.3", NORMAL, Slice.EMPTY, List.of(NORMAL), true));
        cases.add(closes("7.3.4", NORMAL, hello, List.of(NORMAL), true));
        cases.add(closes("7.3.5", NORMAL, Payloads.repeat("*", 123), List.of(NORMAL), true));
        cases.add(closes("7.3.6", NORMAL, Payloads.repeat("*", 124), List.of(PROTOCOL_ERROR), false));
        // κόσμε, a lone surrogate half (invalid UTF-8), "edited"
        cases.add(closes("7.5.1", NORMAL, Slice.hex("cebae1bdb9cf83cebcceb5eda080656469746564"),
                List.of(PROTOCOL_ERROR, INVALID_PAYLOAD), false));
        for (int i = 0; i < VALID_CODES.length; i++) {
            cases.add(closes("7.7." + (i + 1), VALID_CODES[i], Slice.EMPTY, List.of(NORMAL, VALID_CODES[i]), true));
        }
        for (int i = 0; i < INVALID_CODES.length; i++) {
            cases.add(closes("7.9." + (i + 1), INVALID_CODES[i], Slice.EMPTY, List.of(PROTOCOL_ERROR), false));
        }
        cases.add(undefinedCode("7.13.1", 5000));
        cases.add(undefinedCode("7.13.2", 65535));
        return cases;
    }

    /** The peer closes normally around other frames, which the client must ignore. */
    private static CaseScript afterClose(String id, Step... steps) {
        List<Step> all = new ArrayList<>(List.of(steps));
        all.add(killAfter(1));
        return CaseScript.of(id, Expectation.nothing().suppressingClose().withRule(Rule.WRONG_CODE_FAILS),
                all.toArray(Step[]::new));
    }

    /** A close frame with this body; the client's answering code must be one of {@code accepted}. */
    private static CaseScript closes(String id, Integer code, Slice reason, List<Integer> accepted, boolean clean) {
        Expectation e = Expectation.nothing().suppressingClose().withRule(Rule.WRONG_CODE_FAILS)
                .withClose(new CloseExpectation(true, accepted, clean, false));
        return CaseScript.of(id, e, close(code, reason), killAfter(1));
    }

    /** 7.1.6: a 256 KiB message, a small one, a close and a ping back to back. Whether the small
     * message is echoed before the close depends on how the client schedules its writes. */
    private static CaseScript bigMessageThenClose() {
        Map<Behavior, List<Observation>> outcomes = new LinkedHashMap<>();
        outcomes.put(Behavior.OK, List.of(textMessage("Hello World!")));
        outcomes.put(Behavior.NON_STRICT, List.of());
        Expectation e = Expectation.nothing().withOutcomes(outcomes).suppressingClose().withRule(Rule.INFORMATIONAL);
        return CaseScript.of("7.1.6", e,
                frame(TEXT, Payloads.repeat("BAsd7&jh23", 256 * 1024)), frame(TEXT, text("Hello World!")),
                close(NORMAL), frame(PING, Slice.EMPTY), killAfter(1));
    }

    private static CaseScript undefinedCode(String id, int code) {
        Expectation e = Expectation.nothing().suppressingClose().withRule(Rule.INFORMATIONAL)
                .withClose(new CloseExpectation(true, List.of(NORMAL, code, PROTOCOL_ERROR), false, false));
        return CaseScript.of(id, e, close(code), killAfter(1));
    }
}
