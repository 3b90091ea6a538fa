package dev.tether.ws;

import dev.tether.ws.codec.Opcodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One whole WebSocket message: text or binary. Immutable, except a <em>lent</em> message: with
 * {@link WebSocket.Builder#inlineHandlers}, a message that arrived whole in the read buffer is
 * handed to the MESSAGE handler as a view of that buffer, valid only during the call. Reading its
 * payload afterwards throws {@link IllegalStateException} (what {@link #text()} returned during
 * the call stays); {@link #owned()} gives a message that stays.
 */
public final class Message {
    private static final byte[] EMPTY = new byte[0];
    /**
     * On a platform thread that reads (an NIO event loop, serving many connections): the last
     * direct buffer it lent from and a read-only view of all of it, so that {@link #buffer()}
     * makes one read-only slice per message instead of a slice and a read-only copy of it (read
     * buffers are pooled, so the same few come back read after read), and an array to decode
     * text from. Not on virtual threads (the blocking transport's readers, one per connection):
     * an idle connection keeps none of it.
     */
    private static final ThreadLocal<ReaderCache> READER_CACHE = ThreadLocal.withInitial(ReaderCache::new);
    /** The largest text a reading thread decodes through its own array; larger ones copy. */
    private static final int TEXT_SCRATCH_MAX = 64 * 1024;

    /** What a platform thread that reads keeps between messages ({@link #READER_CACHE}). */
    private static final class ReaderCache {
        /** The direct buffer last lent from, and a read-only view of all of it. */
        ByteBuffer lender;
        ByteBuffer view;
        /**
         * Where {@link #text()} copies a lent direct payload to decode it: String's UTF-8
         * decoding needs an array, and a fresh one per message would be garbage at once.
         */
        byte[] textScratch = EMPTY;
    }

    private final int opcode;
    private final int size;
    /** The payload when owned; null while lent. */
    private final byte[] data;
    /**
     * The lender's buffer, or a read-only view of all of it ({@link #READER_CACHE}), holding
     * the payload at {@link #offset} (its position and limit are never read); null once the loan
     * ended, and for owned messages. Not a slice made per message: most handlers read the payload
     * once, through a buffer of their own.
     */
    private volatile ByteBuffer lent;
    /** Where the lent payload starts in {@link #lent}; 0 for owned messages. */
    private final int offset;
    /** Decoded on first use; a benign race may decode twice. */
    private String text;

    private Message(int opcode, byte[] data, ByteBuffer lent, String text) {
        this(opcode, data, lent, lent, text);
    }

    /** @param view {@code lent} itself or a view of all of it at the same indices */
    private Message(int opcode, byte[] data, ByteBuffer lent, ByteBuffer view, String text) {
        this.opcode = opcode;
        this.data = data;
        this.lent = view;
        this.offset = data != null ? 0 : lent.position();
        this.size = data != null ? data.length : lent.remaining();
        this.text = text;
    }

    /** A text message. */
    public static Message text(String text) {
        return new Message(Opcodes.TEXT, text.getBytes(StandardCharsets.UTF_8), null, text);
    }

    /** A binary message holding a copy of {@code data}. */
    public static Message binary(byte[] data) {
        return new Message(Opcodes.BINARY, data.clone(), null, null);
    }

    /** Takes ownership of {@code data} (already validated as UTF-8 when text). */
    static Message wrap(int opcode, byte[] data) {
        return new Message(opcode, data, null, null);
    }

    /**
     * Lends {@code payload}'s remaining bytes (already validated as UTF-8 when text) until
     * {@link #endLoan()}; the caller keeps its buffer's position and limit.
     */
    static Message lend(int opcode, ByteBuffer payload) {
        if (!payload.isDirect() || Thread.currentThread().isVirtual()) {
            return new Message(opcode, null, payload, null);
        }
        ReaderCache cache = READER_CACHE.get();
        if (cache.lender != payload) {
            cache.lender = payload;
            cache.view = payload.asReadOnlyBuffer().clear();  // all of it: later reads fill more
        }
        return new Message(opcode, null, payload, cache.view, null);
    }

    /** The lender takes its buffer back: from now on the payload can no longer be read. */
    void endLoan() {
        lent = null;
    }

    /** True while the payload is a view of the read buffer, valid only during the handler call. */
    public boolean isLent() {
        return data == null;
    }

    /**
     * This message if it owns its payload; a copy that does if it is lent. Call it inside the
     * handler to keep a lent message.
     *
     * @throws IllegalStateException for a lent message after its handler call
     */
    public Message owned() {
        if (data != null) {
            return this;
        }
        return new Message(opcode, bytes(), null, text);
    }

    /** True for a text message ({@link Opcode#TEXT}), false for binary. */
    public boolean isText() {
        return opcode == Opcodes.TEXT;
    }

    /** {@link Opcode#TEXT} or {@link Opcode#BINARY}. */
    public int opcode() {
        return opcode;
    }

    /**
     * The message as text: UTF-8 decoded (a binary message is decoded too, replacing bad bytes).
     *
     * @throws IllegalStateException for a lent message after its handler call, unless this was
     *     called during it
     */
    public String text() {
        String t = text;
        if (t == null) {
            if (data != null) {
                t = new String(data, StandardCharsets.UTF_8);
            } else {
                ByteBuffer b = loan();
                t = b.hasArray() ? new String(b.array(), b.arrayOffset() + offset, size, StandardCharsets.UTF_8)
                        : decodeDirect(b);
            }
            text = t;
        }
        return t;
    }

    /**
     * String's own UTF-8 decoding (vectorised for ASCII) needs an array: a lent direct payload is
     * copied into the reading thread's scratch array first (the thread lending it is the one
     * whose handler runs now), or into one of its own when large or on a virtual thread.
     */
    private String decodeDirect(ByteBuffer b) {
        if (size > TEXT_SCRATCH_MAX || Thread.currentThread().isVirtual()) {
            return new String(bytes(), StandardCharsets.UTF_8);
        }
        ReaderCache cache = READER_CACHE.get();
        byte[] scratch = cache.textScratch;
        if (scratch.length < size) {
            scratch = new byte[Math.min(TEXT_SCRATCH_MAX, Math.max(size, 2 * scratch.length))];
            cache.textScratch = scratch;
        }
        b.get(offset, scratch, 0, size);  // absolute: the lender's position is not ours to move
        return new String(scratch, 0, size, StandardCharsets.UTF_8);
    }

    /**
     * A copy of the payload bytes.
     *
     * @throws IllegalStateException for a lent message after its handler call
     */
    public byte[] bytes() {
        if (data != null) {
            return data.clone();
        }
        if (size == 0) {
            return EMPTY;
        }
        byte[] copy = new byte[size];
        loan().get(offset, copy);  // absolute: the lender's position is not ours to move
        return copy;
    }

    /**
     * The payload as a read-only buffer, without copying. For a lent message, a view of the read
     * buffer: valid only during the handler call.
     *
     * @throws IllegalStateException for a lent message after its handler call
     */
    public ByteBuffer buffer() {
        if (data != null) {
            return ByteBuffer.wrap(data).asReadOnlyBuffer();
        }
        ByteBuffer b = loan();
        return b.isReadOnly() ? b.slice(offset, size) : b.slice(offset, size).asReadOnlyBuffer();
    }

    /** Payload size in bytes. */
    public int size() {
        return size;
    }

    /**
     * The lender's buffer, or the error of a loan that ended. Read only at {@link #offset} with
     * absolute gets or through a slice of its own: its position and limit are the lender's.
     */
    private ByteBuffer loan() {
        ByteBuffer b = lent;
        if (b == null) {
            throw new IllegalStateException("a lent message (inlineHandlers) is valid only during its handler call:"
                    + " keep owned(), bytes() or text() instead");
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && m.opcode == opcode && m.buffer().equals(buffer());
    }

    @Override
    public int hashCode() {
        return 31 * opcode + buffer().hashCode();
    }

    @Override
    public String toString() {
        String lentNote = isLent() ? ", lent" : "";
        if (isText() && (data != null || lent != null)) {
            String t = text();
            return "text(" + (t.length() > 60 ? t.substring(0, 60) + "..." : t) + lentNote + ")";
        }
        return (isText() ? "text(" : "binary(") + size + " bytes" + lentNote + ")";
    }
}
