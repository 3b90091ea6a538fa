package dev.tether.ws.conformance;

import static dev.tether.ws.conformance.Scripts.fragmented;
import static dev.tether.ws.conformance.Scripts.killAfter;

import java.util.List;

/**
 * Category 10, automatic fragmentation: a 64 KiB text message sent in 1300-byte frames
 * (Autobahn's {@code autoFragmentSize = 1300}: 50 full frames and one of 536 bytes) must come
 * back whole. The suite also counts the frames it sent itself; this peer writes exactly those
 * frames by construction.
 */
final class AutoFragmentationCases {
    private AutoFragmentationCases() {
    }

    static List<CaseScript> all() {
        Slice payload = Payloads.repeat("*", 65536);
        return List.of(CaseScript.of("10.1.1", Expectation.echo(Observation.text(payload)),
                fragmented(false, payload, 1300), killAfter(10)));
    }
}
