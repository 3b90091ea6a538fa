package dev.tether.ws.conformance;

import static dev.tether.ws.conformance.Scripts.BINARY;
import static dev.tether.ws.conformance.Scripts.CLOSE;
import static dev.tether.ws.conformance.Scripts.PING;
import static dev.tether.ws.conformance.Scripts.PROTOCOL_ERROR;
import static dev.tether.ws.conformance.Scripts.TEXT;
import static dev.tether.ws.conformance.Scripts.frame;
import static dev.tether.ws.conformance.Scripts.killAfter;
import static dev.tether.ws.conformance.Scripts.rsvFrame;
import static dev.tether.ws.conformance.Scripts.text;
import static dev.tether.ws.conformance.Scripts.textMessage;

import java.util.List;

/**
 * Category 3, reserved bits: with no extension negotiated every RSV bit must be 0, and a frame
 * with one set fails the connection with 1002 (RFC 6455 section 5.2). The RSV value is the
 * 3-bit field as a number: 1 = RSV3, 2 = RSV2, 4 = RSV1.
 */
final class ReservedBitsCases {
    private static final Slice HELLO = text("Hello, world!");

    private ReservedBitsCases() {
    }

    static List<CaseScript> all() {
        return List.of(
                CaseScript.of("3.1", Expectation.clientFails(PROTOCOL_ERROR),
                        rsvFrame(1, TEXT, HELLO, Delivery.BATCHED), killAfter(1)),
                echoThenReserved("3.2", 2, Delivery.BATCHED),
                echoThenReserved("3.3", 3, Delivery.SYNC),
                echoThenReserved("3.4", 4, Delivery.OCTETS),
                CaseScript.of("3.5", Expectation.clientFails(PROTOCOL_ERROR),
                        rsvFrame(5, BINARY, Slice.bytes(0x00, 0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0x00, 0xFF),
                                Delivery.BATCHED), killAfter(1)),
                // Described as "Ping with RSV = 6", but the suite's case class sends a binary
                // frame; the wire bytes are what count, so they are reproduced.
                CaseScript.of("3.6", Expectation.clientFails(PROTOCOL_ERROR),
                        rsvFrame(6, BINARY, HELLO, Delivery.BATCHED), killAfter(1)),
                CaseScript.of("3.7", Expectation.clientFails(PROTOCOL_ERROR),
                        rsvFrame(7, CLOSE, Slice.EMPTY, Delivery.BATCHED), killAfter(1)));
    }

    /** A good message, then the same with reserved bits, then a ping that must go unanswered. */
    private static CaseScript echoThenReserved(String id, int rsv, Delivery delivery) {
        return CaseScript.of(id, Expectation.clientFailsAfter(PROTOCOL_ERROR, textMessage("Hello, world!")),
                frame(TEXT, HELLO, delivery), rsvFrame(rsv, TEXT, HELLO, delivery),
                frame(PING, Slice.EMPTY, delivery), killAfter(1));
    }
}
