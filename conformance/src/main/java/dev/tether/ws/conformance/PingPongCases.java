package dev.tether.ws.conformance;

import static dev.tether.ws.conformance.Scripts.PING;
import static dev.tether.ws.conformance.Scripts.PONG;
import static dev.tether.ws.conformance.Scripts.PROTOCOL_ERROR;
import static dev.tether.ws.conformance.Scripts.close;
import static dev.tether.ws.conformance.Scripts.closeAfter;
import static dev.tether.ws.conformance.Scripts.frame;
import static dev.tether.ws.conformance.Scripts.killAfter;
import static dev.tether.ws.conformance.Scripts.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Category 2, pings and pongs (RFC 6455 sections 5.5.2, 5.5.3): a ping is answered with a pong
 * carrying the same payload, a ping over 125 bytes fails the connection, an unsolicited pong is
 * ignored, and several pings get a pong each (not required by the RFC, which lets a client
 * answer only the latest, but checked by the suite).
 */
final class PingPongCases {
    private PingPongCases() {
    }

    static List<CaseScript> all() {
        List<CaseScript> cases = new ArrayList<>();
        cases.add(pongFor("2.1", Slice.EMPTY, Delivery.BATCHED, 1));
        cases.add(pongFor("2.2", text("Hello, world!"), Delivery.BATCHED, 1));
        cases.add(pongFor("2.3", Slice.bytes(0x00, 0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0x00, 0xFF), Delivery.BATCHED, 1));
        Slice fe125 = Payloads.repeat(Slice.bytes(0xFE), 125);
        cases.add(pongFor("2.4", fe125, Delivery.BATCHED, 1));
        cases.add(CaseScript.of("2.5", Expectation.clientFails(PROTOCOL_ERROR),
                frame(PING, Payloads.repeat(Slice.bytes(0xFE), 126)), killAfter(1)));
        cases.add(pongFor("2.6", fe125, Delivery.OCTETS, 2));
        cases.add(CaseScript.of("2.7", Expectation.nothing(),
                frame(PONG, Slice.EMPTY), close(1000), closeAfter(1)));
        cases.add(CaseScript.of("2.8", Expectation.nothing(),
                frame(PONG, text("unsolicited pong payload")), close(1000), closeAfter(1)));
        cases.add(CaseScript.of("2.9", Expectation.echo(Observation.pong(text("ping payload"))),
                frame(PONG, text("unsolicited pong payload")), frame(PING, text("ping payload")), closeAfter(1)));
        cases.add(tenPings("2.10", Delivery.BATCHED));
        cases.add(tenPings("2.11", Delivery.OCTETS));
        return cases;
    }

    private static CaseScript pongFor(String id, Slice payload, Delivery delivery, double closeAfterSeconds) {
        return CaseScript.of(id, Expectation.echo(Observation.pong(payload)),
                frame(PING, payload, delivery), closeAfter(closeAfterSeconds));
    }

    private static CaseScript tenPings(String id, Delivery delivery) {
        List<Observation> pongs = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Slice payload = text("payload-" + i);
            pongs.add(Observation.pong(payload));
            steps.add(frame(PING, payload, delivery));
        }
        steps.add(closeAfter(3));
        return CaseScript.of(id, Expectation.echo(pongs), steps.toArray(Step[]::new));
    }
}
