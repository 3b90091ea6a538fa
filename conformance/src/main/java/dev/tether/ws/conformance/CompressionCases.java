package dev.tether.ws.conformance;

import static dev.tether.ws.conformance.Scripts.closeAfter;

import dev.tether.ws.conformance.DeflateAccept.Request;
import dev.tether.ws.conformance.Expectation.Rule;
import java.util.ArrayList;
import java.util.List;

/**
 * Categories 12 and 13, permessage-deflate (RFC 7692), as the suite's {@code case12_x_x.py}
 * defines them: 18 message sizes (16 B to 128 KiB, the larger ones also auto-fragmented to
 * 256 B to 32 KiB of compressed bytes per frame), each played as rounds of one compressed
 * message, its echo, the next message. 12.1 to 12.5 take their messages from five sources (see
 * {@link CompressionData}) and accept the client's offer as it is; 13.1 to 13.7 take the JSON
 * source and answer with each of the suite's seven accept functions, from "as offered" to
 * {@code client_no_context_takeover; client_max_window_bits=9}.
 *
 * <p>The suite sends 1000 messages per case and waits 60 to 480 seconds. Here the count is
 * {@value #DEFAULT_MESSAGES} unless the system property {@value #MESSAGES_PROPERTY} says
 * otherwise (1000 for a run as long as the suite's), and each wait is scaled to the count, at
 * least {@value #MIN_WAIT_SECONDS} s. With the extension not negotiated the peer closes at once
 * and the case is UNIMPLEMENTED, as in the suite.
 */
final class CompressionCases {
    /** Messages per case, for the faithful count: {@code -Dconformance.deflate.messages=1000}. */
    static final String MESSAGES_PROPERTY = "conformance.deflate.messages";
    /** What an in-tree build plays: every size and fragmentation, every accept function, in a
     * fraction of the time (see the README). */
    static final int DEFAULT_MESSAGES = 50;
    /** The suite's count. */
    static final int SUITE_MESSAGES = 1000;
    static final double MIN_WAIT_SECONDS = 10;

    /** The suite's MSG_SIZES: (payload length, wait in seconds for 1000 messages, fragment size). */
    private static final int[][] SIZES = {
        {16, 60, 0}, {64, 60, 0}, {256, 120, 0}, {1024, 240, 0}, {4096, 480, 0}, {8192, 480, 0},
        {16384, 480, 0}, {32768, 480, 0}, {65536, 480, 0}, {131072, 480, 0},
        {8192, 480, 256}, {16384, 480, 256}, {32768, 480, 256}, {65536, 480, 256}, {131072, 480, 256},
        {131072, 480, 1024}, {131072, 480, 4096}, {131072, 480, 32768},
    };
    static final int CASES_PER_SUBCATEGORY = SIZES.length;

    /** 13.1 to 13.7: the suite's accept functions (13.x's client offers are the driver's). */
    static final List<DeflateAccept> ACCEPT_13 = List.of(
            DeflateAccept.of(new Request(false, 0)),
            DeflateAccept.of(new Request(true, 0)),
            DeflateAccept.of(new Request(false, 9)),
            DeflateAccept.of(new Request(false, 15)),
            DeflateAccept.of(new Request(true, 9)),
            DeflateAccept.of(new Request(true, 15)),
            DeflateAccept.of(new Request(true, 9), new Request(true, 0), new Request(false, 0)));

    private CompressionCases() {
    }

    static int messages() {
        int n = Integer.getInteger(MESSAGES_PROPERTY, DEFAULT_MESSAGES);
        if (n < 1) {
            throw new IllegalArgumentException(MESSAGES_PROPERTY + " must be at least 1: " + n);
        }
        return n;
    }

    static List<CaseScript> all() {
        return all(messages());
    }

    static List<CaseScript> all(int messages) {
        List<CaseScript> cases = new ArrayList<>();
        for (int j = 1; j <= 5; j++) {
            addSubcategory(cases, "12." + j, CompressionData.forSubcategory12(j), DeflateAccept.AS_OFFERED, messages);
        }
        for (int j = 1; j <= ACCEPT_13.size(); j++) {
            addSubcategory(cases, "13." + j, CompressionData.JSON, ACCEPT_13.get(j - 1), messages);
        }
        return cases;
    }

    private static void addSubcategory(List<CaseScript> cases, String prefix, CompressionData.Source source,
                                       DeflateAccept accept, int messages) {
        for (int i = 1; i <= SIZES.length; i++) {
            int[] s = SIZES[i - 1];
            cases.add(rounds(prefix + "." + i, source, s[0], messages, waitSeconds(s[1], messages), s[2])
                    .withDeflate(accept));
        }
    }

    /** The suite's wait scaled from 1000 messages to {@code messages}, at least the minimum. */
    static double waitSeconds(int suiteWait, int messages) {
        return Math.max(MIN_WAIT_SECONDS, suiteWait * (double) messages / SUITE_MESSAGES);
    }

    private static CaseScript rounds(String id, CompressionData.Source source, int length, int count,
                                     double wait, int fragmentSize) {
        List<Slice> payloads = new ArrayList<>(count);
        List<Observation> echoes = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            Slice p = source.message(k, length);
            payloads.add(p);
            echoes.add(new Observation.Message(source.binary(), p));
        }
        Expectation e = Expectation.echo(echoes).withRule(Rule.NEEDS_DEFLATE);
        return CaseScript.of(id, e, closeAfter(wait), new Step.CompressedRounds(source.binary(), payloads, fragmentSize));
    }
}
