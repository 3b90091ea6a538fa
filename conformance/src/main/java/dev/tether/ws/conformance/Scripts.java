package dev.tether.ws.conformance;

import java.time.Duration;

/**
 * The small vocabulary the case files are written in, so that each case reads like the
 * suite's description of it.
 */
final class Scripts {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    static final int PROTOCOL_ERROR = 1002;
    static final int INVALID_PAYLOAD = 1007;

    private Scripts() {
    }

    static Slice text(String s) {
        return Slice.utf8(s);
    }

    /** A final frame, no RSV bits, written together with its neighbours. */
    static Step frame(int opcode, Slice payload) {
        return frame(true, opcode, payload, Delivery.BATCHED);
    }

    static Step frame(boolean fin, int opcode, Slice payload) {
        return frame(fin, opcode, payload, Delivery.BATCHED);
    }

    static Step frame(int opcode, Slice payload, Delivery delivery) {
        return frame(true, opcode, payload, delivery);
    }

    static Step frame(boolean fin, int opcode, Slice payload, Delivery delivery) {
        return new Step.SendFrame(fin, 0, opcode, payload, delivery, null);
    }

    /** A final frame with RSV bits set (4 = RSV1, 2 = RSV2, 1 = RSV3, as in the header). */
    static Step rsvFrame(int rsv, int opcode, Slice payload, Delivery delivery) {
        return new Step.SendFrame(true, rsv, opcode, payload, delivery, null);
    }

    static Step message(boolean binary, Slice payload) {
        return new Step.SendMessage(binary, payload, 0);
    }

    static Step fragmented(boolean binary, Slice payload, int fragmentSize) {
        return new Step.SendMessage(binary, payload, fragmentSize);
    }

    static Step close(Integer code) {
        return new Step.SendClose(code, Slice.EMPTY);
    }

    static Step close(Integer code, Slice reason) {
        return new Step.SendClose(code, reason);
    }

    static Step pause(double seconds) {
        return new Step.Wait(seconds(seconds));
    }

    static Step checkpoint(String tag) {
        return new Step.Checkpoint(tag);
    }

    static Step killAfter(double seconds) {
        return new Step.KillAfter(seconds(seconds));
    }

    static Step closeAfter(double seconds) {
        return new Step.CloseAfter(seconds(seconds));
    }

    static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    static Observation textMessage(String s) {
        return Observation.text(text(s));
    }
}
