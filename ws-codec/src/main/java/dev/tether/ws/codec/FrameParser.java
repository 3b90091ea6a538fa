package dev.tether.ws.codec;

import java.nio.ByteBuffer;

/**
 * Splits a byte stream into WebSocket frames (RFC 6455 section 5.2), push style: feed it
 * whatever bytes arrived, split anywhere, and it reports headers and payload chunks to a
 * {@link FrameSink} as soon as it has them, resuming where it stopped on the next call.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 *  | |1|2|3|       |K|             |                               |
 *  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *  |     Extended payload length continued, if payload len == 127  |
 *  + - - - - - - - - - - - - - - - +-------------------------------+
 *  |                               |Masking-key, if MASK set to 1  |
 *  +-------------------------------+-------------------------------+
 *  | Masking-key (continued)       |          Payload Data         |
 *  +-------------------------------- - - - - - - - - - - - - - - - +
 * </pre>
 *
 * <p>The parser only finds frame boundaries. It refuses what it cannot represent (a 64-bit
 * length with the top bit set) and lengths not in their minimal encoding; every other rule is
 * the {@link FrameDecoder}'s. Masked payloads are unmasked in place in the caller's buffer, so
 * nothing is copied and nothing is allocated per frame.
 *
 * <p>Not thread-safe: one reading thread owns it.
 */
public final class FrameParser {
    static final int B0_FLAG_FIN = 0x80;
    static final int B0_MASK_RSV = 0x70;
    static final int B0_MASK_OPCODE = 0x0F;
    static final int B1_FLAG_MASK = 0x80;
    static final int B1_MASK_LENGTH = 0x7F;
    static final int PAYLOAD_SHORT_MAX = 125;
    static final int PAYLOAD_16 = 126;
    static final int PAYLOAD_64 = 127;

    private enum State { FIRST_BYTE, LENGTH_BYTE, EXTENDED_LENGTH, MASK_KEY, PAYLOAD }

    // All fields below are owned by the reading thread.
    private State state = State.FIRST_BYTE;
    private boolean fin;
    private int rsv;
    private int opcode;
    private boolean masked;
    private int maskKey;
    private long payloadLength;
    private long payloadRead;
    /** Size of the multi-byte field being read (2 or 8 for a length, 4 for a mask key). */
    private int fieldSize;
    /** Bytes of that field still to read, and its value so far. */
    private int fieldBytesLeft;
    private long field;

