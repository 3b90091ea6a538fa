package dev.tether.ws.conformance;

import static dev.tether.ws.conformance.Scripts.BINARY;
import static dev.tether.ws.conformance.Scripts.TEXT;
import static dev.tether.ws.conformance.Scripts.closeAfter;
import static dev.tether.ws.conformance.Scripts.fragmented;
import static dev.tether.ws.conformance.Scripts.frame;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Category 9, limits and performance, with the suite's sizes: single messages of 64 KiB to
 * 16 MiB (9.1 text, 9.2 binary), 4 MiB messages in fragments of 64 B to 4 MiB (9.3, 9.4), 1 MiB
 * messages written in pieces of 64 to 2048 bytes (9.5, 9.6), and 1000 round trips of small
 * messages (9.7, 9.8). Each echo is compared byte for byte.
 *
 * <p>Autobahn waits 10 to 1000 seconds for these; here the wait is 10 s up to 256 KiB and
 * {@link #CAP} above, so that a client that hangs costs a bounded time. A working client needs
 * a small fraction of that.
 */
final class LimitsCases {
    static final double CAP = 20;
    private static final int KIB = 1024;
    private static final int MIB = 1024 * 1024;
    private static final Slice TEXT_PATTERN = Slice.utf8("BAsd7&jh23");
    private static final Slice BINARY_PATTERN = Slice.bytes(0x00, 0xFE, 0x23, 0xFA, 0xF0);
    private static final int[] MESSAGE_SIZES = {64 * KIB, 256 * KIB, MIB, 4 * MIB, 8 * MIB, 16 * MIB};
    private static final int[] FRAGMENT_SIZES = {64, 256, KIB, 4 * KIB, 16 * KIB, 64 * KIB, 256 * KIB, MIB, 4 * MIB};
    private static final int[] CHOP_SIZES = {64, 128, 256, 512, 1024, 2048};
    private static final int[] ROUND_TRIP_SIZES = {0, 16, 64, 256, 1024, 4096};
    private static final int ROUND_TRIPS = 1000;

    private LimitsCases() {
    }

    static List<CaseScript> all() {
        List<CaseScript> cases = new ArrayList<>();
        for (int i = 0; i < MESSAGE_SIZES.length; i++) {
            cases.add(oneMessage("9.1." + (i + 1), false, Payloads.repeat(TEXT_PATTERN, MESSAGE_SIZES[i]), Delivery.BATCHED));
        }
        for (int i = 0; i < MESSAGE_SIZES.length; i++) {
            cases.add(oneMessage("9.2." + (i + 1), true, Payloads.repeat(BINARY_PATTERN, MESSAGE_SIZES[i]), Delivery.BATCHED));
        }
        for (int i = 0; i < FRAGMENT_SIZES.length; i++) {
            cases.add(inFragments("9.3." + (i + 1), false, Payloads.repeat("*", 4 * MIB), FRAGMENT_SIZES[i]));
        }
        for (int i = 0; i < FRAGMENT_SIZES.length; i++) {
            cases.add(inFragments("9.4." + (i + 1), true, Payloads.repeat(Slice.bytes(0xFE), 4 * MIB), FRAGMENT_SIZES[i]));
        }
        for (int i = 0; i < CHOP_SIZES.length; i++) {
            cases.add(oneMessage("9.5." + (i + 1), false, Payloads.repeat(TEXT_PATTERN, MIB), Delivery.chopped(CHOP_SIZES[i])));
        }
        for (int i = 0; i < CHOP_SIZES.length; i++) {
            cases.add(oneMessage("9.6." + (i + 1), true, Payloads.repeat(BINARY_PATTERN, MIB), Delivery.chopped(CHOP_SIZES[i])));
        }
        for (int i = 0; i < ROUND_TRIP_SIZES.length; i++) {
            cases.add(roundTrips("9.7." + (i + 1), false, Payloads.repeat("*", ROUND_TRIP_SIZES[i])));
        }
        for (int i = 0; i < ROUND_TRIP_SIZES.length; i++) {
            cases.add(roundTrips("9.8." + (i + 1), true, Payloads.repeat(Slice.bytes(0xFE), ROUND_TRIP_SIZES[i])));
        }
        return cases;
    }

    private static double waitFor(int bytes) {
        return bytes <= 256 * KIB ? 10 : CAP;
    }

    /** The echo of one message, closed as soon as anything comes back (Autobahn judges the
     * first message and closes). */
    private static Expectation oneEcho(boolean binary, Slice payload) {
        return Expectation.echo(new Observation.Message(binary, payload)).closingAfter(1);
    }

    private static CaseScript oneMessage(String id, boolean binary, Slice payload, Delivery delivery) {
        return CaseScript.of(id, oneEcho(binary, payload),
                frame(binary ? BINARY : TEXT, payload, delivery), closeAfter(waitFor(payload.length())));
    }

    private static CaseScript inFragments(String id, boolean binary, Slice payload, int fragmentSize) {
        return CaseScript.of(id, oneEcho(binary, payload),
                fragmented(binary, payload, fragmentSize), closeAfter(CAP));
    }

    private static CaseScript roundTrips(String id, boolean binary, Slice payload) {
        Observation echo = new Observation.Message(binary, payload);
        return CaseScript.of(id, Expectation.echo(Collections.nCopies(ROUND_TRIPS, echo)),
                closeAfter(CAP), new Step.EchoRounds(binary, payload, ROUND_TRIPS));
    }
}
