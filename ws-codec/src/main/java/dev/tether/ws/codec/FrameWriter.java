package dev.tether.ws.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes WebSocket frames (RFC 6455 section 5.2) into caller-supplied buffers, and enforces the
 * rules for what this side may send: opcode in range and not reserved, control frames final and
 * at most 125 bytes (section 5.5), fragments in order (section 5.4). A client masks every frame
 * with a fresh key from {@link MaskKeys} (section 5.3); a server never masks.
 *
 * <p>Header layout, as written here:
 * <pre>
 *  byte 0: FIN | RSV1 RSV2 RSV3 | opcode(4)
 *  byte 1: MASK | len7      len7 &lt;= 125: the length; 126: 16-bit length follows; 127: 64-bit
 *  then:   [extended length, 2 or 8 bytes, network order] [mask key, 4 bytes, client only]
 * </pre>
 *
 * <p>Not thread-safe: a connection writes its frames one at a time, under its write lock, so
 * that frames from many threads never interleave.
 */
public final class FrameWriter {
    /** The largest header: 2 bytes, 8 of extended length, 4 of mask key. */
    public static final int MAX_HEADER_SIZE = 14;

    /** Big-endian (network order, RFC 6455 section 5.2) views of a heap buffer's array. */
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final Role role;
    private final MaskKeys keys;
    /** {@code role.masksOutgoing()}, read on every frame. */
    private final boolean masks;

    // Guarded by the connection's write lock.
    private int allowedRsv;
    private boolean messageOpen;

    public FrameWriter(Role role) {
        this(role, role.masksOutgoing() ? MaskKeys.secure() : null);
    }

    public FrameWriter(Role role, MaskKeys keys) {
        if (role.masksOutgoing() && keys == null) {
            throw new IllegalArgumentException("a client writer needs mask keys");
        }
        this.role = role;
        this.keys = keys;
        this.masks = role.masksOutgoing();
    }

    /** Size of the header for a payload of {@code payloadLength} bytes. */
    public static int headerSize(long payloadLength, boolean masked) {
        int size = payloadLength <= FrameParser.PAYLOAD_SHORT_MAX ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
        return masked ? size + 4 : size;
    }

    /** Size of this writer's header for a payload of {@code payloadLength} bytes. */
    public int headerSize(long payloadLength) {
        return headerSize(payloadLength, role.masksOutgoing());
    }

    /** Lets frames carry the RSV bits a negotiated extension defines (4 = RSV1, 2, 1). */
    public void allowRsv(int bits) {
        allowedRsv = bits & 0x7;
    }

    /** True while a fragmented data message has been started and not finished. */
    public boolean messageOpen() {
        return messageOpen;
    }

    /**
     * The rules for a frame on its own, whatever was sent before it: opcode in 0x0-0xF and not
     * reserved (section 5.2), control frames final and at most 125 bytes (section 5.5).
     *
     * @throws IllegalArgumentException naming the rule broken
     */
    public static void checkShape(boolean fin, int opcode, long payloadLength) {
        if (!Opcodes.fitsField(opcode)) {
            throw new IllegalArgumentException("opcode " + opcode + " is outside 0x0-0xF");
        }
        if (Opcodes.isReserved(opcode)) {
            throw new IllegalArgumentException(Opcodes.name(opcode)
                    + " needs a negotiated extension that defines it (RFC 6455 section 5.2)");
        }
        if (payloadLength < 0) {
            throw new IllegalArgumentException("negative payload length " + payloadLength);
        }
        if (Opcodes.isControl(opcode)) {
            if (!fin) {
                throw new IllegalArgumentException(Opcodes.name(opcode)
                        + " frames must have fin set: control frames are never fragmented (RFC 6455 section 5.5)");
            }
            if (payloadLength > FrameParser.PAYLOAD_SHORT_MAX) {
                throw new IllegalArgumentException(Opcodes.name(opcode) + " payload of " + payloadLength
                        + " bytes: control frames carry at most 125 (RFC 6455 section 5.5)");
            }
        }
    }

    /**
     * Checks that a frame may be sent now, without writing anything.
     *
     * @throws IllegalArgumentException for an opcode outside 0x0-0xF, a reserved opcode or RSV
     *     bit no extension defines, or a control frame that is not final or exceeds 125 bytes
     * @throws IllegalStateException for a continuation without a started message, or a new data
     *     message inside an unfinished one
     */
    public void check(boolean fin, int rsv, int opcode, long payloadLength) {
        checkShape(fin, opcode, payloadLength);
        if ((rsv & ~allowedRsv) != 0) {
            throw new IllegalArgumentException("RSV bits 0x" + Integer.toHexString(rsv)
                    + " need a negotiated extension that defines them (RFC 6455 section 5.2)");
        }
        if (Opcodes.isControl(opcode)) {
            return;
        }
        if (opcode == Opcodes.CONTINUATION && !messageOpen) {
            throw new IllegalStateException(
                    "continuation frame without a started message (RFC 6455 section 5.4)");
        } else if (opcode != Opcodes.CONTINUATION && messageOpen) {
            throw new IllegalStateException("cannot start a new " + Opcodes.name(opcode)
                    + " message before the previous one is finished with fin (RFC 6455 section 5.4)");
        }
    }