    /**
     * Consumes all of {@code in}'s remaining bytes, reporting to {@code sink}. On return the
     * position equals the limit. When the sink or the parser throws, the connection is over:
     * the parser must not be used again.
     */
    public void parse(ByteBuffer in, FrameSink sink) throws ProtocolException {
        while (true) {
            if (state == State.FIRST_BYTE && parseWholeFrame(in, sink)) {
                continue;
            }
            switch (state) {
                case FIRST_BYTE -> {
                    if (!in.hasRemaining()) {
                        return;
                    }
                    int b0 = in.get() & 0xFF;
                    fin = (b0 & B0_FLAG_FIN) != 0;
                    rsv = (b0 & B0_MASK_RSV) >>> 4;
                    opcode = b0 & B0_MASK_OPCODE;
                    state = State.LENGTH_BYTE;
                }
                case LENGTH_BYTE -> {
                    if (!in.hasRemaining()) {
                        return;
                    }
                    int b1 = in.get() & 0xFF;
                    masked = (b1 & B1_FLAG_MASK) != 0;
                    int len7 = b1 & B1_MASK_LENGTH;
                    if (len7 <= PAYLOAD_SHORT_MAX) {
                        payloadLength = len7;
                        afterLength(sink);
                    } else {
                        startField(len7 == PAYLOAD_16 ? 2 : 8, State.EXTENDED_LENGTH);
                    }
                }
                case EXTENDED_LENGTH -> {
                    if (!readField(in)) {
                        return;
                    }
                    payloadLength = checkedExtendedLength();
                    afterLength(sink);
                }
                case MASK_KEY -> {
                    if (!readField(in)) {
                        return;
                    }
                    maskKey = (int) field;
                    startPayload(sink);
                }
                case PAYLOAD -> {
                    if (!deliverPayload(in, sink)) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * The fast path, taken by most frames of a busy connection: a frame whose header and whole
     * payload are in {@code in} goes to the sink in one step, read with absolute gets and without
     * a trip through the state machine per field. The sink sees the same calls as on the slow
     * path. Returns false, consuming nothing, for any other frame. Split in three small methods
     * so that the common one, a 7-bit length, stays small enough for the JIT to inline.
     */
    private boolean parseWholeFrame(ByteBuffer in, FrameSink sink) throws ProtocolException {
        int p = in.position();
        if (in.limit() - p < 2) {
            return false;
        }
        int b1 = in.get(p + 1) & 0xFF;
        int length = b1 & B1_MASK_LENGTH;
        if (length > PAYLOAD_SHORT_MAX) {
            return parseWholeLongFrame(in, sink, p, b1);
        }
        int start = p + ((b1 & B1_FLAG_MASK) != 0 ? 6 : 2);
        int end = start + length;
        return end <= in.limit() && deliverWholeFrame(in, sink, p, b1, start, end);
    }

    /**
     * {@link #parseWholeFrame} for the 16- and 64-bit length forms. Returns false too for a
     * length the slow path refuses (not minimal, or the 64-bit form's top bit set: section 5.2),
     * so that the refusal is made in one place.
     */
    private boolean parseWholeLongFrame(ByteBuffer in, FrameSink sink, int p, int b1) throws ProtocolException {
        int available = in.limit() - p;
        long length;
        int lengthBytes;
        if ((b1 & B1_MASK_LENGTH) == PAYLOAD_16) {
            if (available < 4) {
                return false;
            }
            length = ((in.get(p + 2) & 0xFF) << 8) | (in.get(p + 3) & 0xFF);
            lengthBytes = 2;
            if (length <= PAYLOAD_SHORT_MAX) {
                return false;
            }
        } else {
            if (available < 10) {
                return false;
            }
            length = (readIntBigEndian(in, p + 2) & 0xFFFF_FFFFL) << 32
                    | (readIntBigEndian(in, p + 6) & 0xFFFF_FFFFL);
            lengthBytes = 8;
            if (length <= 0xFFFF) {  // also negative: the top bit set
                return false;
            }
        }
        int start = p + 2 + lengthBytes + ((b1 & B1_FLAG_MASK) != 0 ? 4 : 0);
        if (length > in.limit() - (long) start) {
            return false;
        }
        return deliverWholeFrame(in, sink, p, b1, start, start + (int) length);
    }

    /** Unmasks the frame at {@code p} (payload from {@code start} to {@code end}) and hands it to the sink. */
    private static boolean deliverWholeFrame(ByteBuffer in, FrameSink sink, int p, int b1, int start, int end)
            throws ProtocolException {
        int b0 = in.get(p) & 0xFF;
        boolean isMasked = (b1 & B1_FLAG_MASK) != 0;
        if (isMasked && end > start) {
            Masker.mask(in, start, end, readIntBigEndian(in, start - 4), 0);
        }
        int limit = in.limit();
        in.limit(end).position(start);
        try {
            sink.onWholeFrame((b0 & B0_FLAG_FIN) != 0, (b0 & B0_MASK_RSV) >>> 4, b0 & B0_MASK_OPCODE, isMasked, in);
        } finally {
            in.limit(limit).position(end);
        }
        return true;
    }

    /** True between frames: no header or payload byte of an unfinished frame is pending. */
    public boolean atFrameBoundary() {
        return state == State.FIRST_BYTE;
    }

    private void afterLength(FrameSink sink) throws ProtocolException {
        if (masked) {
            startField(4, State.MASK_KEY);
        } else {
            maskKey = 0;
            startPayload(sink);
        }
    }

    private void startField(int size, State next) {
        fieldSize = size;
        fieldBytesLeft = size;
        field = 0;
        state = next;
    }

    /** Reads as much of the current field as {@code in} holds; true when it is complete. */
    private boolean readField(ByteBuffer in) {
        if (fieldBytesLeft == fieldSize && in.remaining() >= fieldSize) {
            // Whole field present: read it in one step, in network byte order.
            int p = in.position();
            field = switch (fieldSize) {
                case 2 -> ((in.get(p) & 0xFF) << 8) | (in.get(p + 1) & 0xFF);
                case 4 -> readIntBigEndian(in, p) & 0xFFFF_FFFFL;
                default -> (readIntBigEndian(in, p) & 0xFFFF_FFFFL) << 32
                        | (readIntBigEndian(in, p + 4) & 0xFFFF_FFFFL);
            };
            in.position(p + fieldSize);
            fieldBytesLeft = 0;
            return true;
        }
        while (fieldBytesLeft > 0 && in.hasRemaining()) {
            field = (field << 8) | (in.get() & 0xFF);
            fieldBytesLeft--;
        }
        return fieldBytesLeft == 0;
    }

    private static int readIntBigEndian(ByteBuffer in, int p) {
        return (in.get(p) & 0xFF) << 24 | (in.get(p + 1) & 0xFF) << 16
                | (in.get(p + 2) & 0xFF) << 8 | (in.get(p + 3) & 0xFF);
    }

    /**
     * Section 5.2: a 64-bit length must have its most significant bit clear, and "the minimal
     * number of bytes MUST be used to encode the length".
     */
    private long checkedExtendedLength() throws ProtocolException {
        if (fieldSize == 2) {
            if (field <= PAYLOAD_SHORT_MAX) {
                throw ProtocolException.protocol("payload length " + field
                        + " sent in the 16-bit form; section 5.2 requires the 7-bit form");
            }
            return field;
        }
        if (field < 0) {
            throw ProtocolException.protocol(
                    "64-bit payload length has its most significant bit set (section 5.2)");
        }
        if (field <= 0xFFFF) {
            throw ProtocolException.protocol("payload length " + field
                    + " sent in the 64-bit form; section 5.2 requires the shortest form");
        }
        return field;
    }

    private void startPayload(FrameSink sink) throws ProtocolException {
        payloadRead = 0;
        state = State.PAYLOAD;
        sink.onFrameHeader(fin, rsv, opcode, masked, payloadLength);
    }

    /** Hands over what {@code in} holds of the payload; true when the frame is complete. */
    private boolean deliverPayload(ByteBuffer in, FrameSink sink) throws ProtocolException {
        long left = payloadLength - payloadRead;
        if (left > 0) {
            int n = (int) Math.min(left, in.remaining());
            if (n == 0) {
                return false;
            }
            int start = in.position();
            int end = start + n;
            if (masked) {
                Masker.mask(in, start, end, maskKey, payloadRead);
            }
            int limit = in.limit();
            in.limit(end);
            try {
                sink.onFramePayload(in);
            } finally {
                in.limit(limit).position(end);
            }
            payloadRead += n;
            if (payloadRead < payloadLength) {
                return false;
            }
        }
        state = State.FIRST_BYTE;
        sink.onFrameEnd();
        return true;
    }
}
