package dev.tether.ws.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading a fuzzing server's index.json back, as RealAutobahnTest does with the real suite's. */
class AutobahnIndexTest {
    /** Shaped like the real suite's output, two agents, with every kind of verdict. */
    private static final String INDEX = """
            {
               "tether-blocking": {
                  "1.1.1": {"behavior": "OK", "behaviorClose": "OK", "duration": 2,
                            "remoteCloseCode": 1000, "reportfile": "tether_blocking_case_1_1_1.json"},
                  "5.1": {"behavior": "FAILED", "behaviorClose": "OK", "duration": 1,
                          "remoteCloseCode": 1002, "reportfile": "tether_blocking_case_5_1.json"},
                  "7.1.6": {"behavior": "INFORMATIONAL", "behaviorClose": "INFORMATIONAL", "duration": 4,
                            "remoteCloseCode": null, "reportfile": "tether_blocking_case_7_1_6.json"},
                  "7.3.1": {"behavior": "OK", "behaviorClose": "FAILED", "duration": 1,
                            "remoteCloseCode": null, "reportfile": "tether_blocking_case_7_3_1.json"},
                  "12.1.1": {"behavior": "UNIMPLEMENTED", "behaviorClose": "UNIMPLEMENTED", "duration": 0,
                             "remoteCloseCode": null, "reportfile": "tether_blocking_case_12_1_1.json"}
               },
               "tether-nio": {
                  "1.1.1": {"behavior": "NON-STRICT", "behaviorClose": "WRONG CODE", "duration": 2,
                            "remoteCloseCode": 1000, "reportfile": "tether_nio_case_1_1_1.json"}
               }
            }
            """;

    @Test
    void failuresAreTheCasesFailedInEitherColumnOfThatAgent() {
        AutobahnIndex index = AutobahnIndex.parse(INDEX);
        assertThat(index.agents()).containsExactly("tether-blocking", "tether-nio");
        assertThat(index.failures("tether-blocking")).extracting(AutobahnIndex.Entry::caseId)
                .containsExactly("5.1", "7.3.1");
        assertThat(index.failures("tether-blocking").get(0))
                .hasToString("case 5.1: behavior FAILED, close OK (tether_blocking_case_5_1.json)");
        assertThat(index.failures("tether-nio")).as("NON-STRICT and WRONG CODE are not FAILED").isEmpty();
    }

    @Test
    void anAgentTheServerNeverSawHasNoCases() {
        AutobahnIndex index = AutobahnIndex.parse(INDEX);
        assertThat(index.cases("someone-else")).isEmpty();
        assertThat(index.failures("someone-else")).isEmpty();
    }

    @Test
    void summaryCountsEachVerdictPair() {
        assertThat(AutobahnIndex.parse(INDEX).summary("tether-blocking")).isEqualTo(Map.of(
                "OK/OK", 1, "FAILED/OK", 1, "INFORMATIONAL/INFORMATIONAL", 1, "OK/FAILED", 1,
                "UNIMPLEMENTED/UNIMPLEMENTED", 1));
    }

    @Test
    void somethingElseThanAnIndexIsRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> AutobahnIndex.parse("[]")).hasMessageContaining("the index is not a JSON object");
        assertThatThrownBy(() -> AutobahnIndex.parse("{\"a\": {\"1.1.1\": {\"behavior\": \"OK\"}}}"))
                .hasMessageContaining("no \"behaviorClose\"");
    }
}
