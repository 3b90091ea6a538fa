package dev.tether.ws.conformance;

import static dev.tether.ws.conformance.Scripts.CONTINUATION;
import static dev.tether.ws.conformance.Scripts.INVALID_PAYLOAD;
import static dev.tether.ws.conformance.Scripts.TEXT;
import static dev.tether.ws.conformance.Scripts.checkpoint;
import static dev.tether.ws.conformance.Scripts.closeAfter;
import static dev.tether.ws.conformance.Scripts.fragmented;
import static dev.tether.ws.conformance.Scripts.frame;
import static dev.tether.ws.conformance.Scripts.killAfter;
import static dev.tether.ws.conformance.Scripts.message;
import static dev.tether.ws.conformance.Scripts.pause;
import static dev.tether.ws.conformance.Scripts.text;
import static dev.tether.ws.conformance.Scripts.textMessage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Category 6, UTF-8 handling: text messages must be valid UTF-8 (RFC 6455 sections 5.6, 8.1),
 * checked across fragment boundaries that split a character, and a client should fail with
 * 1007 as soon as a byte makes the text invalid, not only at the end of the message (6.4.x,
 * "fail fast"). 6.5 onwards is one message per sample of {@link Utf8Samples}.
 */
final class Utf8Cases {
    /** "Hello-µ@ßöäüàá-UTF-8!!", split in 6.2.2 on a code point boundary. */
    private static final String HELLO_FIRST = "Hello-µ@ßöä";
    private static final String HELLO_SECOND = "üàá-UTF-8!!";
    /** κόσμε, then U+D800 as UTF-8 (a surrogate: invalid at its second byte), then "edited". */
    private static final Slice KOSME_SURROGATE_EDITED = Slice.hex("cebae1bdb9cf83cebcceb5eda080656469746564");
    /** 6.4.x: κόσμε, then F4 90 80 80 (0x110000, invalid at its second byte, 0x90), then "edited". */
    private static final Slice FAST_PART1 = Utf8Samples.KOSME;
    private static final Slice FAST_PART2 = Slice.hex("f4908080");
    private static final Slice FAST_PART3 = text("edited");

    private Utf8Cases() {
    }

    static List<CaseScript> all() {
        List<CaseScript> cases = new ArrayList<>();
        cases.add(CaseScript.of("6.1.1", Expectation.echo(textMessage("")),
                frame(TEXT, Slice.EMPTY), closeAfter(1)));
        cases.add(CaseScript.of("6.1.2", Expectation.echo(textMessage("")),
                frame(false, TEXT, Slice.EMPTY), frame(false, CONTINUATION, Slice.EMPTY),
                frame(true, CONTINUATION, Slice.EMPTY), closeAfter(1)));
        cases.add(CaseScript.of("6.1.3", Expectation.echo(textMessage("middle frame payload")),
                frame(false, TEXT, Slice.EMPTY), frame(false, CONTINUATION, text("middle frame payload")),
                frame(true, CONTINUATION, Slice.EMPTY), closeAfter(1)));

        String hello = HELLO_FIRST + HELLO_SECOND;
        cases.add(CaseScript.of("6.2.1", Expectation.echo(textMessage(hello)),
                message(false, text(hello)), closeAfter(1)));
        cases.add(CaseScript.of("6.2.2", Expectation.echo(textMessage(hello)),
                frame(false, TEXT, text(HELLO_FIRST)), frame(true, CONTINUATION, text(HELLO_SECOND)), closeAfter(1)));
        cases.add(CaseScript.of("6.2.3", Expectation.echo(textMessage(hello)),
                fragmented(false, text(hello), 1), closeAfter(1)));
        cases.add(CaseScript.of("6.2.4", Expectation.echo(Observation.text(Utf8Samples.KOSME)),
                fragmented(false, Utf8Samples.KOSME, 1), closeAfter(1)));

        cases.add(CaseScript.of("6.3.1", invalidText(),
                message(false, KOSME_SURROGATE_EDITED), killAfter(1)));
        cases.add(CaseScript.of("6.3.2", invalidText(),
                fragmented(false, KOSME_SURROGATE_EDITED, 1), killAfter(1)));

        Slice whole = FAST_PART1.concat(FAST_PART2).concat(FAST_PART3);
        cases.add(failFastInFrames("6.4.1", FAST_PART1, FAST_PART2, FAST_PART3));
        cases.add(failFastInFrames("6.4.2", whole.sub(0, 12), whole.sub(12, 1), whole.sub(13, whole.length() - 13)));
        cases.add(failFastInChops("6.4.3", FAST_PART1, FAST_PART2, FAST_PART3));
        cases.add(failFastInChops("6.4.4", whole.sub(0, 12), whole.sub(12, 1), whole.sub(13, whole.length() - 13)));

        int subcategory = 5;
        for (Utf8Samples.Family family : Utf8Samples.families()) {
            int n = 1;
            for (Utf8Samples.Sample sample : family.samples()) {
                String id = "6." + subcategory + "." + n++;
                cases.add(CaseScript.of(id,
                        sample.valid() ? Expectation.echo(Observation.text(sample.bytes())) : invalidText(),
                        message(false, sample.bytes()), killAfter(0.5)));
            }
            subcategory++;
        }
        return cases;
    }

    /**
     * The client must fail with 1007; if the peer has to close instead, the client never
     * noticed, and the case fails outright.
     */
    private static Expectation invalidText() {
        return Expectation.clientFails(INVALID_PAYLOAD)
                .withClose(new CloseExpectation(false, List.of(INVALID_PAYLOAD), false, true));
    }

    /** OK: failed right after the part with the bad byte; NON-STRICT: only at the end. */
    private static Expectation failFast() {
        Map<Behavior, List<Observation>> outcomes = new LinkedHashMap<>();
        outcomes.put(Behavior.OK, List.of(Observation.timeout("A")));
        outcomes.put(Behavior.NON_STRICT, List.of(Observation.timeout("A"), Observation.timeout("B")));
        return invalidText().withOutcomes(outcomes);
    }

    /** Three frames of one message, a second apart; the second makes the text invalid. */
    private static CaseScript failFastInFrames(String id, Slice part1, Slice part2, Slice part3) {
        return CaseScript.of(id, failFast(),
                frame(false, TEXT, part1), pause(1), checkpoint("A"),
                frame(false, CONTINUATION, part2), pause(1), checkpoint("B"),
                frame(true, CONTINUATION, part3), killAfter(1));
    }

    /** The same in one frame whose payload is written in three pieces, a second apart. */
    private static CaseScript failFastInChops(String id, Slice part1, Slice part2, Slice part3) {
        int total = part1.length() + part2.length() + part3.length();
        return CaseScript.of(id, failFast(),
                new Step.SendHeader(true, 0, TEXT, total), new Step.SendRaw(part1), pause(1), checkpoint("A"),
                new Step.SendRaw(part2), pause(1), checkpoint("B"),
                new Step.SendRaw(part3), killAfter(1));
    }
}
