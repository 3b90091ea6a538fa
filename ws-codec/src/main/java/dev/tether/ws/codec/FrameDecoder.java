package dev.tether.ws.codec;

import dev.tether.ws.codec.deflate.MessageInflater;
import java.nio.ByteBuffer;

/**
 * Applies the rules of RFC 6455 sections 5 and 7 to the frames {@link FrameParser} finds, and
 * passes on the messages and control frames they carry. Each rule lives here, once:
 *
 * <ul>
 *   <li>masking matches the role (section 5.1);</li>
 *   <li>RSV bits only as a negotiated extension defines them (section 5.2);</li>
 *   <li>no reserved opcodes (section 5.2);</li>
 *   <li>control frames are final and at most 125 bytes (section 5.5);</li>
 *   <li>a continuation continues a started message, and a new message waits for the previous
 *       one to finish (section 5.4);</li>
 *   <li>frame and message sizes within the {@link DecoderLimits} (1009, section 7.4.1);</li>
 *   <li>text is UTF-8, checked as it arrives and failing at the first bad byte (1007, section
 *       8.1);</li>
 *   <li>close payloads per {@link ClosePayload}; nothing may follow a close frame;</li>
 *   <li>with permessage-deflate, RSV1 only on the first frame of a data message (RFC 7692
 *       section 6.1), and the inflated size within the message limit.</li>
 * </ul>
 *
 * A violation is thrown as a {@link ProtocolException} carrying its close code. After one, the
 * decoder must not be used again.
 *
 * <p>Not thread-safe: one reading thread owns it.
 */
public final class FrameDecoder implements FrameSink {
    private static final int NO_MESSAGE = -1;

