package dev.tether.ws.transport.blocking;

import dev.tether.ws.codec.DecoderLimits;
import dev.tether.ws.codec.FrameDecoder;
import dev.tether.ws.codec.MessageHandler;
import dev.tether.ws.codec.ProtocolException;
import dev.tether.ws.codec.Role;
import dev.tether.ws.codec.handshake.HandshakeException;
import dev.tether.ws.codec.handshake.HttpHeadParser;
import dev.tether.ws.codec.handshake.HttpResponseHead;
import dev.tether.ws.spi.ConnectionListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A minimal client engine for transport tests: reads the 101 head, then frames with the
 * codec's CLIENT role, and records what arrived and how the connection ended.
 */
final class RecordingListener implements ConnectionListener {
    /** A whole message, a close frame, or the response head, in arrival order. */
    sealed interface Received {
    }

    record Head(HttpResponseHead head) implements Received {
    }

    record Message(int opcode, byte[] data) implements Received {
    }

    record Close(int code, String reason) implements Received {
    }

    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final AtomicInteger closedCalls = new AtomicInteger();
    final AtomicReference<IOException> closedCause = new AtomicReference<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    /** The thread the transport delivers data on. */
    volatile Thread reader;

    // Owned by the transport's reading thread.
    private final HttpHeadParser<HttpResponseHead> headParser = HttpHeadParser.forResponses();
    private boolean headDone;
    private final FrameDecoder decoder = new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, new Collector());

    @Override
    public void onData(ByteBuffer data) {
        reader = Thread.currentThread();
        try {
            if (!headDone) {
                var head = headParser.parse(data);
                if (head.isEmpty()) {
                    return;
                }
                headDone = true;
                received.add(new Head(head.get()));
            }
            decoder.decode(data);
        } catch (HandshakeException | ProtocolException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void onClosed(IOException cause) {
        closedCause.set(cause);
        closedCalls.incrementAndGet();
        closed.countDown();
    }

    Received next() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("nothing received within 10 s");
        }
        return r;
    }

    /** Waits for onClosed and returns its cause (null for end of stream). */
    IOException awaitClosed() throws InterruptedException {
        if (!closed.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("onClosed not called within 10 s");
        }
        return closedCause.get();
    }

    private final class Collector implements MessageHandler {
        private int opcode;
        private ByteArrayOutputStream message;

        @Override
        public void onMessageStart(int opcode) {
            this.opcode = opcode;
            message = new ByteArrayOutputStream();
        }

        @Override
        public void onMessageData(ByteBuffer chunk) {
            byte[] bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
            message.writeBytes(bytes);
        }

        @Override
        public void onMessageEnd() {
            received.add(new Message(opcode, message.toByteArray()));
        }

        @Override
        public void onPing(ByteBuffer payload) {
        }

        @Override
        public void onPong(ByteBuffer payload) {
        }

        @Override
        public void onClose(int code, String reason) {
            received.add(new Close(code, reason));
        }
    }
}
