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

    @Test
    void compressionCasesAreUnimplementedWithoutAnOffer() {
        Expectation e = Expectation.nothing().withRule(Expectation.Rule.NEEDS_DEFLATE);
        Verdict without = Judge.judge(e, List.of(), new CloseFacts(true, true, true, 1000, false));
        assertThat(without.behavior()).isEqualTo(Behavior.UNIMPLEMENTED);
        assertThat(without.closeBehavior()).isEqualTo(CloseBehavior.OK);
        Verdict offered = Judge.judge(e, List.of(), new CloseFacts(true, true, true, 1000, true));
        assertThat(offered.behavior()).isEqualTo(Behavior.FAILED);
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
