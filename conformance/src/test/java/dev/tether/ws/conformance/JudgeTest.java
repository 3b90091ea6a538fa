package dev.tether.ws.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The case.py rules on synthetic observations. */
class JudgeTest {
    private static final Observation HELLO = Observation.text(Slice.utf8("Hello, world!"));

    private static CloseFacts closed(boolean byPeer, boolean clean, Integer clientCode) {
        return new CloseFacts(true, byPeer, clean, clientCode, false);
    }

    @Test
    void echoAndCleanNormalCloseIsOk() {
        Verdict v = Judge.judge(Expectation.echo(HELLO), List.of(HELLO), closed(true, true, 1000));
        assertThat(v.behavior()).isEqualTo(Behavior.OK);
        assertThat(v.closeBehavior()).isEqualTo(CloseBehavior.OK);
    }

    @Test
    void missingOrDifferentEchoFails() {
        assertThat(Judge.judge(Expectation.echo(HELLO), List.of(), closed(true, true, 1000)).behavior())
                .isEqualTo(Behavior.FAILED);
        Observation asBinary = Observation.binary(Slice.utf8("Hello, world!"));
        assertThat(Judge.judge(Expectation.echo(HELLO), List.of(asBinary), closed(true, true, 1000)).behavior())
                .isEqualTo(Behavior.FAILED);
    }

    @Test
    void failingBeforeTheEchoIsNonStrict() {
        Expectation e = Expectation.clientFailsAfter(1002, HELLO);
        assertThat(Judge.judge(e, List.of(HELLO), closed(false, true, 1002)).behavior()).isEqualTo(Behavior.OK);
        assertThat(Judge.judge(e, List.of(), closed(false, true, 1002)).behavior()).isEqualTo(Behavior.NON_STRICT);
    }

    @Test
    void closeRulesApplyInCasePyOrder() {
        Expectation fails = Expectation.clientFails(1002);
        // Dropping TCP without a close frame is acceptable when the client must fail.
        assertThat(Judge.judge(fails, List.of(), closed(false, false, null)).closeBehavior()).isEqualTo(CloseBehavior.OK);
        assertThat(Judge.judge(fails, List.of(), closed(false, true, 1000)).closeBehavior())
                .isEqualTo(CloseBehavior.WRONG_CODE);
        // The peer had to close: the client never noticed.
        assertThat(Judge.judge(fails, List.of(), closed(true, true, 1001)).closeBehavior())
                .isEqualTo(CloseBehavior.FAILED);
        // A clean close was required.
        assertThat(Judge.judge(Expectation.echo(HELLO), List.of(HELLO), closed(true, false, null)).closeBehavior())
                .isEqualTo(CloseBehavior.UNCLEAN);
        // Wrong endpoint comes before unclean and wrong code.
        assertThat(Judge.judge(Expectation.echo(HELLO), List.of(HELLO), closed(false, false, 1002)).closeBehavior())
                .isEqualTo(CloseBehavior.FAILED);
    }

    @Test
    void wrongEndpointIsFatalForUtf8Cases() {
        Expectation e = Expectation.clientFails(1007).withClose(new CloseExpectation(false, List.of(1007), false, true));
        Verdict v = Judge.judge(e, List.of(), closed(true, true, 1001));
        assertThat(v.behavior()).isEqualTo(Behavior.FAILED);
        assertThat(v.closeBehavior()).isEqualTo(CloseBehavior.FAILED);
        assertThat(Judge.judge(e, List.of(), closed(false, false, 1007)).behavior()).isEqualTo(Behavior.OK);
    }

    @Test
    void wrongCodeFailsCloseCases() {
        Expectation e = Expectation.nothing().withRule(Expectation.Rule.WRONG_CODE_FAILS)
                .withClose(new CloseExpectation(true, List.of(1000, 3000), true, false));
        assertThat(Judge.judge(e, List.of(), closed(true, true, 3000)).behavior()).isEqualTo(Behavior.OK);
        assertThat(Judge.judge(e, List.of(), closed(true, true, null)).behavior()).isEqualTo(Behavior.OK);
        Verdict wrong = Judge.judge(e, List.of(), closed(true, true, 1002));
        assertThat(wrong.behavior()).isEqualTo(Behavior.FAILED);
        assertThat(wrong.closeBehavior()).isEqualTo(CloseBehavior.WRONG_CODE);
    }

