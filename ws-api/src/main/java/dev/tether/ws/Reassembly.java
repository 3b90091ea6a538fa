package dev.tether.ws;

import dev.tether.ws.internal.BufferPool;
import java.nio.ByteBuffer;

/**
 * Where the pieces of a received data message go: joined into one {@link Message} for
 * {@code recv} and the MESSAGE handler, or, on a connection that streams, handed to the STREAM
 * handler as they arrive ({@link MessageStream}). Owned by the connection's reader; the stream
 * in progress is also read by other threads ({@link #behind}, {@link #fail}).
 */
final class Reassembly {
    /** A streamed message passes through a buffer this large at most (and maxQueuedBytes). */
    private static final long STREAM_BUFFER_BYTES = 1L << 20;
    /**
     * Where a lending connection joins a message that did not arrive whole in one read (split
     * across reads, or fragmented): lent for the message and its handler call, then returned. A
     * larger message moves to an array of its own, as without lending.
     */
    private static final BufferPool JOINED = new BufferPool(64 * 1024, false, 64);

    private final WebSocket ws;
    /** Null without a TrafficListener. */
    private final Traffic traffic;
    /** Fixed as the connection starts: data messages go to the STREAM handler as they arrive. */
    private final boolean streaming;
    private final long streamBound;
    /** Lets a reader paused for a full stream go on. */
    private final Runnable relief;
    private final MessageBuffer message = new MessageBuffer();
    /** The message being joined in a pooled buffer to be lent, or null. */
    private ByteBuffer joined;
    /** The opcode of the message being joined (in {@link #joined} or {@link #message}). */
    private int opcode;
    /** The message being streamed, or null. */
    private volatile MessageStream stream;

    Reassembly(WebSocket ws, Traffic traffic, boolean streaming, long maxQueuedBytes, Runnable relief) {
        this.ws = ws;
        this.traffic = traffic;
        this.streaming = streaming;
        this.streamBound = Math.min(maxQueuedBytes, STREAM_BUFFER_BYTES);
        this.relief = relief;
    }

    /** @param size the message's size when its first frame told it, else -1 */
    void start(int opcode, long size) {
        if (streaming) {
            MessageStream s = new MessageStream(opcode, streamBound, relief);
            stream = s;
            ws.streamStarted(s);
        } else {
            this.opcode = opcode;
            if (ws.lends() && size <= JOINED.size()) {  // a larger one would outgrow the pooled buffer
                joined = JOINED.take();
            } else {
                message.start(size);
            }
        }
    }

    /**
     * A message that arrived whole, as one frame, in the read buffer: lent to an inline handler
     * as it is when the WebSocket lends ({@link WebSocket.Builder#inlineHandlers}), otherwise
     * copied as any other message.
     */
    void whole(int opcode, ByteBuffer payload) {
        if (streaming || !ws.lends()) {
            start(opcode, payload.remaining());
            if (payload.hasRemaining()) {
                data(payload);
            }
            end();
            return;
        }
        Message m = Message.lend(opcode, payload);
        if (traffic != null) {
            traffic.received(m);
        }
        ws.received(m);
    }

    void data(ByteBuffer chunk) {
        MessageStream s = stream;
        if (s != null) {
            if (traffic != null) {
                traffic.streamed(chunk.remaining());
            }
            s.push(chunk);
        } else if (joined != null) {
            if (chunk.remaining() <= joined.remaining()) {
                joined.put(chunk);
                return;
            }
            message.start(-1);  // outgrew the pooled buffer: an array of its own
            message.append(joined.flip());
            JOINED.give(joined);
            joined = null;
            message.append(chunk);
        } else {
            message.append(chunk);
        }
    }

    void end() {
        MessageStream s = stream;
        if (s != null) {
            stream = null;
            s.end();
            if (traffic != null) {
                traffic.streamEnded(s.opcode());
            }
        } else if (joined != null) {
            ByteBuffer b = joined;
            joined = null;
            Message m = Message.lend(opcode, b.flip());
            if (traffic != null) {
                traffic.received(m);
            }
            ws.received(m);  // the loan has ended when it returns
            JOINED.give(b);
        } else {
            Message m = message.finish(opcode);
            if (traffic != null) {
                traffic.received(m);
            }
            ws.received(m);
        }
    }

    /** True while the stream in progress holds its bound: the reader pauses. */
    boolean behind() {
        MessageStream s = stream;
        return s != null && s.behind();
    }

    /** The connection ended: a stream in progress learns why the rest will not come. */
    void fail(int code, String reason) {
        MessageStream s = stream;
        if (s != null) {
            s.fail(code, reason);
        }
    }
}
