package dev.tether.ws;

import dev.tether.ws.codec.CloseCodes;
import dev.tether.ws.codec.DecoderLimits;
import dev.tether.ws.codec.ClosePayload;
import dev.tether.ws.codec.FrameDecoder;
import dev.tether.ws.codec.FrameWriter;
import dev.tether.ws.codec.Masker;
import dev.tether.ws.codec.MessageHandler;
import dev.tether.ws.codec.Opcodes;
import dev.tether.ws.codec.ProtocolException;
import dev.tether.ws.codec.Role;
import dev.tether.ws.codec.deflate.DeflateParams;
import dev.tether.ws.codec.handshake.ClientHandshake;
import dev.tether.ws.codec.handshake.HandshakeException;
import dev.tether.ws.codec.handshake.HandshakeResult;
import dev.tether.ws.codec.handshake.HttpHeadParser;
import dev.tether.ws.codec.handshake.HttpHeaders;
import dev.tether.ws.codec.handshake.HttpResponseHead;
import dev.tether.ws.spi.ConnectAbort;
import dev.tether.ws.spi.ConnectTrace;
import dev.tether.ws.spi.Connection;
import dev.tether.ws.spi.ConnectionListener;
import dev.tether.ws.spi.Endpoint;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection of a {@link WebSocket}, from the TCP connect to the end: the opening handshake
 * (RFC 6455 section 4), reading (frames through the codec's {@link FrameDecoder}, messages
 * joined), writing (frames masked, never interleaved), keep-alive, and the close handshake in
 * both directions (section 7). Every transport feeds it the same way, so every transport has
 * these semantics.
 *
 * <p>Life cycle, read top to bottom; its states are {@link Lifecycle}'s, changed only there:
 * <ol>
 *   <li>{@link #open}: connect, send the upgrade request, wait for the reader to see the 101.
 *       A {@link #close} or {@link #abort} meanwhile calls the connect off ({@link ConnectAbort})
 *       and the connection never becomes OPEN.</li>
 *   <li>Reader thread, {@link #onData}: the response head, then frames, until the end.</li>
 *   <li>Closing: a close frame sent ({@link #close}, or on a protocol error) and/or received
 *       ({@link #onClose}); the server then closes TCP, bounded by the close timeout.</li>
 *   <li>{@link #finish}: exactly once; the WebSocket learns the code and reason.</li>
 * </ol>
 *
 * <p>Threads: the transport's reader calls {@link #onData} and {@link #onClosed} (never at the
 * same time); users' threads call {@link #send} and {@link #close}; timeouts run on virtual
 * threads started by the shared timer. Writes are serialised by {@code writeLock}.
 */
final class Session implements ConnectionListener, MessageHandler {
    // Fields, not AtomicReferences: ten thousand idle connections each keep them.
    private static final java.lang.invoke.VarHandle PENDING_PONG;
    private static final java.lang.invoke.VarHandle PENDING_CLOSE;

    static {
        try {
            var lookup = java.lang.invoke.MethodHandles.lookup();
            PENDING_PONG = lookup.findVarHandle(Session.class, "pendingPong", ByteBuffer.class);
            PENDING_CLOSE = lookup.findVarHandle(Session.class, "pendingClose", ClosePayload.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final System.Logger LOG = System.getLogger(WebSocket.class.getName());
    /** How long the reader waits for a writer before it leaves a close answer to others. */
    private static final long READER_LOCK_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final WebSocket ws;
    private final Config config;
    private final Lifecycle lifecycle = new Lifecycle();
    /** What only {@link #open} needs; null once it returned, so an open connection holds none of it. */
    private volatile Opening opening = new Opening();
    /** Null when keep-alive is off. */
    private final KeepAlive keepAlive;
    /** Null without a TrafficListener. */
    private final Traffic traffic;
    /** Dropped with the parser once the response is validated, as is the request it holds. */
    private ClientHandshake handshake;
    private final FrameDecoder decoder;
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Pauses reading while the WebSocket's consumers are behind; the reader never waits. */
    private final ReadGate readGate;

    // Owned by the reader thread.
    /** Dropped once the response head is read: an open connection keeps no handshake state. */
    private HttpHeadParser<HttpResponseHead> headParser = HttpHeadParser.forResponses();
    /** Fixed as the session starts: data messages go to the STREAM handler as they arrive. */
    private final boolean streaming;
    private final Reassembly reassembly;
    private boolean upgraded;

    // Guarded by writeLock.
    private final ReentrantLock writeLock = new ReentrantLock();
    private final FrameWriter writer = new FrameWriter(Role.CLIENT);
    /** permessage-deflate, once the server agreed to it; set by the reader before OPEN. */
    private volatile Compression.Codec deflate;
    /**
     * The latest ping not answered yet, while a large send holds the write lock: RFC 6455 section
     * 5.5.3 lets us answer only the most recent one, so a ping flood costs one buffer, not a
     * thread per ping.
     */
    private volatile ByteBuffer pendingPong;
    /** A close answer the reader could not write itself: see {@link #closeFromReader}. */
    private volatile ClosePayload pendingClose;
    /**
     * Set while a close answer the reader left to another thread is not yet written: reading
     * waits meanwhile ({@link ReadGate}). A server may end its side of TCP right after its close
     * (Jetty does); read on, the transport would meet that end and close the socket before the
     * answer RFC 6455 section 5.5.1 asks for had gone out.
     */
    private volatile boolean closeAnswerOwed;
    /**
     * Frames that a handler on a reading thread ({@link WebSocket.Builder#inlineHandlers}) sent
     * while another sender held writeLock, in order: that sender may be waiting for a full socket
     * which only the blocked reading thread would drain. Written by the next holder (or a
     * standby thread). Made on first use: most connections never defer.
     */
    private volatile java.util.concurrent.ConcurrentLinkedQueue<Deferred> deferred;

    private record Deferred(boolean fin, int opcode, ByteBuffer payload, Origin origin) {
    }

    /**
     * Where a frame to send comes from, which decides two things: whether {@link Event#SENT}
     * fires once it is written, and whether its buffer may be written from directly.
     */
    enum Origin {
        /** The engine's own (a pong answering a ping, a keep-alive ping): no SENT. */
        ENGINE(false, false),
        /**
         * The user's buffer, which senders on other threads may share and whose position must
         * never move: written from a duplicate.
         */
        USER(true, false),
        /**
         * A buffer made for this call (a wrapped array) that no other thread sees: written from
         * directly, its position restored after, instead of from a duplicate made per message.
         */
        USER_CALL(true, true);

        final boolean announces;
        final boolean ownsBuffer;

        Origin(boolean announces, boolean ownsBuffer) {
            this.announces = announces;
            this.ownsBuffer = ownsBuffer;
        }
    }

    private static final class Opening {
        /** Closes what the transport has opened so far when the session ends during {@link #open}. */
        final ConnectAbort connectAbort = new ConnectAbort();
        /** The 101 checked out, or the handshake failed, or the session ended. */
        final CountDownLatch handshakeDone = new CountDownLatch(1);
        final CountDownLatch openFired = new CountDownLatch(1);
    }

    // Written by one thread, read by others.
    private volatile Connection connection;
    private volatile Exception handshakeFailure;
    private volatile HandshakeResult handshakeResult;
    /** The 101's head, kept only when the builder asked for it. */
    private volatile HttpResponseHead response;
    /** Set with the move to OPEN: this connection was open at some point. */
    private volatile boolean opened;
    /** Guarded by writeLock (volatile for readers outside it): nothing more may be sent. */
    private volatile boolean closeSent;
    private volatile boolean closeReceived;
    /** The server's close came before ours: it started the close handshake. */
    private volatile boolean serverClosedFirst;
    /** A protocol error was found: what else arrives is discarded until the connection ends. */
    private volatile boolean failed;
    /** What {@link Event#CLOSE} will report; set before {@link #finish} by whoever ends it. */
    private volatile int closeCode = CloseCodes.ABNORMAL;
    private volatile String closeReason = "";
    private volatile long lastReadNanos;
    /** True while the reader is handling what it read: the keep-alive must not take it for silence. */
    private volatile boolean inOnData;
    private volatile ScheduledFuture<?> closeTimer;

    /** @param keepAlive ping interval; null or zero for none */
    Session(WebSocket ws, Config config, Duration keepAlive) {
        this.ws = ws;
        this.config = config;
        this.keepAlive = keepAlive == null || keepAlive.isZero() || keepAlive.isNegative() ? null
                : new KeepAlive(this, keepAlive, config.pongTimeoutFor(keepAlive));
        this.handshake = config.handshake().build();
        this.traffic = config.trafficListener() == null ? null : new Traffic(config.trafficListener());
        this.streaming = ws.streams();
        this.reassembly = new Reassembly(ws, traffic, streaming, config.maxQueuedBytes(), this::relieved);
        this.decoder = new FrameDecoder(Role.CLIENT, limits(), this);
        // Once our close is sent, the server's answer must be read although the consumers are
        // behind (it waits behind their data): what arrives meanwhile is bounded by what the
        // server had sent before our close, so the queues may pass their bound by that much. A
        // stream still holds its bound: its handler is reading, or the close timeout ends it.
        this.readGate = new ReadGate(() -> closeAnswerOwed || reassembly.behind() || (!closeSent && ws.behind()));
    }

    /** The buffered path's limits, or the streamed one's: frames and messages up to maxStreamedMessageSize. */
    private DecoderLimits limits() {
        return streaming ? new DecoderLimits(config.maxStreamedMessageSize(), config.maxStreamedMessageSize())
                : config.limits();
    }

    // ---- 1. Opening -------------------------------------------------------------------------

    /**
     * Connects and completes the opening handshake before {@code deadlineNanos}; on success the
     * WebSocket is OPEN and its {@link Event#OPEN} handler has run.
     *
     * @throws IOException, HandshakeException, InterruptedException why it failed
     */
    void open(long deadlineNanos) throws Exception {
        try {
            open(opening, deadlineNanos);
        } finally {
            opening = null;
        }
    }

    private void open(Opening o, long deadlineNanos) throws Exception {
        WsUrl url = config.url();
        ConnectEvent event = new ConnectEvent();
        event.begin();
        ConnectTrace trace = new ConnectTrace();
        boolean transportDone = false;
        try {
            Endpoint endpoint = new Endpoint(url.host(), url.port(), url.secure(), config.tls(),
                    deadlineNanos - System.nanoTime(), config.writeTimeout(), config.resolver(), o.connectAbort,
                    config.proxy().forUrl(url), trace, config.socket());
            Connection c = config.transport().open(endpoint, this);
            transportDone = true;
            connection = c;
            readGate.attach(c);
            // finish() closes the connection it finds, and calls off the connect: whichever of the
            // two comes second sees the other, so a session ended meanwhile leaks no socket.
            if (lifecycle.over()) {
                c.close();
                throw endedWhileConnecting();
            }
            writeLock.lock();
            try {
                ByteBuffer request = handshake.requestBytes();
                if (traffic != null) {
                    traffic.bytesWritten(request.remaining());
                }
                connection.write(request);
            } finally {
                writeLock.unlock();
            }
            connection.startReading();
            if (!o.handshakeDone.await(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                throw new SocketTimeoutException("no handshake response from " + url + " within the connect timeout");
            }
            if (handshakeFailure != null) {
                throw handshakeFailure;
            }
            if (!opened) {
                throw endedWhileConnecting();
            }
            event.finish(config, trace, true, null);
        } catch (Exception e) {
            event.finish(config, trace, transportDone, e);
            abort(CloseCodes.ABNORMAL, "connect failed: " + e.getMessage(), null);
            throw e;
        }
        // OPEN fires before connect returns; a slow OPEN handler cannot hold it past the deadline.
        // From a handler, the OPEN handler runs only after the caller's returns: do not wait for it.
        if (!ws.inHandler()) {
            o.openFired.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private IOException endedWhileConnecting() {
        return new java.io.InterruptedIOException("the connection was closed while connecting"
                + (closeReason.isEmpty() ? "" : ": " + closeReason));
    }

    State state() {
        return lifecycle.get();
    }

    Optional<HttpResponseHead> handshakeResponse() {
        return Optional.ofNullable(response);
    }

    Optional<String> subprotocol() {
        HandshakeResult r = handshakeResult;
        return r == null ? Optional.empty() : r.subprotocol();
    }

    java.util.List<dev.tether.ws.codec.handshake.ExtensionSpec> extensions() {
        HandshakeResult r = handshakeResult;
        return r == null ? java.util.List.of() : r.extensions();
    }

    void onOpenHandlerDone() {
        Opening o = opening;
        if (o != null) {  // else open() has returned: nobody waits
            o.openFired.countDown();
        }
    }

    /** Lets {@link #open} go on: the 101 checked out, or it will never come. */
    private void handshakeDone() {
        Opening o = opening;
        if (o != null) {  // else open() has returned (timed out): nobody waits
            o.handshakeDone.countDown();
        }
    }

    // ---- 2. Reading (reader thread) -------------------------------------------------------

    /**
     * Never waits for a consumer (on NIO this is the event loop): messages go to the consumers
     * at once, and when they are behind the connection pauses ({@link ReadGate}). An answer to
     * write (a pong, a close) waits for another writer briefly at most ({@link #closeFromReader},
     * {@link #onPing}).
     */
    @Override
    public void onData(ByteBuffer data) {
        if (traffic != null) {
            traffic.bytesRead(data.remaining());
        }
        lastReadNanos = System.nanoTime();
        inOnData = true;
        try {
            read(data);
        } finally {
            inOnData = false;
            lastReadNanos = System.nanoTime();
        }
        readGate.afterRead();
    }

    /** A consumer made room (any thread). */
    void relieved() {
        readGate.relieved();
    }

    private void read(ByteBuffer data) {
        if (!upgraded && !readHandshakeResponse(data)) {
            return;
        }
        if (failed || lifecycle.over()) {
            data.position(data.limit());
            return;
        }
        try {
            decoder.decode(data);
        } catch (ProtocolException e) {
            failProtocol(e);
        }
    }

    /** Feeds the response head; true once upgraded, with {@code data} left at the first frame byte. */
    private boolean readHandshakeResponse(ByteBuffer data) {
        HttpResponseHead head;
        HandshakeResult result;
        DeflateParams params;
        try {
            Optional<HttpResponseHead> headParsed = headParser.parse(data);
            if (headParsed.isEmpty()) {
                return false;
            }
            head = headParsed.get();
            result = handshake.validate(head);
            Compression compression = config.compression();
            params = compression == null ? null : compression.negotiate(result);
        } catch (HandshakeException e) {
            handshakeFailure = e;
            handshakeDone();
            return false;
        }
        upgraded = true;
        headParser = null;
        handshake = null;
        if (!lifecycle.open()) {
            handshakeDone();  // closed while the 101 was on its way: never OPEN
            data.position(data.limit());
            return false;
        }
        opened = true;
        if (params != null) {
            // Before any frame is decoded (this thread decodes them); a send that slips in first
            // goes uncompressed, which RFC 7692 allows for any message.
            deflate = new Compression.Codec(params, config.compression(), limits().maxMessageSize());
            writeLock.lock();
            try {
                deflate.install(decoder, writer);
                if (lifecycle.over()) {
                    deflate.endDeflater();  // finish() ran before deflate was set; ending twice is safe
                }
            } finally {
                writeLock.unlock();
            }
        }
        // Unless the user asked for the head, an open connection keeps only what it negotiated,
        // not the head's strings; and nothing when it negotiated nothing (null reads as none).
        if (result.subprotocol().isPresent() || !result.extensions().isEmpty()) {
            handshakeResult = new HandshakeResult(result.subprotocol(), result.extensions(), HttpHeaders.empty());
        }
        if (config.keepHandshakeResponse()) {
            response = head;
        }
        ws.opened(this);
        if (keepAlive != null) {
            keepAlive.start();
        }
        handshakeDone();
        return true;
    }

    @Override
    public void onMessageStart(int opcode) {
        reassembly.start(opcode, -1);
    }

    @Override
    public void onMessageStart(int opcode, long size) {
        reassembly.start(opcode, size);
    }

    @Override
    public void onWholeMessage(int opcode, ByteBuffer payload) {
        reassembly.whole(opcode, payload);
    }

    @Override
    public void onMessageData(ByteBuffer chunk) {
        reassembly.data(chunk);
    }

    @Override
    public void onMessageEnd() {
        reassembly.end();
    }

    @Override
    public void onPing(ByteBuffer payload) {
        // Section 5.5.2: answer with a pong carrying the same payload, unless closing.
        if (closeSent) {
            return;
        }
        if (writeLock.tryLock()) {
            try {
                send(true, Opcodes.PONG, payload);
            } finally {
                writeLock.unlock();
            }
        } else if (PENDING_PONG.getAndSet(this, copy(payload)) == null) {
            // A user's large send holds the lock and may wait for the server to read, while the
            // server may wait for us to read: answer from another thread and keep reading. Pings
            // that come meanwhile only replace the payload to answer (section 5.5.3).
            Thread.ofVirtual().name("tether-pong").start(this::sendPendingPongs);
        }
    }

    /**
     * Takes the payload only once it holds the lock: while it waits, later pings find the slot
     * full and start no thread. So at most two exist, one sending and one waiting.
     */
    private void sendPendingPongs() {
        writeLock.lock();
        try {
            ByteBuffer p = (ByteBuffer) PENDING_PONG.getAndSet(this, (ByteBuffer) null);
            if (p != null) {
                send(true, Opcodes.PONG, p);
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void onPong(ByteBuffer payload) {
        if (traffic != null) {
            traffic.ponged(payload);
        }
        ws.ponged(copy(payload));
    }

    @Override
    public void onClose(int code, String reason) {
        closeReceived = true;
        if (!closeSent) {
            serverClosedFirst = true;
            // Section 5.5.1: answer a close with a close, echoing the status code.
            closeCode = code;
            closeReason = reason;
            closeFromReader(code == CloseCodes.NO_STATUS ? ClosePayload.EMPTY : new ClosePayload(code, ""));
        } else if (closeCode == CloseCodes.ABNORMAL) {
            closeCode = code;     // we asked to close; report the server's answer
            closeReason = reason;
        }
        lifecycle.closing();
        // Section 7.1.1: the server closes TCP first; give it the close timeout to do so.
        scheduleCloseTimeout("the server did not close the connection after the close handshake");
    }

    /**
     * Section 7.1.7: fail the connection with the violation's code, then wait for the server.
     * Messages that arrived whole before the violation are handled first (a handler may still
     * answer them), as if the reader had stopped right at the bad frame: the close frame goes from
     * a virtual thread once the handlers are done (for at most a second), not from the reader.
     */
    private void failProtocol(ProtocolException e) {
        failed = true;
        LOG.log(System.Logger.Level.DEBUG, () -> "protocol error from " + config.url() + ": " + e.getMessage());
        ws.error(e);  // after those messages: handlers run in event order
        ProtocolErrorEvent.emit(config.url().text(), e.closeCode(), e.getMessage());
        ClosePayload close = null;
        if (!closeSent) {
            closeCode = e.closeCode();
            closeReason = truncate(e.getMessage());
            close = new ClosePayload(closeCode, closeReason);
        }
        ClosePayload payload = close;
        // The state stays OPEN until the handlers are done: their answers may still be sent.
        Thread.ofVirtual().name("tether-protocol-error").start(() -> {
            ws.awaitHandlers(Math.min(config.closeTimeout().toNanos(), TimeUnit.SECONDS.toNanos(1)));
            if (payload != null) {
                sendClose(payload);
            }
            lifecycle.closing();
            scheduleCloseTimeout("the server did not close the connection after a protocol error");
        });
    }

    @Override
    public void onClosed(IOException cause) {
        Compression.Codec d = deflate;
        if (d != null) {
            d.endInflater();  // here, on the reader's thread: nothing can be inflating any more
        }
        if (!upgraded) {
            handshakeFailure = cause != null ? cause
                    : new IOException("the server closed the connection before answering the handshake");
            handshakeDone();
            finish(CloseCodes.ABNORMAL, "no handshake");
            return;
        }
        if (closeReceived || failed || lifecycle.over()) {
            finish(closeCode, closeReason);
            return;
        }
        String why = cause == null ? "the server closed the connection without a close frame"
                : "connection lost: " + cause.getMessage();
        if (cause != null && !closeSent) {
            ws.error(cause);
        }
        finish(CloseCodes.ABNORMAL, closeSent ? "the server closed the connection without answering the close" : why);
    }

    // ---- Writing (any thread) -------------------------------------------------------------

    /**
     * Sends one frame of the engine's own ({@link Origin#ENGINE}).
     *
     * @return false, with nothing sent, once a close frame was sent or the connection ended
     * @throws IllegalArgumentException, IllegalStateException from the codec's send rules,
     *     before anything is written
     */
    boolean send(boolean fin, int opcode, ByteBuffer payload) {
        return send(fin, opcode, payload, Origin.ENGINE);
    }

    /**
     * Sends one frame. For a user's frame {@link Event#SENT} fires once it is written, which for
     * a frame deferred behind another sender is later, on the thread that writes it (and never,
     * if the connection ends first).
     *
     * @return false, with nothing sent, once a close frame was sent or the connection ended;
     *     true once written or deferred
     */
    boolean send(boolean fin, int opcode, ByteBuffer payload, Origin origin) {
        if (HandlerDispatch.onReaderInHandler()) {
            return sendFromReader(fin, opcode, payload, origin);
        }
        writeLock.lock();
        return sendAndUnlock(fin, opcode, payload, origin);
    }

    /**
     * {@link #send(boolean, int, ByteBuffer, Origin)} of a user's whole array ({@code
     * send(byte[])}; SENT once written): header and array go straight into the lent write
     * buffer and are masked there, with no ByteBuffer made around the array per message. With
     * compression, a traffic listener, or from an inline handler, the array takes the general
     * path instead.
     */
    boolean send(boolean fin, int opcode, byte[] payload) {
        if (deflate != null || traffic != null || HandlerDispatch.onReaderInHandler()) {
            return send(fin, opcode, ByteBuffer.wrap(payload), Origin.USER_CALL);
        }
        writeLock.lock();
        try {
            flushDeferred();
            if (closeSent || lifecycle.over()) {
                return false;
            }
            writeArrayFrame(fin, opcode, payload);
            ws.sent();  // queues the handler call: nothing of the user's runs under this lock
            return true;
        } catch (IOException e) {
            abort(CloseCodes.ABNORMAL, "write failed: " + e.getMessage(), e);
            return false;
        } finally {
            flushAndUnlock();
        }
    }

    /**
     * From a handler on a reading thread, which must not wait for another sender: it writes at
     * once when the lock is free (after a brief wait, as the reader's own answers do) and nothing
     * deferred is ahead of it, and otherwise defers the frame behind the holder's.
     */
    private boolean sendFromReader(boolean fin, int opcode, ByteBuffer payload, Origin origin) {
        var queue = deferred;
        if ((queue == null || queue.isEmpty()) && tryWriteLockBriefly()) {
            return sendAndUnlock(fin, opcode, payload, origin);
        }
        if (closeSent || lifecycle.over()) {
            return false;
        }
        FrameWriter.checkShape(fin, opcode, payload.remaining());  // refused now, not at the flush
        if (queue == null) {
            queue = new java.util.concurrent.ConcurrentLinkedQueue<>();
            deferred = queue;  // one reader per connection: only it creates the queue
        }
        // The copy is the deferral's own: written from directly.
        queue.add(new Deferred(fin, opcode, copy(payload), origin.announces ? Origin.USER_CALL : Origin.ENGINE));
        Thread.ofVirtual().name("tether-deferred-send").start(() -> {
            writeLock.lock();
            flushAndUnlock();
        });
        return true;
    }

    /** Holds writeLock; releases it. */
    private boolean sendAndUnlock(boolean fin, int opcode, ByteBuffer payload, Origin origin) {
        try {
            flushDeferred();
            return sendLocked(fin, opcode, payload, origin);
        } finally {
            flushAndUnlock();
        }
    }

    /** Holds writeLock: the deferred frames and a close answer left for the holder, then unlocks. */
    private void flushAndUnlock() {
        try {
            flushDeferred();
            if (pendingClose != null) {
                sendPendingClose();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Holds writeLock. */
    private void flushDeferred() {
        var queue = deferred;
        if (queue == null) {
            return;
        }
        Deferred d;
        while ((d = queue.poll()) != null) {
            try {
                sendLocked(d.fin, d.opcode, d.payload, d.origin);
            } catch (IllegalStateException e) {
                ws.error(e);  // a fragment out of order with another thread's message: as if sent then
            }
        }
    }

    /** Holds writeLock. */
    private boolean sendLocked(boolean fin, int opcode, ByteBuffer payload, Origin origin) {
        try {
            if (closeSent || lifecycle.over()) {
                return false;
            }
            if (traffic != null && opcode == Opcodes.PING) {
                traffic.pingSending(payload);  // before the write: the pong may be read before it returns
            }
            writeFrame(fin, opcode, payload, origin.ownsBuffer);
            if (traffic != null) {
                traffic.frameSent(fin, opcode, payload);
            }
            if (origin.announces) {
                ws.sent();  // queues the handler call: nothing of the user's runs under this lock
            }
            return true;
        } catch (IOException e) {
            abort(CloseCodes.ABNORMAL, "write failed: " + e.getMessage(), e);
            return false;
        }
    }

    /**
     * Writes header and payload, masking into a lent buffer a chunk at a time; the payload's
     * position is as it was after ({@code ours}: see {@link Origin#USER_CALL}).
     * Holds writeLock.
     */
    private void writeFrame(boolean fin, int opcode, ByteBuffer payload, boolean ours) throws IOException {
        if (ours) {
            int start = payload.position();
            try {
                writeFrameFrom(fin, opcode, payload);
            } finally {
                payload.position(start);  // traffic.frameSent reads it after
            }
        } else {
            writeFrameFrom(fin, opcode, payload.duplicate());
        }
    }

    /** Holds writeLock; consumes {@code src}. */
    private void writeFrameFrom(boolean fin, int opcode, ByteBuffer src) throws IOException {
        int rsv = 0;
        Compression.Codec d = deflate;
        writer.check(fin, 0, opcode, src.remaining());  // a bad frame is refused before any state changes
        if (d != null && d.compresses(fin, opcode, src.remaining())) {
            rsv = opcode == Opcodes.CONTINUATION ? 0 : 0x4;  // RFC 7692 section 6: RSV1 on the first frame only
            src = d.deflate(src, fin);
        }
        ByteBuffer out = WriteBuffers.POOL.take();
        try {
            if (src.remaining() <= WriteBuffers.CHUNK) {
                // The frame fits one buffer: header and masked payload in one step (the codec's
                // short path for the small data frames most traffic is made of).
                writer.writeFrame(out, fin, rsv, opcode, src);
                if (traffic != null) {
                    traffic.bytesWritten(out.position());
                }
                connection.write(out.flip());
                return;
            }
            int key = writer.writeHeader(out, fin, rsv, opcode, src.remaining());
            long offset = 0;
            do {
                int n = Math.min(src.remaining(), out.remaining());
                int limit = src.limit();
                src.limit(src.position() + n);
                Masker.maskCopy(src, out, key, offset);
                src.limit(limit);
                offset += n;
                if (traffic != null) {
                    traffic.bytesWritten(out.position());
                }
                connection.write(out.flip());
                out.clear();
            } while (src.hasRemaining());
        } finally {
            WriteBuffers.POOL.give(out);
        }
    }

    /**
     * {@link #writeFrameFrom} for an array, no compression: the payload is copied into the lent
     * buffer after the header and masked in place (RFC 6455 section 5.3), a chunk at a time.
     * Holds writeLock.
     */
    private void writeArrayFrame(boolean fin, int opcode, byte[] payload) throws IOException {
        ByteBuffer out = WriteBuffers.POOL.take();
        try {
            // Refuses a bad frame (IllegalArgumentException, IllegalStateException) before any state changes.
            int key = writer.writeHeader(out, fin, 0, opcode, payload.length);
            int done = 0;
            do {
                int n = Math.min(payload.length - done, out.remaining());
                int at = out.position();
                out.put(payload, done, n);
                Masker.mask(out, at, at + n, key, done);
                done += n;
                connection.write(out.flip());
                out.clear();
            } while (done < payload.length);
        } finally {
            WriteBuffers.POOL.give(out);
        }
    }

    /**
     * Answers from the reader, at once: a writer holding the lock is waited for, briefly (a frame
     * being written takes microseconds, and Jetty's server ended the connection when the answer
     * came late, in about 1 of 70 round trips). A writer that holds it longer may be stuck on a
     * full socket, which on NIO only this loop can drain: then the writer sends the answer as
     * soon as its frame is out, and a virtual thread stands by in case it was letting go; reading
     * pauses until the answer is written ({@link #closeAnswerOwed}).
     */
    private void closeFromReader(ClosePayload close) {
        if (tryWriteLockBriefly()) {
            try {
                sendClose(close);
            } finally {
                writeLock.unlock();
            }
            return;
        }
        closeAnswerOwed = true;  // the reader pauses after this read (onData's afterRead)
        pendingClose = close;
        Thread.ofVirtual().name("tether-close").start(() -> {
            writeLock.lock();
            try {
                sendPendingClose();
            } finally {
                writeLock.unlock();
            }
        });
    }

    private boolean tryWriteLockBriefly() {
        try {
            return writeLock.tryLock(READER_LOCK_WAIT_NANOS, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Holds writeLock: a close answer the reader left for whoever holds the lock. */
    private void sendPendingClose() {
        ClosePayload close = (ClosePayload) PENDING_CLOSE.getAndSet(this, (ClosePayload) null);
        if (close != null) {
            sendClose(close);
        }
    }

    private void sendClose(ClosePayload close) {
        writeLock.lock();
        try {
            if (!closeSent && !lifecycle.over()) {
                closeSent = true;
                writeFrame(true, Opcodes.CLOSE, ByteBuffer.wrap(close.toBytes()), true);
            }
        } catch (IOException e) {
            abort(CloseCodes.ABNORMAL, "sending the close frame failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
        closeAnswerOwed = false;  // written, or there is no connection left to write it to
        readGate.relieved();  // a reader paused for the consumers (or for this) reads on to the server's answer
    }

    // ---- 3. Closing -------------------------------------------------------------------------

    /**
     * Starts the close handshake (section 7.1.2); {@link #awaitClosed} waits for its end. While
     * connecting, calls the connect off instead: there is no WebSocket connection to close yet.
     */
    void close(ClosePayload close) {
        switch (lifecycle.get()) {
            case CONNECTING -> abort(CloseCodes.ABNORMAL, "closed before the handshake completed", null);
            case OPEN -> {
                if (HandlerDispatch.onReaderInHandler()) {
                    closeFromReader(close);  // never waits for a sender stuck on a socket we drain
                } else {
                    sendClose(close);
                }
                lifecycle.closing();
                scheduleCloseTimeout("the server did not answer the close within "
                        + config.closeTimeout().toMillis() + " ms");
            }
            case CLOSING, CLOSED -> {
                // Under way or done already.
            }
        }
    }

    boolean awaitClosed(long nanos) throws InterruptedException {
        return closed.await(nanos, TimeUnit.NANOSECONDS);
    }

    boolean isOver() {
        return lifecycle.over();
    }

    private void scheduleCloseTimeout(String why) {
        if (closeTimer == null) {
            // On a virtual thread: ending a connection may wait (the write lock, TLS close_notify).
            closeTimer = Timers.afterOnVirtualThread(config.closeTimeout().toNanos(),
                    () -> abort(CloseCodes.ABNORMAL, why, null));
            if (lifecycle.over()) {
                closeTimer.cancel(false);  // finish() ran before the timer was set
            }
        }
    }

    /**
     * Ends the connection from this side without waiting for anyone. {@code error}, when given,
     * goes to {@link Event#ERROR}. The code and reason are kept if a close frame already set them.
     */
    void abort(int code, String reason, Throwable error) {
        if (lifecycle.over()) {
            return;
        }
        if (error != null) {
            ws.error(error);
        }
        if (!closeReceived && !failed) {
            closeCode = code;
            closeReason = reason;
        }
        finish(closeCode, closeReason);
    }

    /** Exactly once: stop timers, close the socket, tell the WebSocket. */
    private void finish(int code, String reason) {
        State from = lifecycle.end();
        if (from == null) {
            return;
        }
        Opening o = opening;
        if (o != null) {
            o.connectAbort.abort(reason);  // a connect in progress: DNS, TCP and TLS end now
        }
        if (closeTimer != null) {
            closeTimer.cancel(false);
        }
        if (keepAlive != null) {
            keepAlive.stop();
        }
        pendingPong = null;
        Connection c = connection;
        if (c != null) {
            c.close();  // first: a writer waiting on a stalled peer fails and lets go of the lock
        }
        handshakeDone();  // open() stops waiting for a 101 that will not matter
        Compression.Codec d = deflate;
        if (d != null) {
            writeLock.lock();
            try {
                d.endDeflater();  // native zlib memory, freed now rather than by the collector
            } finally {
                writeLock.unlock();
            }
        }
        reassembly.fail(code, reason);
        if (opened) {
            CloseEvent.emit(config.url().text(), code, reason,
                    closeReceived ? (serverClosedFirst ? "server" : "client") : closeSent ? "client" : "none");
        }
        ws.ended(this, opened, code, reason);  // the state is CLOSED before close() returns
        closed.countDown();
    }

    // ---- Keep-alive (KeepAlive's view of the session) --------------------------------------

    /** False when nothing can be sent any more. */
    boolean sendPing() {
        return !closeSent && !lifecycle.over() && send(true, Opcodes.PING, ByteBuffer.allocate(0));
    }

    /** True when something was read at or after {@code nanos} (System.nanoTime). */
    boolean readSince(long nanos) {
        return lastReadNanos - nanos >= 0;
    }

    /**
     * True when nothing has been read since {@code nanos} and the reader is not merely paused
     * for a slow consumer.
     */
    boolean silentSince(long nanos) {
        return lastReadNanos - nanos < 0 && !inOnData && !readGate.paused() && !lifecycle.over();
    }

    // ---- Helpers ----------------------------------------------------------------------------

    private static ByteBuffer copy(ByteBuffer payload) {
        ByteBuffer c = ByteBuffer.allocate(payload.remaining());
        c.put(payload.duplicate()).flip();
        return c.asReadOnlyBuffer();
    }

    /** A reason that fits a close frame: at most 123 UTF-8 bytes, cut on a character boundary. */
    static String truncate(String reason) {
        if (reason == null) {
            return "";
        }
        byte[] b = reason.getBytes(StandardCharsets.UTF_8);
        if (b.length <= CloseCodes.MAX_REASON_BYTES) {
            return reason;
        }
        int end = CloseCodes.MAX_REASON_BYTES;
        while (end > 0 && (b[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }
}
