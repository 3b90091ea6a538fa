package dev.tether.ws.conformance;

import dev.tether.ws.codec.CloseCodes;
import dev.tether.ws.codec.DecoderLimits;
import dev.tether.ws.codec.FrameDecoder;
import dev.tether.ws.codec.FrameParser;
import dev.tether.ws.codec.FrameSink;
import dev.tether.ws.codec.MessageHandler;
import dev.tether.ws.codec.Opcodes;
import dev.tether.ws.codec.ProtocolException;
import dev.tether.ws.codec.Role;
import dev.tether.ws.codec.deflate.DeflateParams;
import dev.tether.ws.codec.deflate.MessageInflater;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One case connection after the opening handshake, from the peer's side: what the client
 * sends (parsed by the codec in the server role, so a client that breaks a rule is caught),
 * the closing handshake, and the facts the judge needs, kept the way Autobahn's protocol keeps
 * them ({@code closedByMe}, {@code wasClean}, the close codes).
 *
 * <p>The peer as a WebSocket endpoint (RFC 6455 section 7):
 * <ul>
 *   <li>a client's ping is answered with a pong while open (section 5.5.2);</li>
 *   <li>a client's close is answered with a normal close, then the peer closes TCP first,
 *       as a server should (section 7.1.1); the close was clean;</li>
 *   <li>after the peer's own close it waits {@link CaseScript#CLOSE_HANDSHAKE_TIMEOUT} for
 *       the client's, else drops TCP: not clean;</li>
 *   <li>a client that breaks the protocol is failed with a close carrying the codec's code;
 *       nothing it sends afterwards is parsed, so that close is never clean.</li>
 * </ul>
 * Dropping TCP means half-closing (FIN) and, after {@link CaseScript#DROP_GRACE}, closing.
 *
 * <p>With permessage-deflate negotiated, compressed messages are inflated by the codec's
 * {@link MessageInflater} and, from the same bytes, by {@link DeflateCheck}, which also holds
 * the client to the agreed window and context takeover; a message the two decode differently
 * fails the connection with 1011 (a flaw of this peer, never excused).
 *
 * <p>Threads: one virtual thread reads; the case runner writes and waits; timers run on
 * virtual threads of their own. State is guarded by {@code lock}.
 */
final class CaseSession implements MessageHandler {
    enum State { OPEN, CLOSING, CLOSED }

    private final Socket socket;
    private final InputStream in;
    private final WireWriter out;
    private final Expectation expect;
    private final ScheduledExecutorService timers;
    private final FrameDecoder decoder = new FrameDecoder(Role.SERVER, DecoderLimits.DEFAULT, this);
    private final FrameParser parser = new FrameParser();
    /** Where parsed frames go: the decoder, or the deflate tee in front of it. */
    private final FrameSink sink;
    private final long startNanos = System.nanoTime();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock.
    private State state = State.OPEN;
    private final List<Observation> received = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<ScheduledFuture<?>> pending = new ArrayList<>();
    private boolean closedByMe;
    private boolean failedByMe;
    private boolean droppedByMe;
    private boolean wasClean;
    private boolean closeSent;
    private boolean closeReceived;
    private boolean closeHandshakeTimedOut;
    private String wasNotCleanReason;
    private Integer localCloseCode;
    private String localCloseReason;
    private Integer remoteCloseCode;
    private String remoteCloseReason;
    private long endNanos;

    // Owned by the reading thread.
    private final MessageAssembler assembler = new MessageAssembler();
    private boolean binaryMessage;
    /** What {@link DeflateCheck} made of the message ending now; null if it was not compressed. */
    private byte[] checked;
    private volatile boolean decoding = true;

    /**
     * @param deflate the permessage-deflate parameters agreed in the handshake; null when the
     *     extension was not negotiated
     */
    CaseSession(Socket socket, InputStream in, WireWriter out, Expectation expect, ScheduledExecutorService timers,
                DeflateParams deflate) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.expect = expect;
        this.timers = timers;
        if (deflate == null) {
            sink = decoder;
        } else {
            decoder.enableDeflate(new MessageInflater(deflate.receiveNoContextTakeover(Role.SERVER),
                    DecoderLimits.DEFAULT.maxMessageSize()));
            sink = new DeflateTee(new DeflateCheck(deflate.clientMaxWindowBits(), deflate.clientNoContextTakeover()));
        }
    }

    // ---- reading ----------------------------------------------------------------------------

    /** Starts the reading thread; {@code leftover} is what arrived behind the request head. */
    void startReading(ByteBuffer leftover) {
        Thread.ofVirtual().name("conformance-reader").start(() -> readLoop(leftover));
    }

    private void readLoop(ByteBuffer leftover) {
        IOException failure = null;
        try {
            feed(leftover);
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                feed(ByteBuffer.wrap(buf, 0, n));
            }
        } catch (IOException e) {
            failure = e;
        }
        connectionLost(failure);
    }

    private void feed(ByteBuffer data) {
        if (!decoding || !data.hasRemaining()) {
            return;
        }
        try {
            parser.parse(data, sink);
        } catch (ProtocolException e) {
            decoding = false;
            if (closedByClient()) {
                note("ignored what the client sent after its close frame: " + e.getMessage());
            } else {
                clientViolated(e);
            }
        }
    }

    @Override
    public void onMessageStart(int opcode) {
        binaryMessage = opcode == Opcodes.BINARY;
    }

    @Override
    public void onMessageData(ByteBuffer chunk) {
        assembler.append(chunk);
    }

    @Override
    public void onMessageEnd() throws ProtocolException {
        Slice message = assembler.take();
        if (checked != null) {
            byte[] second = checked;
            checked = null;
            if (!message.equals(Slice.of(second))) {
                throw new ProtocolException(CloseCodes.INTERNAL_ERROR, "the peer's two inflaters disagree on a "
                        + "compressed message (" + message.length() + " and " + second.length + " bytes): a flaw of "
                        + "the peer or the codec, not of the client");
            }
        }
        observe(new Observation.Message(binaryMessage, message));
    }

    /**
     * In front of the decoder when permessage-deflate was negotiated: hands every frame on,
     * keeping a copy of a compressed message's payload (already unmasked) for
     * {@link DeflateCheck}, which decodes it before the decoder ends the message.
     */
    private final class DeflateTee implements FrameSink {
        private final DeflateCheck check;
        private final ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        private boolean messageCompressed;
        private boolean dataFrame;
        private boolean fin;

        DeflateTee(DeflateCheck check) {
            this.check = check;
        }

        @Override
        public void onFrameHeader(boolean fin, int rsv, int opcode, boolean masked, long payloadLength)
                throws ProtocolException {
            decoder.onFrameHeader(fin, rsv, opcode, masked, payloadLength);  // every rule first
            this.fin = fin;
            dataFrame = !Opcodes.isControl(opcode);
            if (opcode == Opcodes.TEXT || opcode == Opcodes.BINARY) {
                messageCompressed = (rsv & 0x4) != 0;
                compressed.reset();
            }
        }

        @Override
        public void onFramePayload(ByteBuffer chunk) throws ProtocolException {
            if (dataFrame && messageCompressed) {
                ByteBuffer copy = chunk.duplicate();
                byte[] b = new byte[copy.remaining()];
                copy.get(b);
                compressed.writeBytes(b);
            }
            decoder.onFramePayload(chunk);
        }

        @Override
        public void onFrameEnd() throws ProtocolException {
            if (dataFrame && fin && messageCompressed) {
                try {
                    checked = check.message(compressed.toByteArray(), compressed.size());
                } catch (DeflateCheck.Violation v) {
                    throw new ProtocolException(v.closeCode(), v.getMessage());
                }
                compressed.reset();
            }
            decoder.onFrameEnd();
        }
    }

    @Override
    public void onPing(ByteBuffer payload) {
        if (isOpen()) {
            Slice copy = copy(payload);
            try {
                out.frameNow(WireFrames.header(true, Opcodes.PONG, copy.length()), copy);
            } catch (IOException e) {
                note("could not answer a ping: " + e.getMessage());
            }
        }
    }

    @Override
    public void onPong(ByteBuffer payload) {
        observe(Observation.pong(copy(payload)));
    }

    @Override
    public void onClose(int code, String reason) {
        decoding = false;
        clientClosed(code == CloseCodes.NO_STATUS ? null : code, reason);
    }

    private static Slice copy(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(b.position(), a);
        return Slice.of(a);
    }

    /** Autobahn's {@code onMessage}/{@code onPong} then {@code finishWhenDone}. */
    private void observe(Observation o) {
        boolean closeNow;
        lock.lock();
        try {
            received.add(expectedInstance(received.size(), o));
            changed.signalAll();
            if (state != State.OPEN) {
                closeNow = false;
            } else if (expect.closeAfterObservations() > 0) {
                closeNow = received.size() >= expect.closeAfterObservations();
            } else {
                closeNow = !expect.suppressClose() && expect.close().closedByMe() && Judge.matchesEvery(expect, received);
            }
        } finally {
            lock.unlock();
        }
        if (closeNow) {
            sendClose(expect.close().codes().get(0), Slice.EMPTY);
        }
    }

    /**
     * The expected observation at {@code index} when {@code o} equals it, else {@code o}: what
     * is kept is then the case's own (shared) payload, not a copy of it, so that a thousand
     * echoed 128 KiB messages cost no memory.
     */
    private Observation expectedInstance(int index, Observation o) {
        for (List<Observation> outcome : expect.outcomes().values()) {
            if (index < outcome.size() && outcome.get(index).equals(o)) {
                return outcome.get(index);
            }
        }
        return o;
    }

    // ---- closing ----------------------------------------------------------------------------

    /**
     * The peer starts the closing handshake (Autobahn's {@code sendClose}/{@code sendCloseFrame}):
     * only while open; afterwards the peer is the endpoint that closed first.
     */
    boolean sendClose(Integer code, Slice reason) {
        lock.lock();
        try {
            if (state != State.OPEN) {
                return false;
            }
            state = State.CLOSING;
            closeSent = true;
            closedByMe = true;
            localCloseCode = code;
            localCloseReason = reason.preview(123);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        writeClose(code, reason);
        schedule(CaseScript.CLOSE_HANDSHAKE_TIMEOUT, this::closeHandshakeTimeout);
        return true;
    }

    /** The client's close frame, well-formed (the codec checked code and reason). */
    private void clientClosed(Integer code, String reason) {
        boolean reply;
        lock.lock();
        try {
            closeReceived = true;
            remoteCloseCode = code;
            remoteCloseReason = reason;
            wasClean = true;
            reply = state == State.OPEN;
            if (reply) {
                // Autobahn answers with a normal close rather than echoing the client's code.
                state = State.CLOSING;
                closeSent = true;
                localCloseCode = CloseCodes.NORMAL;
                localCloseReason = "";
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (reply) {
            writeClose(CloseCodes.NORMAL, Slice.EMPTY);
        }
        drop();
    }

    private void clientViolated(ProtocolException e) {
        lock.lock();
        try {
            notes.add("the client broke the protocol: " + e.getMessage());
            failedByMe = true;
            wasNotCleanReason = "the client broke the protocol and the peer failed the connection";
        } finally {
            lock.unlock();
        }
        String reason = e.getMessage();
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        sendClose(e.closeCode(), Slice.of(r.length <= 123 ? r : "protocol violation".getBytes(StandardCharsets.UTF_8)));
        drop();
    }

    private void writeClose(Integer code, Slice reason) {
        Slice body = WireFrames.closeBody(code, reason);
        try {
            out.frameNow(WireFrames.header(true, Opcodes.CLOSE, body.length()), body);
        } catch (IOException e) {
            note("could not send the close frame: " + e.getMessage());
        }
    }

    /** Autobahn's {@code killAfter}: fail the connection if it is still up. */
    void fail() {
        boolean open;
        lock.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            failedByMe = true;
            open = state == State.OPEN;
            notes.add("the case timer expired with the connection " + (open ? "open" : "closing"));
        } finally {
            lock.unlock();
        }
        if (open) {
            sendClose(CloseCodes.GOING_AWAY, Slice.utf8("Going Away"));
        }
    }

    /** Autobahn's {@code closeAfter}: close (empty close frame) if still open. */
    void closeIfOpen() {
        if (sendClose(null, Slice.EMPTY)) {
            note("the case timer expired; the peer closed");
        }
    }

    private void closeHandshakeTimeout() {
        lock.lock();
        try {
            if (closeReceived || state == State.CLOSED) {
                return;
            }
            closeHandshakeTimedOut = true;
            wasClean = false;
            wasNotCleanReason = "peer did not respond (in time) in closing handshake";
        } finally {
            lock.unlock();
        }
        drop();
    }

    /** Closes TCP from this side: FIN now, the socket after the grace period. */
    private void drop() {
        lock.lock();
        try {
            if (droppedByMe || state == State.CLOSED) {
                return;
            }
            droppedByMe = true;
        } finally {
            lock.unlock();
        }
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            // Already gone: the reader sees it.
        }
        schedule(CaseScript.DROP_GRACE, this::closeSocket);
    }

    /** The case's time is up, whatever its state: end the connection now. */
    void bound() {
        lock.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            notes.add("the case bound was reached; the peer dropped the connection");
            droppedByMe = true;
        } finally {
            lock.unlock();
        }
        closeSocket();
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing left to do.
        }
    }

    private void connectionLost(IOException cause) {
        List<ScheduledFuture<?>> timersToCancel;
        lock.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            if (!wasClean && wasNotCleanReason == null) {
                wasNotCleanReason = droppedByMe ? "the peer dropped the TCP connection"
                        : "peer dropped the TCP connection without previous WebSocket closing handshake";
            }
            if (cause != null && !droppedByMe) {
                notes.add("read failed: " + cause.getMessage());
            }
            state = State.CLOSED;
            endNanos = System.nanoTime();
            timersToCancel = List.copyOf(pending);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        timersToCancel.forEach(f -> f.cancel(false));
        closeSocket();
    }

    // ---- for the runner ---------------------------------------------------------------------

    /** Runs {@code task} on a virtual thread after {@code delay}, unless the connection ended. */
    void schedule(Duration delay, Runnable task) {
        lock.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            pending.add(timers.schedule(() -> Thread.ofVirtual().name("conformance-timer").start(task),
                    delay.toNanos(), TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            // The server is shutting down; its sockets close with it.
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the connection ended or the deadline passed; true when it ended. */
    boolean awaitClosed(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            long left;
            while (state != State.CLOSED && (left = deadlineNanos - System.nanoTime()) > 0) {
                changed.awaitNanos(left);
            }
            return state == State.CLOSED;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code count} observations arrived or the connection is no longer open. */
    void awaitObservations(int count) throws InterruptedException {
        lock.lock();
        try {
            while (received.size() < count && state == State.OPEN) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Records {@code ("timeout", tag)} and returns true if still open (6.4.x continuations). */
    boolean checkpoint(String tag) {
        lock.lock();
        try {
            if (state != State.OPEN) {
                return false;
            }
            received.add(Observation.timeout(tag));
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean isOpen() {
        lock.lock();
        try {
            return state == State.OPEN;
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return state == State.CLOSED;
        } finally {
            lock.unlock();
        }
    }

    private boolean closedByClient() {
        lock.lock();
        try {
            return closeReceived;
        } finally {
            lock.unlock();
        }
    }

    int observationCount() {
        lock.lock();
        try {
            return received.size();
        } finally {
            lock.unlock();
        }
    }

    Observation observation(int index) {
        lock.lock();
        try {
            return received.get(index);
        } finally {
            lock.unlock();
        }
    }

    List<Observation> received() {
        lock.lock();
        try {
            return List.copyOf(received);
        } finally {
            lock.unlock();
        }
    }

    void note(String what) {
        lock.lock();
        try {
            notes.add(what);
        } finally {
            lock.unlock();
        }
    }

    CloseFacts facts(boolean deflateNegotiated) {
        lock.lock();
        try {
            return new CloseFacts(true, closedByMe, wasClean, remoteCloseCode, deflateNegotiated);
        } finally {
            lock.unlock();
        }
    }

    /** Milliseconds from the end of the opening handshake to the end of the connection. */
    long durationMillis() {
        lock.lock();
        try {
            long end = state == State.CLOSED ? endNanos : System.nanoTime();
            return TimeUnit.NANOSECONDS.toMillis(end - startNanos);
        } finally {
            lock.unlock();
        }
    }

    Integer remoteCloseCode() {
        lock.lock();
        try {
            return remoteCloseCode;
        } finally {
            lock.unlock();
        }
    }

    /** The closing facts under Autobahn's names, for the case report. */
    Map<String, Object> closingDetails() {
        lock.lock();
        try {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("closedByMe", closedByMe);
            m.put("failedByMe", failedByMe);
            m.put("droppedByMe", droppedByMe);
            m.put("wasClean", wasClean);
            m.put("wasNotCleanReason", wasNotCleanReason);
            m.put("wasCloseHandshakeTimeout", closeHandshakeTimedOut);
            m.put("localCloseCode", localCloseCode);
            m.put("localCloseReason", localCloseReason);
            m.put("remoteCloseCode", remoteCloseCode);
            m.put("remoteCloseReason", remoteCloseReason);
            m.put("notes", List.copyOf(notes));
            return m;
        } finally {
            lock.unlock();
        }
    }
}
