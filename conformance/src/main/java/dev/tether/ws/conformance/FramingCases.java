package dev.tether.ws.conformance;

import static dev.tether.ws.conformance.Scripts.BINARY;
import static dev.tether.ws.conformance.Scripts.TEXT;
import static dev.tether.ws.conformance.Scripts.frame;
import static dev.tether.ws.conformance.Scripts.killAfter;

import java.util.ArrayList;
import java.util.List;

/**
 * Category 1, framing: one text (1.1.x) or binary (1.2.x) message of each length around the
 * boundaries of the 7-bit, 16-bit and 64-bit length forms (RFC 6455 section 5.2: 125/126,
 * 65535/65536), echoed back; the last one also cut into 997-octet writes.
 */
final class FramingCases {
    /** Payload lengths of x.1 to x.7: both sides of each length-form boundary. */
    private static final int[] LENGTHS = {0, 125, 126, 127, 128, 65535, 65536};

    private FramingCases() {
    }

    static List<CaseScript> all() {
        List<CaseScript> cases = new ArrayList<>();
        addSeries(cases, "1.1.", TEXT, Slice.utf8("*"));
        addSeries(cases, "1.2.", BINARY, Slice.bytes(0xFE));
        return cases;
    }

    private static void addSeries(List<CaseScript> cases, String prefix, int opcode, Slice pattern) {
        boolean binary = opcode == BINARY;
        for (int i = 0; i < LENGTHS.length; i++) {
            Slice payload = Payloads.repeat(pattern, LENGTHS[i]);
            cases.add(CaseScript.of(prefix + (i + 1), echoOf(binary, payload),
                    frame(opcode, payload), killAfter(LENGTHS[i] > 128 ? 10 : 1)));
        }
        Slice big = Payloads.repeat(pattern, 65536);
        cases.add(CaseScript.of(prefix + 8, echoOf(binary, big),
                frame(opcode, big, Delivery.chopped(997)), killAfter(10)));
    }

    private static Expectation echoOf(boolean binary, Slice payload) {
        return Expectation.echo(new Observation.Message(binary, payload));
    }
}