    private final Role role;
    private final DecoderLimits limits;
    private final MessageHandler handler;
    private final FrameParser parser = new FrameParser();
    private final Utf8Validator utf8 = new Utf8Validator();
    /** A zero-length control frame's payload when nothing was ever gathered. */
    private static final ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0).asReadOnlyBuffer();
    /**
     * A control frame's payload, gathered whole before it is handed on (at most 125 bytes).
     * Made for the first control frame split across reads: one whole in the buffer is handed
     * on as it lies there, so most connections never hold one.
     */
    private ByteBuffer control;

    // Owned by the reading thread.
    private int allowedRsv;
    /** Set once permessage-deflate is negotiated, with the sink that takes what it inflates. */
    private MessageInflater inflater;
    private MessageInflater.Sink inflated;
    private boolean messageCompressed;
    private int frameOpcode;
    private boolean frameFin;
    private int messageOpcode = NO_MESSAGE;
    private long messageLength;
    private boolean closeReceived;

    public FrameDecoder(Role role, DecoderLimits limits, MessageHandler handler) {
        this.role = role;
        this.limits = limits;
        this.handler = handler;
    }

    /** Consumes all of {@code in}'s remaining bytes (unmasking them in place for a server). */
    public void decode(ByteBuffer in) throws ProtocolException {
        parser.parse(in, this);
    }

    /**
     * Lets frames carry the RSV bits a negotiated extension defines (bit 4 = RSV1, 2 = RSV2,
     * 1 = RSV3, as in the header).
     */
    public void allowRsv(int bits) {
        allowedRsv = bits & 0x7;
    }

    /**
     * Negotiated permessage-deflate: a data message whose first frame has RSV1 set is inflated
     * before the UTF-8 check and the handler (RFC 7692 section 6.2).
     */
    public void enableDeflate(MessageInflater inflater) {
        this.inflater = inflater;
        this.inflated = this::deliverText;
    }

    /** True when no message is half received. */
    public boolean betweenMessages() {
        return messageOpcode == NO_MESSAGE && parser.atFrameBoundary();
    }

    @Override
    public void onFrameHeader(boolean fin, int rsv, int opcode, boolean masked, long length)
            throws ProtocolException {
        if (closeReceived) {
            throw ProtocolException.protocol(Opcodes.name(opcode)
                    + " frame received after the close frame (section 5.5.1)");
        }
        if (masked != role.expectsMaskedIncoming()) {
            throw ProtocolException.protocol(masked
                    ? "masked frame from the server: a server must not mask (section 5.1)"
                    : "unmasked frame from the client: a client must mask (section 5.1)");
        }
        int allowed = allowedRsv | (inflater != null && (opcode == Opcodes.TEXT || opcode == Opcodes.BINARY) ? 0x4 : 0);
        if ((rsv & ~allowed) != 0) {
            throw ProtocolException.protocol(rsvNames(rsv & ~allowed) + " set on a " + Opcodes.name(opcode)
                    + " frame, but no negotiated extension defines it there (RFC 6455 section 5.2, RFC 7692 section 6.1)");
        }
        if (Opcodes.isReserved(opcode)) {
            throw ProtocolException.protocol(Opcodes.name(opcode) + " (section 5.2)");
        }
        frameOpcode = opcode;
        frameFin = fin;
        if (Opcodes.isControl(opcode)) {
            if (!fin) {
                throw ProtocolException.protocol("fragmented " + Opcodes.name(opcode)
                        + " frame: control frames must not be fragmented (section 5.5)");
            }
            if (length > FrameParser.PAYLOAD_SHORT_MAX) {
                throw ProtocolException.protocol(Opcodes.name(opcode) + " frame with a " + length
                        + "-byte payload: control frames carry at most 125 (section 5.5)");
            }
            if (control != null) {
                control.clear();
            }
            return;
        }
        if (opcode == Opcodes.CONTINUATION) {
            if (messageOpcode == NO_MESSAGE) {
                throw ProtocolException.protocol(
                        "continuation frame without a message to continue (section 5.4)");
            }
        } else if (messageOpcode != NO_MESSAGE) {
            throw ProtocolException.protocol("new " + Opcodes.name(opcode) + " message started before the "
                    + Opcodes.name(messageOpcode) + " message was finished (section 5.4)");
        }
        if (length > limits.maxFrameSize()) {
            throw ProtocolException.tooBig("frame of " + length + " bytes exceeds the limit of "
                    + limits.maxFrameSize());
        }
        long total = (opcode == Opcodes.CONTINUATION ? messageLength : 0) + length;
        if (total > limits.maxMessageSize()) {
            throw ProtocolException.tooBig("message of at least " + total + " bytes exceeds the limit of "
                    + limits.maxMessageSize());
        }
        messageLength = total;
        if (opcode != Opcodes.CONTINUATION) {
            messageOpcode = opcode;
            messageCompressed = (rsv & 0x4) != 0 && inflater != null;
            utf8.reset();
            handler.onMessageStart(opcode, fin && !messageCompressed ? length : -1);
        }
    }

    @Override
    public void onFramePayload(ByteBuffer chunk) throws ProtocolException {
        if (Opcodes.isControl(frameOpcode)) {
            if (control == null) {
                control = ByteBuffer.allocate(FrameParser.PAYLOAD_SHORT_MAX);
            }
            control.put(chunk);
            return;
        }
        if (messageCompressed) {
            inflater.inflate(chunk, inflated);
        } else {
            deliverText(chunk);
        }
    }

    /**
     * The common case in one step: a whole, final, uncompressed data frame that is a message of
     * its own (RFC 6455 section 5.4), from a peer that masks as its role must, before any close,
     * within the limits. Every other rule holds for it by construction (no RSV, not reserved, not
     * control), so only the UTF-8 check is left; the handler gets it whole
     * ({@link MessageHandler#onWholeMessage}). Anything else takes the slow path.
     */
    @Override
    public void onWholeFrame(boolean fin, int rsv, int opcode, boolean masked, ByteBuffer payload)
            throws ProtocolException {
        int length = payload.remaining();
        if (Opcodes.isControl(opcode)) {
            onFrameHeader(fin, rsv, opcode, masked, length);  // section 5.5's rules, in one place
            controlFrame(payload);
            return;
        }
        boolean single = fin && rsv == 0 && (opcode == Opcodes.BINARY || opcode == Opcodes.TEXT)
                && messageOpcode == NO_MESSAGE && !closeReceived && masked == role.expectsMaskedIncoming()
                && length <= limits.maxFrameSize() && length <= limits.maxMessageSize();
        if (!single) {
            FrameSink.super.onWholeFrame(fin, rsv, opcode, masked, payload);
            return;
        }
        if (opcode == Opcodes.TEXT) {
            utf8.reset();
            if (!utf8.update(payload)) {
                handler.onMessageStart(opcode);  // as on the slow path: the message had started
                throw ProtocolException.badData("text message is not valid UTF-8 (section 8.1)");
            }
            if (!utf8.isComplete()) {
                handler.onMessageStart(opcode);
                throw ProtocolException.badData("text message ends inside a UTF-8 sequence (section 8.1)");
            }
        }
        handler.onWholeMessage(opcode, payload);
    }

    /** Hands on message bytes as sent (inflated, if they were compressed), checking text as UTF-8. */
    private void deliverText(ByteBuffer data) throws ProtocolException {
        if (messageOpcode == Opcodes.TEXT && !utf8.update(data)) {
            throw ProtocolException.badData("text message is not valid UTF-8 (section 8.1)");
        }
        handler.onMessageData(data);
    }

    @Override
    public void onFrameEnd() throws ProtocolException {
        if (Opcodes.isControl(frameOpcode)) {
            controlFrame(control == null ? NO_PAYLOAD : control.flip());
            return;
        }
        if (!frameFin) {
            return;
        }
        if (messageCompressed) {
            inflater.finish(inflated);
        }
        if (messageOpcode == Opcodes.TEXT && !utf8.isComplete()) {
            throw ProtocolException.badData(
                    "text message ends inside a UTF-8 sequence (section 8.1)");
        }
        messageOpcode = NO_MESSAGE;
        messageLength = 0;
        handler.onMessageEnd();
    }

    /** A whole control frame of {@code frameOpcode}, its header checked. */
    private void controlFrame(ByteBuffer payload) throws ProtocolException {
        switch (frameOpcode) {
            case Opcodes.PING -> handler.onPing(payload);
            case Opcodes.PONG -> handler.onPong(payload);
            default -> {
                ClosePayload close = ClosePayload.parse(payload);
                closeReceived = true;
                handler.onClose(close.code(), close.reason());
            }
        }
    }

    private static String rsvNames(int bits) {
        StringBuilder sb = new StringBuilder();
        for (int bit = 4, n = 1; bit > 0; bit >>= 1, n++) {
            if ((bits & bit) != 0) {
                sb.append(sb.isEmpty() ? "" : " and ").append("RSV").append(n);
            }
        }
        return sb.toString();
    }
}
