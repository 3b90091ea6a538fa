package dev.tether.ws.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tether.ws.codec.CloseCodes;
import dev.tether.ws.codec.DecoderLimits;
import dev.tether.ws.codec.FrameDecoder;
import dev.tether.ws.codec.MessageHandler;
import dev.tether.ws.codec.Opcodes;
import dev.tether.ws.codec.ProtocolException;
import dev.tether.ws.codec.Role;
import dev.tether.ws.codec.deflate.MessageInflater;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * {@link FrameDecoder} (with its {@link dev.tether.ws.codec.FrameParser}) over any bytes a peer
 * could send, with and without permessage-deflate installed as ws-api's
 * {@code Compression.Codec} installs it. For every input:
 *
 * <ul>
 *   <li>the only failure is a {@link ProtocolException} whose close code is 1002, 1007 or 1009;</li>
 *   <li>a data message never holds more than {@code maxMessageSize} bytes, not even while it
 *       arrives (the bound a client's memory relies on, RFC 6455 section 10.4), a control frame
 *       at most 125 (section 5.5), and a close carries a code that may be sent (section 7.4);</li>
 *   <li>the outcome does not depend on how TCP cut the stream: the input fed whole and fed in
 *       the fuzzer's pieces gives the same events (messages, pings, pongs, close) and the same
 *       error code.</li>
 * </ul>
 *
 * <p>Input: {@code options}, {@code limit} (2 bytes), the cut list of {@link FuzzInput#cuts()},
 * then the byte stream. Options: bit 0 permessage-deflate negotiated, bit 1 the server's
 * no_context_takeover, bit 2 server role (masked frames expected) instead of client, bits 3-4
 * the buffer shape, bits 5-6 the frame limit as the message limit shifted right by 0-3.
 * {@code maxMessageSize} is {@code limit + 1}, at least 125: up to 64 KiB.
 */
class FrameDecoderFuzzTest {
    private static final Set<Integer> DECODER_CODES = Set.of(
            CloseCodes.PROTOCOL_ERROR, CloseCodes.INVALID_PAYLOAD, CloseCodes.MESSAGE_TOO_BIG);

    @FuzzTest
    void decode(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        int options = in.u8();
        long maxMessage = Math.max(125, in.u16() + 1);
        long maxFrame = Math.max(125, maxMessage >> (options >>> 5 & 3));
        int[] cuts = in.cuts();
        byte[] stream = in.rest();
        Setup setup = new Setup((options & 1) != 0, (options & 2) != 0,
                (options & 4) != 0 ? Role.SERVER : Role.CLIENT, new DecoderLimits(maxFrame, maxMessage));

        List<String> whole = setup.run(List.of(FuzzInput.piece(stream, 0, stream.length, FuzzInput.Shape.HEAP_AT_OFFSET)));
        List<String> pieces = setup.run(FuzzInput.split(stream, cuts, FuzzInput.shape(options >>> 3)));
        if (!whole.equals(pieces)) {
            String detail = "the outcome depends on how the stream was split\n  whole:  "
                    + Events.brief(whole) + "\n  pieces: " + Events.brief(pieces) + "\n  " + setup;
            throw new AssertionError(detail);
        }
    }

    private record Setup(boolean deflate, boolean noContextTakeover, Role role, DecoderLimits limits) {

        /** Feeds the pieces to a fresh decoder; the events, then "end" or the error's close code. */
        List<String> run(List<ByteBuffer> pieces) {
            Events events = new Events(limits.maxMessageSize());
            FrameDecoder decoder = new FrameDecoder(role, limits, events);
            MessageInflater inflater = deflate ? new MessageInflater(noContextTakeover, limits.maxMessageSize()) : null;
            if (inflater != null) {
                decoder.enableDeflate(inflater);
            }
            try {
                for (ByteBuffer piece : pieces) {
                    decoder.decode(piece);
                    if (piece.hasRemaining()) {
                        throw new AssertionError("decode returned with " + piece.remaining() + " bytes unread");
                    }
                }
                events.log.add("end, between messages: " + decoder.betweenMessages());
            } catch (ProtocolException e) {
                if (!DECODER_CODES.contains(e.closeCode())) {
                    throw new AssertionError("close code " + e.closeCode() + " from the decoder: " + e.getMessage(), e);
                }
                events.log.add("error " + e.closeCode());
            } finally {
                if (inflater != null) {
                    inflater.end();
                }
            }
            return events.log;
        }
    }

    /**
     * What the decoder delivered, in order, with each message's chunks joined (chunking is the
     * one thing allowed to differ between splits), checked as it arrives.
     */
    private static final class Events implements MessageHandler {
        final List<String> log = new ArrayList<>();
        private final long maxMessageSize;
        private final ByteArrayOutputStream message = new ByteArrayOutputStream();
        private int opcode = -1;
        private boolean closed;

        Events(long maxMessageSize) {
            this.maxMessageSize = maxMessageSize;
        }

        @Override
        public void onMessageStart(int opcode) {
            notAfterClose();
            if (this.opcode != -1) {
                throw new AssertionError("message started inside another");
            }
            if (opcode != Opcodes.TEXT && opcode != Opcodes.BINARY) {
                throw new AssertionError("message with opcode " + opcode);
            }
            this.opcode = opcode;
            message.reset();
        }

        @Override
        public void onMessageData(ByteBuffer chunk) {
            if (opcode == -1) {
                throw new AssertionError("data outside a message");
            }
            if (message.size() + (long) chunk.remaining() > maxMessageSize) {
                throw new AssertionError("message holds " + (message.size() + (long) chunk.remaining())
                        + " bytes, past the limit of " + maxMessageSize);
            }
            byte[] a = new byte[chunk.remaining()];
            chunk.get(a);
            message.writeBytes(a);
        }

        @Override
        public void onMessageEnd() {
            if (opcode == -1) {
                throw new AssertionError("end outside a message");
            }
            log.add(Opcodes.name(opcode) + " " + HexFormat.of().formatHex(message.toByteArray()));
            opcode = -1;
        }

        @Override
        public void onPing(ByteBuffer payload) {
            log.add("ping " + control(payload));
        }

        @Override
        public void onPong(ByteBuffer payload) {
            log.add("pong " + control(payload));
        }

        @Override
        public void onClose(int code, String reason) {
            notAfterClose();
            closed = true;
            if (code == CloseCodes.NO_STATUS ? !reason.isEmpty() : !CloseCodes.isSendable(code)) {
                throw new AssertionError("close " + code + " with reason \"" + reason + "\" accepted");
            }
            if (reason.getBytes(StandardCharsets.UTF_8).length > CloseCodes.MAX_REASON_BYTES) {
                throw new AssertionError("close reason of more than " + CloseCodes.MAX_REASON_BYTES + " bytes");
            }
            log.add("close " + code + " " + reason);
        }

        private String control(ByteBuffer payload) {
            notAfterClose();
            if (payload.remaining() > 125) {
                throw new AssertionError("control payload of " + payload.remaining() + " bytes");
            }
            byte[] a = new byte[payload.remaining()];
            payload.get(a);
            return HexFormat.of().formatHex(a);
        }

        private void notAfterClose() {
            if (closed) {
                throw new AssertionError("a frame was delivered after the close frame");
            }
        }

        /** The log for a failure message, long messages shortened. */
        static String brief(List<String> log) {
            return log.stream().map(e -> e.length() > 80 ? e.substring(0, 80) + "...(" + e.length() + ")" : e).toList().toString();
        }
    }
}
