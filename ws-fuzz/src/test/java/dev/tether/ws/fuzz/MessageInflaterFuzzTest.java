package dev.tether.ws.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tether.ws.codec.CloseCodes;
import dev.tether.ws.codec.ProtocolException;
import dev.tether.ws.codec.deflate.MessageDeflater;
import dev.tether.ws.codec.deflate.MessageInflater;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * {@link MessageInflater} over any compressed bytes, one or two messages. For every input:
 *
 * <ul>
 *   <li>the inflated bytes handed on never add up to more than {@code maxMessageSize} per message
 *       (a deflate bomb fails with 1009 before the bytes past the limit exist), and come in
 *       chunks of at most 8 KiB;</li>
 *   <li>the only failure is a {@link ProtocolException}, 1007 for corrupt data or 1009;</li>
 *   <li>the outcome does not depend on how the compressed bytes were split into frames and reads:
 *       fed whole and in the fuzzer's pieces, the messages and the error code are the same.</li>
 * </ul>
 *
 * With option bit 7 the payload is plain text instead: it is compressed with
 * {@link MessageDeflater}, and must inflate back to itself (or fail with 1009 when longer than
 * the limit).
 *
 * <p>Input: {@code options}, {@code limit} (2 bytes), {@code break} (the first message's length
 * in payload bytes; 0 for a single message), the cut list of {@link FuzzInput#cuts()}, then the
 * payload. Options: bit 0 no context takeover, bits 1-2 the buffer shape, bit 7 round trip;
 * for a round trip, bits 3-5 the compressor's window bits (8-15) and bit 6 level 1 instead of 6.
 * {@code maxMessageSize} is {@code limit + 1}, at least 125.
 */
class MessageInflaterFuzzTest {
    /** The inflater's largest chunk: it starts at 8 KiB and doubles while messages fill it. */
    private static final int CHUNK = 64 * 1024;

    @FuzzTest
    void inflate(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        int options = in.u8();
        long limit = Math.max(125, in.u16() + 1);
        int messageBreak = in.u8();
        int[] cuts = in.cuts();
        byte[] payload = in.rest();
        boolean noContextTakeover = (options & 1) != 0;
        FuzzInput.Shape shape = FuzzInput.shape(options >>> 1);
        List<byte[]> messages = new ArrayList<>();
        if (messageBreak > 0 && messageBreak < payload.length) {
            messages.add(Arrays.copyOfRange(payload, 0, messageBreak));
            messages.add(Arrays.copyOfRange(payload, messageBreak, payload.length));
        } else {
            messages.add(payload);
        }

        if ((options & 0x80) != 0) {
            roundTrip(messages, 8 + (options >>> 3 & 7), (options & 0x40) != 0 ? 1 : 6, noContextTakeover, limit, shape, cuts);
            return;
        }
        List<String> whole = inflate(messages, new int[0], FuzzInput.Shape.HEAP_AT_OFFSET, noContextTakeover, limit);
        List<String> pieces = inflate(messages, cuts, shape, noContextTakeover, limit);
        if (!whole.equals(pieces)) {
            String detail = "the outcome depends on how the compressed bytes were split\n  whole:  "
                    + brief(whole) + "\n  pieces: " + brief(pieces);
            throw new AssertionError(detail);
        }
    }

    /** Each message inflated from its pieces: the inflated bytes in hex, then "error" and the code. */
    private static List<String> inflate(List<byte[]> messages, int[] cuts, FuzzInput.Shape shape,
                                        boolean noContextTakeover, long limit) {
        List<String> log = new ArrayList<>();
        MessageInflater inflater = new MessageInflater(noContextTakeover, limit);
        try {
            for (byte[] message : messages) {
                Collector out = new Collector(limit);
                for (ByteBuffer piece : FuzzInput.split(message, cuts, shape)) {
                    inflater.inflate(piece, out);
                    if (piece.hasRemaining()) {
                        throw new AssertionError("inflate left " + piece.remaining() + " bytes unread");
                    }
                }
                inflater.finish(out);
                log.add(HexFormat.of().formatHex(out.bytes.toByteArray()));
            }
        } catch (ProtocolException e) {
            if (e.closeCode() != CloseCodes.INVALID_PAYLOAD && e.closeCode() != CloseCodes.MESSAGE_TOO_BIG) {
                throw new AssertionError("close code " + e.closeCode() + " from the inflater: " + e.getMessage(), e);
            }
            log.add("error " + e.closeCode());
        } finally {
            inflater.end();
        }
        return log;
    }

    private static void roundTrip(List<byte[]> messages, int windowBits, int level, boolean noContextTakeover,
                                  long limit, FuzzInput.Shape shape, int[] cuts) {
        MessageDeflater deflater = new MessageDeflater(windowBits, noContextTakeover, level);
        MessageInflater inflater = new MessageInflater(noContextTakeover, limit);
        try {
            for (byte[] message : messages) {
                // The message sent as the fuzzer's fragments, each compressed on its own.
                ByteArrayOutputStream wire = new ByteArrayOutputStream();
                List<ByteBuffer> fragments = FuzzInput.split(message, cuts, shape);
                for (int i = 0; i < fragments.size(); i++) {
                    ByteBuffer compressed = deflater.deflate(fragments.get(i), i == fragments.size() - 1);
                    byte[] a = new byte[compressed.remaining()];
                    compressed.get(a);
                    wire.writeBytes(a);
                }
                Collector out = new Collector(limit);
                try {
                    inflater.inflate(FuzzInput.piece(wire.toByteArray(), 0, wire.size(), shape), out);
                    inflater.finish(out);
                } catch (ProtocolException e) {
                    if (e.closeCode() == CloseCodes.MESSAGE_TOO_BIG && message.length > limit) {
                        return;
                    }
                    throw new AssertionError("our own compressed message fails to inflate: " + e.getMessage()
                            + " (window bits " + windowBits + ", level " + level + ")", e);
                }
                if (!Arrays.equals(out.bytes.toByteArray(), message)) {
                    throw new AssertionError("a message does not inflate to what was compressed (window bits "
                            + windowBits + ", level " + level + ", no context takeover " + noContextTakeover + ")");
                }
            }
        } finally {
            deflater.end();
            inflater.end();
        }
    }

    /** Gathers one message's inflated bytes, refusing to hold more than the limit. */
    private static final class Collector implements MessageInflater.Sink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final long limit;

        Collector(long limit) {
            this.limit = limit;
        }

        @Override
        public void accept(ByteBuffer inflated) {
            int n = inflated.remaining();
            if (n == 0 || n > CHUNK) {
                throw new AssertionError("inflated chunk of " + n + " bytes");
            }
            if (bytes.size() + (long) n > limit) {
                throw new AssertionError("the message grew to " + (bytes.size() + (long) n)
                        + " bytes, past the limit of " + limit);
            }
            byte[] a = new byte[n];
            inflated.get(a);
            bytes.writeBytes(a);
        }
    }

    private static List<String> brief(List<String> log) {
        return log.stream().map(e -> e.length() > 80 ? e.substring(0, 80) + "...(" + e.length() + ")" : e).toList();
    }
}