    @Test
    void informationalCasesAreNeverJudged() {
        Expectation e = Expectation.nothing().withRule(Expectation.Rule.INFORMATIONAL);
        Verdict v = Judge.judge(e, List.of(HELLO), closed(false, false, 4000));
        assertThat(v.behavior()).isEqualTo(Behavior.INFORMATIONAL);
        assertThat(v.closeBehavior()).isEqualTo(CloseBehavior.INFORMATIONAL);
    }

    private static final Observation FIRST = Observation.text(Slice.utf8("{\"id\": 1, \"name\": \"Jürgen\"}"));
    private static final Observation SECOND = Observation.text(Slice.utf8("{\"id\": 2, \"name\": \"Zoë\"}"));

    private static CloseFacts deflate(boolean negotiated) {
        return new CloseFacts(true, true, true, 1000, negotiated);
    }

    @Test
    void compressionCasesAreUnimplementedUnlessNegotiated() {
        Expectation e = Expectation.echo(FIRST, SECOND).withRule(Expectation.Rule.NEEDS_DEFLATE);
        Verdict without = Judge.judge(e, List.of(), deflate(false));
        assertThat(without.behavior()).isEqualTo(Behavior.UNIMPLEMENTED);
        assertThat(without.closeBehavior()).isEqualTo(CloseBehavior.OK);
        Verdict echoed = Judge.judge(e, List.of(FIRST, SECOND), deflate(true));
        assertThat(echoed.behavior()).isEqualTo(Behavior.OK);
        assertThat(echoed.closeBehavior()).isEqualTo(CloseBehavior.OK);
    }

    /**
     * The client's second echo inflates to other bytes (one flipped bit in its compressed
     * data): FAILED, saying which message and where; and when the flip made the data
     * undecodable, the peer failed the connection after the first echo: FAILED, one of two.
     */
    @Test
    void aCorruptedCompressedEchoFails() {
        Expectation e = Expectation.echo(FIRST, SECOND).withRule(Expectation.Rule.NEEDS_DEFLATE);
        byte[] flipped = ((Observation.Message) SECOND).payload().toArray();
        flipped[7] ^= 0x01;
        Verdict wrong = Judge.judge(e, List.of(FIRST, Observation.text(Slice.of(flipped))), deflate(true));
        assertThat(wrong.behavior()).isEqualTo(Behavior.FAILED);
        assertThat(wrong.result()).isEqualTo("Echoed message 2 of 2: contents differ from what was sent, first at byte 7.");

        Verdict cut = Judge.judge(e, List.of(FIRST), new CloseFacts(true, true, true, 1007, true));
        assertThat(cut.behavior()).isEqualTo(Behavior.FAILED);
        assertThat(cut.result()).startsWith("Received 1 of 2 echoed messages");
        assertThat(cut.closeBehavior()).isEqualTo(CloseBehavior.WRONG_CODE);

        Verdict asBinary = Judge.judge(e, List.of(FIRST, Observation.binary(((Observation.Message) SECOND).payload())),
                deflate(true));
        assertThat(asBinary.result()).contains("type differs");
    }

    @Test
    void aHandshakeThatNeverCompletedFailsTheClose() {
        Verdict v = Judge.judge(Expectation.nothing(), List.of(), new CloseFacts(false, false, false, null, false));
        assertThat(v.closeBehavior()).isEqualTo(CloseBehavior.FAILED);
    }

    @Test
    void finishWhenDoneNeedsEveryOutcomeMatched() {
        assertThat(Judge.matchesEvery(Expectation.echo(HELLO), List.of(HELLO))).isTrue();
        assertThat(Judge.matchesEvery(Expectation.echo(HELLO), List.of())).isFalse();
        assertThat(Judge.matchesEvery(Expectation.clientFailsAfter(1002, HELLO), List.of(HELLO))).isFalse();
    }
}