    /**
     * Writes a frame header at {@code dst}'s position and advances it. The caller then writes
     * the payload and, for a client, masks it with the returned key
     * ({@link Masker#mask(ByteBuffer, int, int, int, long)} works in place).
     *
     * @return the mask key the payload must be masked with; 0 for a server
     * @throws BufferOverflowException if the header does not fit, before anything is written
     */
    public int writeHeader(ByteBuffer dst, boolean fin, int rsv, int opcode, long payloadLength) {
        if (!plainDataFrame(rsv, opcode) || payloadLength < 0) {
            check(fin, rsv, opcode, payloadLength);
        }
        boolean masked = role.masksOutgoing();
        int size = headerSize(payloadLength, masked);
        int at = dst.position();
        if (dst.limit() - at < size) {
            throw new BufferOverflowException();
        }
        int b0 = (fin ? FrameParser.B0_FLAG_FIN : 0) | rsv << 4 | opcode;
        int maskBit = masked ? FrameParser.B1_FLAG_MASK : 0;
        int key = masked ? keys.nextKey() : 0;
        if (dst.hasArray()) {
            // Whole fields at a time, in network order: a short frame's header is two stores.
            byte[] a = dst.array();
            int i = dst.arrayOffset() + at;
            if (payloadLength <= FrameParser.PAYLOAD_SHORT_MAX) {
                SHORTS.set(a, i, (short) (b0 << 8 | maskBit | (int) payloadLength));
            } else if (payloadLength <= 0xFFFF) {
                SHORTS.set(a, i, (short) (b0 << 8 | maskBit | FrameParser.PAYLOAD_16));
                SHORTS.set(a, i + 2, (short) payloadLength);
            } else {
                SHORTS.set(a, i, (short) (b0 << 8 | maskBit | FrameParser.PAYLOAD_64));
                LONGS.set(a, i + 2, payloadLength);
            }
            if (masked) {
                INTS.set(a, i + size - 4, key);
            }
            dst.position(at + size);
        } else {
            // Byte by byte: absolute putShort and the like would follow the buffer's own order.
            dst.put((byte) b0);
            if (payloadLength <= FrameParser.PAYLOAD_SHORT_MAX) {
                dst.put((byte) (maskBit | payloadLength));
            } else if (payloadLength <= 0xFFFF) {
                dst.put((byte) (maskBit | FrameParser.PAYLOAD_16));
                dst.put((byte) (payloadLength >>> 8)).put((byte) payloadLength);
            } else {
                dst.put((byte) (maskBit | FrameParser.PAYLOAD_64));
                for (int shift = 56; shift >= 0; shift -= 8) {
                    dst.put((byte) (payloadLength >>> shift));
                }
            }
            if (masked) {
                dst.put((byte) (key >>> 24)).put((byte) (key >>> 16)).put((byte) (key >>> 8)).put((byte) key);
            }
        }
        if (!Opcodes.isControl(opcode)) {
            messageOpen = !fin;
        }
        return key;
    }

    /**
     * {@link #writeFrame} for a client's short data frame between two heap arrays, the frame a
     * chat or market-data client sends most: six header bytes in two stores and the payload
     * masked on the way, with none of the general path's checks repeated. At 16 bytes a frame
     * costs about 15 ns, so each test left out shows.
     */
    private int writeShortMaskedFrame(ByteBuffer dst, boolean fin, int rsv, int opcode, ByteBuffer payload, int len) {
        int at = dst.position();
        int size = 6 + len;
        if (dst.limit() - at < size) {
            throw new BufferOverflowException();
        }
        byte[] a = dst.array();
        int i = dst.arrayOffset() + at;
        int key = keys.nextKey();
        int b0 = (fin ? FrameParser.B0_FLAG_FIN : 0) | rsv << 4 | opcode;
        SHORTS.set(a, i, (short) (b0 << 8 | FrameParser.B1_FLAG_MASK | len));
        INTS.set(a, i + 2, key);
        int from = payload.position();
        Masker.xorShort(payload.array(), payload.arrayOffset() + from, a, i + 6, len, key);
        payload.position(from + len);
        dst.position(at + size);
        messageOpen = !fin;
        return size;
    }

    /**
     * Whether a frame passes {@link #check} without a closer look: a text or binary frame
     * between messages or a continuation inside one, with RSV bits an extension allows. Nearly
     * every frame is one; control frames and mistakes take the full check.
     */
    private boolean plainDataFrame(int rsv, int opcode) {
        return (rsv & ~allowedRsv) == 0
                && (opcode == Opcodes.CONTINUATION ? messageOpen
                        : (opcode == Opcodes.TEXT || opcode == Opcodes.BINARY) && !messageOpen);
    }

    /**
     * Writes a whole frame, header and {@code payload}'s remaining bytes (masked on the way for
     * a client, leaving the caller's payload untouched), consuming the payload.
     *
     * @return the number of bytes written
     * @throws BufferOverflowException if the frame does not fit, before anything is written
     */
    public int writeFrame(ByteBuffer dst, boolean fin, int rsv, int opcode, ByteBuffer payload) {
        int len = payload.remaining();
        if (len <= FrameParser.PAYLOAD_SHORT_MAX && masks && plainDataFrame(rsv, opcode)
                && dst.hasArray() && payload.hasArray() && dst.array() != payload.array()) {
            return writeShortMaskedFrame(dst, fin, rsv, opcode, payload, len);
        }
        return writeAnyFrame(dst, fin, rsv, opcode, payload, len);
    }

    /**
     * {@link #writeFrame} for every other frame. A method of its own so that {@code writeFrame}
     * stays small enough to be compiled into its callers (C2 will not inline a method whose
     * compiled code is already large).
     */
    private int writeAnyFrame(ByteBuffer dst, boolean fin, int rsv, int opcode, ByteBuffer payload, int len) {
        int size = headerSize(len) + len;
        if (dst.remaining() < size) {
            check(fin, rsv, opcode, len);
            throw new BufferOverflowException();
        }
        int key = writeHeader(dst, fin, rsv, opcode, len);
        Masker.maskCopy(payload, dst, key, 0);
        return size;
    }
}
