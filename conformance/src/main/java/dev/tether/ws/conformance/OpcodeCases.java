package dev.tether.ws.conformance;

import static dev.tether.ws.conformance.Scripts.PING;
import static dev.tether.ws.conformance.Scripts.PROTOCOL_ERROR;
import static dev.tether.ws.conformance.Scripts.TEXT;
import static dev.tether.ws.conformance.Scripts.frame;
import static dev.tether.ws.conformance.Scripts.killAfter;
import static dev.tether.ws.conformance.Scripts.text;
import static dev.tether.ws.conformance.Scripts.textMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * Category 4, opcodes: the reserved non-control opcodes 3-7 (4.1.x) and control opcodes
 * 0xB-0xF (4.2.x) fail the connection with 1002 (RFC 6455 section 5.2), alone or after a good
 * message that must still be echoed.
 */
final class OpcodeCases {
    private static final Slice HELLO = text("Hello, world!");
    private static final Slice RESERVED_PAYLOAD = text("reserved opcode payload");

    private OpcodeCases() {
    }

    static List<CaseScript> all() {
        List<CaseScript> cases = new ArrayList<>();
        addSeries(cases, "4.1.", 3);
        addSeries(cases, "4.2.", 11);
        return cases;
    }

    /** x.1 empty, x.2 with a payload, x.3 after an echo, x.4 and x.5 after an echo with a payload. */
    private static void addSeries(List<CaseScript> cases, String prefix, int firstOpcode) {
        cases.add(alone(prefix + 1, firstOpcode, Slice.EMPTY));
        cases.add(alone(prefix + 2, firstOpcode + 1, RESERVED_PAYLOAD));
        cases.add(afterEcho(prefix + 3, firstOpcode + 2, Slice.EMPTY));
        cases.add(afterEcho(prefix + 4, firstOpcode + 3, HELLO));
        cases.add(afterEcho(prefix + 5, firstOpcode + 4, HELLO));
    }

    private static CaseScript alone(String id, int opcode, Slice payload) {
        return CaseScript.of(id, Expectation.clientFails(PROTOCOL_ERROR), frame(opcode, payload), killAfter(1));
    }

    private static CaseScript afterEcho(String id, int opcode, Slice payload) {
        return CaseScript.of(id, Expectation.clientFailsAfter(PROTOCOL_ERROR, textMessage("Hello, world!")),
                frame(TEXT, HELLO), frame(opcode, payload), frame(PING, Slice.EMPTY), killAfter(1));
    }
}
