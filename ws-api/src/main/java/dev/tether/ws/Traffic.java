package dev.tether.ws;

import dev.tether.ws.codec.Opcodes;
import java.nio.ByteBuffer;

/**
 * One connection's view of the user's {@link TrafficListener}: joins frames into messages, times
 * pings, and keeps a throwing listener from reaching the I/O threads. Null in a session without
 * a listener, so that traffic costs nothing to count then.
 */
final class Traffic {
    private static final System.Logger LOG = System.getLogger(WebSocket.class.getName());

    private final TrafficListener listener;
    // Sent side: guarded by the session's write lock.
    private int sendingOpcode;
    private long sendingBytes;
    // Received side: owned by the reader.
    private long streamedBytes;
    /** Written under the write lock, read by the reader. */
    private volatile byte[] pingPayload;
    private volatile long pingSentNanos;

    Traffic(TrafficListener listener) {
        this.listener = listener;
    }

    /** Just before a ping is written; holds the write lock. */
    void pingSending(ByteBuffer payload) {
        byte[] p = new byte[payload.remaining()];
        payload.duplicate().get(p);
        pingSentNanos = 0;  // no pong matches while the two change
        pingPayload = p;
        pingSentNanos = System.nanoTime();
    }

    /** After a frame was written; holds the write lock. */
    void frameSent(boolean fin, int opcode, ByteBuffer payload) {
        if (Opcodes.isControl(opcode)) {
            return;
        }
        if (opcode != Opcodes.CONTINUATION) {
            sendingOpcode = opcode;
            sendingBytes = 0;
        }
        sendingBytes += payload.remaining();
        if (fin) {
            long bytes = sendingBytes;
            guard(() -> listener.messageSent(sendingOpcode, bytes));
        }
    }

    void bytesWritten(long n) {
        guard(() -> listener.bytesWritten(n));
    }

    void bytesRead(long n) {
        guard(() -> listener.bytesRead(n));
    }

    void received(Message m) {
        guard(() -> listener.messageReceived(m.opcode(), m.size()));
    }

    void streamed(long n) {
        streamedBytes += n;
    }

    void streamEnded(int opcode) {
        long bytes = streamedBytes;
        streamedBytes = 0;
        guard(() -> listener.messageReceived(opcode, bytes));
    }

    /** A pong with the latest ping's payload closes its round trip. */
    void ponged(ByteBuffer payload) {
        long sent = pingSentNanos;
        byte[] expected = pingPayload;
        if (sent == 0 || expected == null || !ByteBuffer.wrap(expected).equals(payload)) {
            return;
        }
        pingSentNanos = 0;
        long rtt = System.nanoTime() - sent;
        guard(() -> listener.pingRoundTrip(rtt));
    }

    private void guard(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the TrafficListener threw; ignored", e);
        }
    }
}
