package dev.tether.ws.conformance;

import static dev.tether.ws.conformance.Scripts.close;

import dev.tether.ws.conformance.Expectation.Rule;
import java.util.ArrayList;
import java.util.List;

/**
 * Categories 12 and 13, permessage-deflate (RFC 7692): 12.x sends 1000 compressed messages of
 * each size from five data sets, 13.x the same with each combination of context takeover and
 * window bits. None of it applies unless the extension was negotiated; the suite then marks
 * the case UNIMPLEMENTED and closes at once (normal close, which is still judged), and so does
 * this peer, which does not negotiate the extension. A client that offers it is reported as
 * such (see {@link Rule#NEEDS_DEFLATE}) rather than passed.
 */
final class CompressionCases {
    /** Message sizes per data set: 16 B to 128 KiB, some auto-fragmented (18 per subcategory). */
    static final int CASES_PER_SUBCATEGORY = 18;
    /** 12.1 to 12.5: five data sets (text and binary). */
    static final int DATA_SETS = 5;
    /** 13.1 to 13.7: seven offer/accept combinations of the deflate parameters. */
    static final int PARAMETER_SETS = 7;

    private CompressionCases() {
    }

    static List<CaseScript> all() {
        List<CaseScript> cases = new ArrayList<>();
        addSeries(cases, 12, DATA_SETS);
        addSeries(cases, 13, PARAMETER_SETS);
        return cases;
    }

    private static void addSeries(List<CaseScript> cases, int category, int subcategories) {
        Expectation e = Expectation.nothing().suppressingClose().withRule(Rule.NEEDS_DEFLATE);
        for (int j = 1; j <= subcategories; j++) {
            for (int i = 1; i <= CASES_PER_SUBCATEGORY; i++) {
                cases.add(CaseScript.of(category + "." + j + "." + i, e, close(1000)));
            }
        }
    }
}
