package dev.tether.ws;

import dev.tether.ws.codec.ClosePayload;
import dev.tether.ws.codec.CloseCodes;
import dev.tether.ws.codec.DecoderLimits;
import dev.tether.ws.codec.FrameWriter;
import dev.tether.ws.codec.Opcodes;
import dev.tether.ws.codec.deflate.DeflateOffer;
import dev.tether.ws.codec.handshake.ExtensionSpec;
import dev.tether.ws.codec.ProtocolException;
import dev.tether.ws.codec.handshake.ClientHandshake;
import dev.tether.ws.codec.handshake.HttpResponseHead;
import dev.tether.ws.spi.SocketSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A WebSocket client with the API of the LuatOS {@code websocket} module:
 *
 * <pre>{@code
 * WebSocket ws = WebSocket.create("ws://example.com/chat");        // websocket.new(url)
 * ws.on(Event.MESSAGE, m -> System.out.println(m.text()));         // ws:on("message", f)
 * while (!ws.connect(Duration.ofSeconds(20))) Thread.sleep(2000);  // while not ws:connect(20000) ...
 * ws.sendFrame(true, Opcode.TEXT, "www.openluat.com");             // ws:sendFrame(true, 0x1, ...)
 * Received r = ws.recv();                                          // local result, data = ws:recv()
 * ws.close();                                                      // ws:close()
 * }</pre>
 *
 * <p>Or let {@link #start(Duration, Consumer, Duration)} run the connection: connect, hand every
 * message to {@code proc}, ping every {@code keepAlive}, reconnect after {@code reconnTime}, until
 * {@link #exit()}.
 *
 * <p><b>Who gets a message.</b> Every message fires {@link Event#MESSAGE} as it arrives, and is
 * queued for {@link #recv()}. {@code start} reads that queue itself and hands each message to its
 * {@code proc}: while {@code start} runs, do not call {@code recv} (the two would share the
 * messages). Until {@code recv} or {@code start} is first called, a program that registered a
 * {@link Event#MESSAGE} handler keeps only its most recent message queued: the handler had them
 * all, and an event-driven program should not hold what it will never ask for.
 *
 * <p><b>Slow consumers.</b> Nothing received is dropped, and nothing piles up without bound:
 * when {@code recv}'s queue holds {@link Builder#maxQueuedBytes} bytes, or the {@link Event#MESSAGE}
 * handler is that many bytes behind, the connection stops reading until there is room, which
 * pushes back on the server through TCP. Meanwhile the keep-alive does not count the unread
 * socket against the link.
 *
 * <p>Thread-safe: any thread may send, close or read the state. Handlers run one at a time, in
 * event order, on a virtual thread per WebSocket.
 */
public final class WebSocket implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WebSocket.class.getName());

    private final Config config;
    private final HandlerDispatch handlers;
    private final Inbox inbox;
    /** Made by the first {@code start}: a WebSocket that never runs it holds none. */
    private volatile Supervisor supervisor;
    /** Null unless the builder asked for one. */
    private final Outbox outbox;

    /** Guards session changes. */
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock connectLock = new ReentrantLock();
    /** Guarded by lock for changes; volatile for reads. The state is the session's. */
    private volatile Session session;
    /** The state before the first connect: CONNECTING, or CLOSED once closed without one. */
    private volatile State stateWithoutSession = State.CONNECTING;

    private WebSocket(Config config) {
        this.config = config;
        this.handlers = new HandlerDispatch(config.url().text(), config.maxQueuedBytes(), config.inlineHandlers(),
                this::relieved);
        this.inbox = new Inbox(config.maxQueuedBytes(), this::relieved);
        OutboxSettings o = config.outbox();
        this.outbox = o == null ? null : new Outbox(this, o.maxMessages(), o.maxBytes(), o.onFull());
    }

    // ---- websocket.new(url, cert) -----------------------------------------------------------

    /** The seed's {@code websocket.new(url)}: no I/O yet. */
    public static WebSocket create(String url) {
        return builder(url).build();
    }

    /** The seed's {@code websocket.new(url, cert)}. */
    public static WebSocket create(String url, TlsOptions cert) {
        return builder(url).tls(cert).build();
    }

    /** For everything else: headers, subprotocols, transport, limits, timeouts. */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    // ---- ws:on(event, callback) -------------------------------------------------------------

    /**
     * Registers the handler for {@code event}, replacing an earlier one (as in the seed); null
     * removes it. Returns this WebSocket for chaining.
     */
    public <H> WebSocket on(Event<H> event, H handler) {
        handlers.set(event, handler);
        return this;
    }

    // ---- ws:connect(timeout) ----------------------------------------------------------------

    /** {@link #connect(Duration)} in milliseconds, as the seed counts. */
    public boolean connect(long timeoutMillis) {
        return connect(Duration.ofMillis(timeoutMillis));
    }

    /**
     * Connects: TCP, TLS for {@code wss}, and the opening handshake, all within {@code timeout}.
     * Returns true once the server's 101 answer checked out and {@link Event#OPEN} has fired;
     * false for any failure (refused, unknown host, timeout, TLS, a bad answer), whose cause
     * goes to {@link Event#ERROR} and stays readable in {@link #lastError()}. Never throws for a
     * network failure. True at once if already open; may be called again once closed.
     *
     * <p>A {@code close()} or {@code exit()} from another thread while this runs calls it off at
     * whatever step it is (DNS, TCP, TLS, the upgrade): it returns false and the connection never
     * becomes OPEN. From a handler it returns as soon as the server's answer checked out (the
     * OPEN handler then runs after the calling handler returns).
     */
    public boolean connect(Duration timeout) {
        HandlerDispatch.refuseOnReader("connect()");
        return connect(timeout, config.pingInterval(), () -> false);
    }

    /**
     * @param keepAlive ping interval for this connection; null or zero for none
     * @param calledOff checked once the new session is in place: true abandons it (exit() sets
     *     its flag before it closes the session it finds, so one of the two sees the other)
     */
    boolean connect(Duration timeout, Duration keepAlive, java.util.function.BooleanSupplier calledOff) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative connect timeout: " + timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!connectLock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                error(new SocketTimeoutException("another connect() on this WebSocket did not finish within " + timeout));
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(new InterruptedIOException("interrupted while waiting to connect"));
            return false;
        }
        try {
            Session s;
            lock.lock();
            try {
                if (state() == State.OPEN) {
                    return true;
                }
                if (session != null && !session.isOver()) {
                    session.abort(CloseCodes.ABNORMAL, "replaced by a new connect()", null);
                }
                s = new Session(this, config, keepAlive);
                session = s;
            } finally {
                lock.unlock();
            }
            if (calledOff.getAsBoolean()) {
                s.abort(CloseCodes.ABNORMAL, "exit() was called", null);
                return false;
            }
            try {
                s.open(deadline);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failedConnect(s, new InterruptedIOException("interrupted while connecting to " + config.url()));
            } catch (Exception e) {
                failedConnect(s, e);
            }
            return false;
        } finally {
            connectLock.unlock();
        }
    }

    private void failedConnect(Session s, Exception cause) {
        s.abort(CloseCodes.ABNORMAL, "connect failed", null);
        error(cause);
    }

    // ---- ws:sendFrame(fin, opcode, data) ----------------------------------------------------

    /**
     * Sends one frame, as the seed's {@code ws:sendFrame(fin, opcode, data)}. The frame is masked
     * with a fresh unpredictable key; frames sent from many threads at once never interleave.
     * A close frame ({@link Opcode#CLOSE}) starts the close handshake without waiting for it.
     *
     * <p>With an outbox ({@link Builder#outbox}) and while {@code start} runs, a data frame that
     * cannot be written now (not OPEN, or the connection ended during the write) waits in the
     * outbox and goes out, in order, once the next connection is OPEN.
     *
     * @return true once written (or queued in the outbox); false, with nothing sent, when not
     *     {@link State#OPEN} (and not queued)
     * @throws IllegalArgumentException for an opcode outside 0x0-0xF, a reserved opcode, or a
     *     control frame that is not final or carries more than 125 bytes
     * @throws IllegalStateException for a continuation without a started message, or a new data
     *     message inside an unfinished one
     */
    public boolean sendFrame(boolean fin, int opcode, ByteBuffer data) {
        return sendFrame(fin, opcode, data, false);
    }

    /** @param ours {@code data} was made for this call: see {@link Session.Origin#USER_CALL} */
    private boolean sendFrame(boolean fin, int opcode, ByteBuffer data, boolean ours) {
        Objects.requireNonNull(data, "data");
        if (opcode == Opcodes.CLOSE) {
            return sendCloseFrame(fin, data);
        }
        if (outbox != null && !Opcodes.isControl(opcode)) {
            checkFrame(fin, opcode, data.remaining());
            return outbox.send(fin, opcode, data);
        }
        Session s = openSession();
        if (s == null) {
            checkFrame(fin, opcode, data.remaining());
            return false;
        }
        return s.send(fin, opcode, data, ours ? Session.Origin.USER_CALL : Session.Origin.USER);
    }

    /** {@link #sendFrame(boolean, int, ByteBuffer)} with a byte array. */
    public boolean sendFrame(boolean fin, int opcode, byte[] data) {
        Objects.requireNonNull(data, "data");
        if (opcode == Opcodes.CLOSE || outbox != null) {
            return sendFrame(fin, opcode, ByteBuffer.wrap(data), true);
        }
        Session s = openSession();
        if (s == null) {
            checkFrame(fin, opcode, data.length);
            return false;
        }
        return s.send(fin, opcode, data);  // the array as it is: no ByteBuffer per message
    }

    /** {@link #sendFrame(boolean, int, ByteBuffer)} with text, encoded as UTF-8. */
    public boolean sendFrame(boolean fin, int opcode, String data) {
        // The array path: the encoded bytes go straight into the write buffer, nothing wrapped.
        return sendFrame(fin, opcode, Objects.requireNonNull(data, "data").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a whole text message. */
    public boolean send(String text) {
        return sendFrame(true, Opcode.TEXT, text);
    }

    /** Sends a whole binary message. */
    public boolean send(byte[] data) {
        return sendFrame(true, Opcode.BINARY, data);
    }

    /** Sends a whole binary message: the buffer's remaining bytes (its position is not moved). */
    public boolean send(ByteBuffer data) {
        return sendFrame(true, Opcode.BINARY, data);
    }

    /**
     * Sends a message read from {@code in} to its end, as fragments (RFC 6455 section 5.4) of at
     * most 64 KiB, so that a message of any size needs no buffer of its size; compressed as one
     * message when permessage-deflate is on. Reads in the calling thread. Another thread's data
     * message sent meanwhile is refused with {@link IllegalStateException}, as fragments of one
     * message may not be interleaved with another. Never queued in the outbox.
     *
     * @param opcode {@link Opcode#TEXT} (the bytes must be UTF-8) or {@link Opcode#BINARY}
     * @return true once the whole message was written; false when not OPEN (nothing sent) or the
     *     connection ended part-way
     * @throws IOException from {@code in}: the message cannot be finished, so the connection is
     *     closed with 1011, and the exception is rethrown
     */
    public boolean sendStream(int opcode, InputStream in) throws IOException {
        return sendStream(opcode, Channels.newChannel(Objects.requireNonNull(in, "in")));
    }

    /** {@link #sendStream(int, InputStream)} from a (blocking) channel. */
    public boolean sendStream(int opcode, ReadableByteChannel in) throws IOException {
        Objects.requireNonNull(in, "in");
        HandlerDispatch.refuseOnReader("sendStream()");
        if (opcode != Opcodes.TEXT && opcode != Opcodes.BINARY) {
            throw new IllegalArgumentException("a stream is sent as a TEXT or BINARY message, not opcode " + opcode);
        }
        Session s = openSession();
        if (s == null) {
            return false;
        }
        try {
            return StreamSender.send(s, opcode, in);
        } catch (IOException e) {
            close(CloseCodes.INTERNAL_ERROR, "the message source failed");
            throw e;
        }
    }

    /** Sends an empty ping. */
    public boolean ping() {
        return ping(new byte[0]);
    }

    /** Sends a ping with up to 125 bytes of payload; the pong fires {@link Event#PONG}. */
    public boolean ping(byte[] payload) {
        return sendFrame(true, Opcode.PING, payload);
    }

    public boolean ping(String payload) {
        return sendFrame(true, Opcode.PING, payload);
    }

    /** Sends an unsolicited pong (a one-way heartbeat, RFC 6455 section 5.5.3). */
    public boolean pong(byte[] payload) {
        return sendFrame(true, Opcode.PONG, payload);
    }

    public boolean pong(String payload) {
        return sendFrame(true, Opcode.PONG, payload);
    }

    private boolean sendCloseFrame(boolean fin, ByteBuffer data) {
        checkFrame(fin, Opcodes.CLOSE, data.remaining());
        ClosePayload close;
        try {
            close = ClosePayload.parse(data.duplicate());
        } catch (ProtocolException e) {
            throw new IllegalArgumentException("not a valid close payload: " + e.getMessage(), e);
        }
        Session s = openSession();
        if (s == null) {
            return false;
        }
        s.close(close);
        return true;
    }

    /** The codec's send rules, applied even when nothing can be sent, so bad calls fail alike. */
    private static void checkFrame(boolean fin, int opcode, long length) {
        FrameWriter.checkShape(fin, opcode, length);
    }

    Session openSession() {
        Session s = session;
        return s != null && s.state() == State.OPEN ? s : null;
    }

    // ---- ws:recv() --------------------------------------------------------------------------

    /**
     * Waits for the next whole message, as the seed's {@code ws:recv()}. Fragments are joined,
     * pings answered and text checked as UTF-8 along the way. When the connection has ended,
     * every message received before the end is returned first; then the result is not
     * {@link Received#ok()} and {@link Received#error()} is a {@link WebSocketClosedException}
     * with the close code and reason.
     */
    public Received recv() {
        return take(-1);
    }

    /** {@link #recv()}, giving up after {@code timeout} with a {@link java.util.concurrent.TimeoutException}. */
    public Received recv(Duration timeout) {
        return take(Math.max(0, timeout.toNanos()));
    }

    private Received take(long nanos) {
        HandlerDispatch.refuseOnReader("recv()");
        try {
            return inbox.take(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Received.failed(new InterruptedIOException("interrupted while waiting in recv()"));
        }
    }

    // ---- ws:close(code, reason) -------------------------------------------------------------

    /** Closes with 1000 (normal closure). */
    @Override
    public void close() {
        close(CloseCodes.NORMAL, "");
    }

    /**
     * Sends a close frame, waits (at most the close timeout) for the server's close and the end of
     * the connection, then closes the socket: {@link State#CLOSING}, then {@link State#CLOSED},
     * and {@link Event#CLOSE} once. Idempotent. Does not stop {@code start}: use {@link #exit()}.
     *
     * @throws IllegalArgumentException for a code that may not be sent (RFC 6455 section 7.4) or
     *     a reason over 123 UTF-8 bytes
     */
    public void close(int code, String reason) {
        ClosePayload payload = ClosePayload.of(code, reason);
        Session s;
        lock.lock();
        try {
            s = session;
            if (s == null) {
                stateWithoutSession = State.CLOSED;
                return;
            }
        } finally {
            lock.unlock();
        }
        s.close(payload);
        if (HandlerDispatch.onReaderInHandler()) {
            return;  // the server's answer comes through this very thread: it must go on reading
        }
        try {
            // The session's own timer ends it after the close timeout; the margin covers the timer.
            s.awaitClosed(config.closeTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.abort(CloseCodes.ABNORMAL, "interrupted while closing", null);
        }
    }

    // ---- websocket.exit(ws) -----------------------------------------------------------------

    /** The seed's {@code websocket.exit(ws)}. */
    public static void exit(WebSocket ws) {
        ws.exit();
    }

    /**
     * Ends what {@code start} runs: closes normally (or calls off a connect in progress), no more
     * reconnects, and {@code start} returns. Also when called right after {@link #startAsync},
     * before its thread has begun.
     */
    public void exit() {
        Supervisor s = supervisor;  // none yet: no start has begun, and a later one is not ended
        if (s != null) {
            s.requestExit();  // before close(): a connect that starts after close() looked sees it
        }
        close();
    }

    // ---- ws:state(), ws:online() ------------------------------------------------------------

    public State state() {
        Session s = session;
        return s == null ? stateWithoutSession : s.state();
    }

    /** True exactly when {@link State#OPEN}. */
    public boolean online() {
        return state() == State.OPEN;
    }

    /** The cause of the last failure reported to {@link Event#ERROR}, or null. */
    public Throwable lastError() {
        return handlers.lastError();
    }

    /** The subprotocol the server chose, if any. */
    public Optional<String> subprotocol() {
        lock.lock();
        try {
            return session == null ? Optional.empty() : session.subprotocol();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The extensions the server accepted, as its {@code Sec-WebSocket-Extensions} answer named
     * them (for example permessage-deflate with its parameters); empty when none or not connected.
     */
    public List<ExtensionSpec> extensions() {
        lock.lock();
        try {
            return session == null ? List.of() : session.extensions();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The server's 101 answer to the opening handshake of the current (or last) connection: its
     * status line and every header (cookies, server-chosen values). Empty unless the builder
     * asked to keep it ({@link Builder#keepHandshakeResponse}), so that idle connections stay
     * small; a failed upgrade carries its status and headers in its exception either way.
     */
    public Optional<HttpResponseHead> handshakeResponse() {
        Session s = session;
        return s == null ? Optional.empty() : s.handshakeResponse();
    }

    /**
     * Bytes received and not yet taken: waiting for {@code recv()}, or for the {@link Event#MESSAGE}
     * handler. A gauge for metrics; reading pauses when either reaches {@link Builder#maxQueuedBytes}.
     */
    public long queuedBytes() {
        return inbox.queuedBytes() + handlers.backlogBytes();
    }

    public String url() {
        return config.url().text();
    }

    /** The name of the transport carrying this WebSocket: "blocking", "nio". */
    public String transport() {
        return config.transport().name();
    }

    // ---- ws:start(keepAlive, proc, reconnTime) ----------------------------------------------

    /** {@code start(null, null, 1 s)}: stay connected, messages to {@link #recv()} users. */
    public void start() {
        start(null, null, Config.RECONNECT_TIME);
    }

    public void start(Duration keepAlive) {
        start(keepAlive, null, Config.RECONNECT_TIME);
    }

    public void start(Duration keepAlive, Consumer<Message> proc) {
        start(keepAlive, proc, Config.RECONNECT_TIME);
    }

    /**
     * Runs the connection in the calling thread until {@link #exit()} or an interrupt: connect
     * (connect timeout from the builder), hand every message to {@code proc}, ping every
     * {@code keepAlive} (null: the builder's ping interval, 30 s unless set; zero: none) and treat
     * the link as dead when nothing arrives within the pong timeout after a ping; after any
     * disconnect or failed connect, wait about {@code reconnTime} (null: 1 s; each wait is drawn
     * at random within 20 % of it, so that clients dropped together do not return together; the
     * builder's {@code reconnectBackoff} makes it grow) and connect again.
     *
     * @param proc gets each message in this thread; an exception it throws goes to
     *     {@link Event#ERROR}. Null: messages only fire {@link Event#MESSAGE}.
     * @throws IllegalArgumentException if {@code reconnTime} is zero or negative
     * @throws IllegalStateException if {@code start} is already running for this WebSocket
     */
    public void start(Duration keepAlive, Consumer<Message> proc, Duration reconnTime) {
        HandlerDispatch.refuseOnReader("start()");
        Duration reconnect = Supervisor.reconnectTime(reconnTime);
        Supervisor s = supervisor();
        s.claim(Thread.currentThread());
        s.run(keepAlive, proc, reconnect);
    }

    /**
     * Runs {@link #start(Duration, Consumer, Duration)} on a new virtual thread (the Java form of
     * the seed's {@code sys.taskInit(ws.start, ws, ...)}) and returns that thread: join it after
     * {@link #exit()}; interrupting it also ends {@code start}. The task is registered before this
     * returns: an {@code exit()} right after ends it, and a second {@code start} is refused.
     */
    public Thread startAsync(Duration keepAlive, Consumer<Message> proc, Duration reconnTime) {
        Duration reconnect = Supervisor.reconnectTime(reconnTime);
        Supervisor s = supervisor();
        Thread task = Thread.ofVirtual().name("tether-start " + config.url())
                .unstarted(() -> s.run(keepAlive, proc, reconnect));
        s.claim(task);
        task.start();
        return task;
    }

    public Thread startAsync(Duration keepAlive, Consumer<Message> proc) {
        return startAsync(keepAlive, proc, Config.RECONNECT_TIME);
    }

    private Supervisor supervisor() {
        Supervisor s = supervisor;
        if (s == null) {
            lock.lock();
            try {
                s = supervisor;
                if (s == null) {
                    s = new Supervisor(this);
                    supervisor = s;
                }
            } finally {
                lock.unlock();
            }
        }
        return s;
    }

    // ---- For the engine: Session and Supervisor ---------------------------------------------

    Config config() {
        return config;
    }

    Inbox inbox() {
        return inbox;
    }

    boolean inHandler() {
        return handlers.inHandler();
    }

    void opened(Session s) {
        lock.lock();
        try {
            if (session != s) {
                return;
            }
            if (!s.isOver()) {
                // Checked under the lock that ended() takes: an end that came first leaves the
                // inbox as it was, and one that comes after finds s current in it.
                inbox.opened(s);
            }
        } finally {
            lock.unlock();
        }
        handlers.fireOpen(s::onOpenHandlerDone);
    }

    /**
     * From the session's reader: never waits; {@link #behind} tells it when to pause. A queued
     * handler runs later, on its own thread: the message is queued for recv first, so that a
     * handler that tells another thread "the reply is in" is never ahead of that thread's recv.
     * An inline handler runs now, before recv can have the message.
     */
    void received(Message m) {
        if (m.isLent()) {
            // Inline handlers: recv gets a copy, taken before the loan ends, only if it may ask.
            Message kept = inbox.wants(handlers.has(Event.MESSAGE)) ? m.owned() : null;
            handlers.deliver(m);
            if (kept != null) {
                inbox.put(kept, true);
            }
            return;
        }
        boolean handled = handlers.has(Event.MESSAGE);
        if (handled && handlers.lends()) {
            handlers.deliver(m);  // inline, as a lent message's: before recv can have it
            inbox.put(m, true);
            return;
        }
        inbox.put(m, handled);
        if (handled) {
            handlers.deliver(m);
        }
    }

    /** True when the reader may lend whole messages ({@link Builder#inlineHandlers}). */
    boolean lends() {
        return handlers.lends();
    }

    /** True when a connection starting now streams its messages (a STREAM handler is set). */
    boolean streams() {
        return handlers.has(Event.STREAM);
    }

    /** From the session's reader as a streamed message starts: never waits. */
    void streamStarted(MessageStream stream) {
        handlers.deliver(stream);
    }

    /** True while the consumers of messages (the recv queue, the MESSAGE handler) are full. */
    boolean behind() {
        return inbox.behind() || handlers.behind();
    }

    /** A consumer made room: a session paused for it reads again. */
    private void relieved() {
        Session s = session;
        if (s != null) {
            s.relieved();
        }
    }

    /** True while {@code start} runs and no exit was asked for. */
    boolean supervised() {
        Supervisor s = supervisor;
        return s != null && s.active();
    }

    void drainOutbox() {
        if (outbox != null) {
            outbox.drain();
        }
    }

    void discardOutbox() {
        if (outbox != null) {
            outbox.discard();
        }
    }

    void sent() {
        handlers.fire(Event.SENT, Runnable::run);
    }

    void dropped(Message m) {
        handlers.fire(Event.DROPPED, h -> h.accept(m));
    }

    void ponged(ByteBuffer payload) {
        handlers.fire(Event.PONG, h -> h.accept(payload));
    }

    void ended(Session s, boolean wasOpen, int code, String reason) {
        if (wasOpen) {
            // Even when a newer connect() has replaced s: if that one never opened, a recv or start
            // waiting since s opened must learn that s is over (the inbox ignores an end older
            // than the connection it serves).
            lock.lock();
            try {
                inbox.ended(s, new WebSocketClosedException(code, reason));
            } finally {
                lock.unlock();
            }
            LOG.log(System.Logger.Level.DEBUG, () -> config.url() + " closed: " + code + " " + reason);
            handlers.fire(Event.CLOSE, h -> h.onClose(code, reason));
        }
    }

    void error(Throwable t) {
        handlers.error(t);
    }

    /** Waits, at most {@code nanos}, until the handlers have run for every event fired so far. */
    void awaitHandlers(long nanos) {
        handlers.awaitHandlers(nanos);
    }

    @Override
    public String toString() {
        return "WebSocket[" + config.url() + ", " + state() + ", " + config.transport().name() + "]";
    }

    // ---- Builder ----------------------------------------------------------------------------

    /** Options beyond the URL; each setter checks its argument at once. */
    public static final class Builder {
        private final WsUrl url;
        private TlsOptions tls = TlsOptions.defaults();
        private String transport;
        private String origin;
        private final List<String> subprotocols = new ArrayList<>();
        private final List<String[]> headers = new ArrayList<>();
        private long maxFrameSize = DecoderLimits.DEFAULT.maxFrameSize();
        private long maxMessageSize = DecoderLimits.DEFAULT.maxMessageSize();
        private Duration connectTimeout = Config.CONNECT_TIMEOUT;
        private Duration closeTimeout = Config.CLOSE_TIMEOUT;
        private Duration writeTimeout = Config.WRITE_TIMEOUT;
        private Duration pingInterval = Config.PING_INTERVAL;
        private Duration pongTimeout;
        private Resolver resolver = Resolver.SYSTEM;
        private Duration backoffCap;
        private long maxQueuedBytes = 64L << 20;
        private DeflateOffer deflateOffer;
        private int compressionThreshold = Compression.DEFAULT_THRESHOLD;
        private int compressionLevel = java.util.zip.Deflater.DEFAULT_COMPRESSION;
        private boolean keepHandshakeResponse;
        private boolean inlineHandlers;
        private long maxStreamedMessageSize = Long.MAX_VALUE;
        private TrafficListener trafficListener;
        private java.net.InetSocketAddress localAddress;
        private final java.util.Map<java.net.SocketOption<?>, Object> socketOptions = new java.util.LinkedHashMap<>();
        private OutboxSettings outbox;
        private ProxyChoice proxy = ProxyChoice.SYSTEM;

        private Builder(String url) {
            this.url = WsUrl.parse(url);
        }

        /** The seed's {@code cert} table, for {@code wss://}. */
        public Builder tls(TlsOptions cert) {
            this.tls = Objects.requireNonNull(cert, "cert");
            return this;
        }

        /** Picks a transport by name ("blocking", "nio"); default: system property {@code tether.ws.transport}, else the best present. */
        public Builder transport(String name) {
            this.transport = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Adds a request header to the opening handshake (repeatable). */
        public Builder header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        /** Subprotocols to offer, in order of preference ({@code Sec-WebSocket-Protocol}). */
        public Builder subprotocols(String... names) {
            subprotocols.addAll(List.of(names));
            return this;
        }

        public Builder origin(String origin) {
            this.origin = origin;
            return this;
        }

        /** Largest frame the server may send; past it the connection closes with 1009. Default 64 MiB. */
        public Builder maxFrameSize(long bytes) {
            this.maxFrameSize = bytes;
            return this;
        }

        /** Largest message the server may send; past it the connection closes with 1009. Default 64 MiB. */
        public Builder maxMessageSize(long bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        /**
         * Largest message (and frame) the server may send to a connection that streams
         * ({@link Event#STREAM}); past it the connection closes with 1009. Default: no limit, as
         * a streamed message needs no buffer of its size.
         */
        public Builder maxStreamedMessageSize(long bytes) {
            if (bytes < 125) {
                throw new IllegalArgumentException("maxStreamedMessageSize must allow at least 125 bytes: " + bytes);
            }
            this.maxStreamedMessageSize = bytes;
            return this;
        }

        /**
         * Binds each connection's socket to this local address (and port; 0 for any) before it
         * connects, also to a proxy. Happy Eyeballs opens several sockets at once for a name with
         * several addresses: with a fixed port only one can bind, the others fail and are reported.
         */
        public Builder localAddress(java.net.InetSocketAddress address) {
            this.localAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** {@link #localAddress(java.net.InetSocketAddress)} with any free port. */
        public Builder localAddress(java.net.InetAddress address) {
            return localAddress(new java.net.InetSocketAddress(Objects.requireNonNull(address, "address"), 0));
        }

        /**
         * Sets a socket option on each connection's socket before it connects, for example
         * {@code StandardSocketOptions.SO_RCVBUF}, {@code SO_SNDBUF}, {@code SO_KEEPALIVE}, or
         * {@code jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE}; set last, so it overrides the
         * transport's own ({@code TCP_NODELAY} is on by default).
         *
         * @throws IllegalArgumentException for an option a TCP socket does not support here, or a
         *     value of the wrong type
         */
        public <T> Builder socketOption(java.net.SocketOption<T> option, T value) {
            Objects.requireNonNull(option, "option");
            Objects.requireNonNull(value, "value");
            if (!option.type().isInstance(value)) {
                throw new IllegalArgumentException("socket option " + option.name() + " takes a "
                        + option.type().getSimpleName() + ", not " + value.getClass().getSimpleName());
            }
            if (!SocketOptionSupport.supported().contains(option)) {
                throw new IllegalArgumentException("socket option " + option.name()
                        + " is not supported by TCP sockets on this platform; supported: " + SocketOptionSupport.supported());
            }
            socketOptions.put(option, value);
            return this;
        }

        /** Counts this WebSocket's messages and bytes, and times its pings; see {@link TrafficListener}. */
        public Builder trafficListener(TrafficListener listener) {
            this.trafficListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Used by {@code start} for each attempt. Default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** How long {@code close} waits for the server's close and TCP close. Default 5 s. */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive(timeout, "closeTimeout");
            return this;
        }

        /** How long one write may wait for a server that is not reading. Default 30 s. */
        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = positive(timeout, "writeTimeout");
            return this;
        }

        /**
         * Keep-alive pings: one every {@code interval}, and the link counts as dead when nothing
         * arrives within the pong timeout after one. Default 30 s, so that a connection that only
         * receives notices a half-open link; null or zero turns them off. {@code start}'s
         * keepAlive overrides it.
         */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = interval == null || interval.isZero() ? Duration.ZERO : positive(interval, "pingInterval");
            return this;
        }

        /**
         * How long after a keep-alive ping silence means a dead link. Default: 10 s, or the ping
         * interval when that is shorter.
         */
        public Builder pongTimeout(Duration timeout) {
            this.pongTimeout = positive(timeout, "pongTimeout");
            return this;
        }

        /**
         * How host names become addresses; default {@link Resolver#SYSTEM}. Every address it
         * returns is tried (RFC 8305 Happy Eyeballs), within the connect timeout.
         */
        public Builder resolver(Resolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * Makes {@code start}'s reconnect delay grow: doubling from {@code reconnTime} per failed
         * attempt up to {@code cap}, with random jitter in the upper half. Default: {@code reconnTime}, jittered by 20 %.
         */
        public Builder reconnectBackoff(Duration cap) {
            this.backoffCap = positive(cap, "reconnectBackoff cap");
            return this;
        }

        /**
         * Bytes of received messages {@code recv} may have waiting, and bytes the
         * {@link Event#MESSAGE} handler may be behind, before reading pauses (each bound on its
         * own). Default 64 MiB.
         */
        public Builder maxQueuedBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxQueuedBytes must be positive: " + bytes);
            }
            this.maxQueuedBytes = bytes;
            return this;
        }

        /**
         * Offers permessage-deflate (RFC 7692) with the usual parameters
         * ({@code client_max_window_bits}, context takeover both ways), or stops offering it.
         */
        public Builder compression(boolean on) {
            this.deflateOffer = on ? DeflateOffer.DEFAULT : null;
            return this;
        }

        /**
         * Offers permessage-deflate with these parameters. The server's answer is checked as RFC
         * 7692 section 7.1 says; an answer we did not allow fails the handshake, with the reason.
         */
        public Builder compression(DeflateOffer offer) {
            this.deflateOffer = Objects.requireNonNull(offer, "offer");
            return this;
        }

        /** Messages smaller than this are sent uncompressed (RSV1 clear). Default 64 bytes. */
        public Builder compressionThreshold(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("compressionThreshold must not be negative: " + bytes);
            }
            this.compressionThreshold = bytes;
            return this;
        }

        /** zlib level 0-9 for outgoing messages, or -1 for zlib's default (6). */
        public Builder compressionLevel(int level) {
            if (level < -1 || level > 9) {
                throw new IllegalArgumentException("compressionLevel must be -1 or 0-9: " + level);
            }
            this.compressionLevel = level;
            return this;
        }

        /**
         * Keeps the server's 101 answer (status and all headers) for {@link #handshakeResponse()}.
         * Off by default: an open connection then holds only what it negotiated.
         */
        public Builder keepHandshakeResponse(boolean keep) {
            this.keepHandshakeResponse = keep;
            return this;
        }

        /**
         * Runs the {@link Event#MESSAGE} handler on the thread that read the message (on NIO, a
         * transport's event loop, shared with other connections) instead of handing it to this
         * WebSocket's handler thread: no thread switch per message, and a message that arrived as
         * one frame whole in the read buffer is lent to the handler without a copy. Off by default.
         *
         * <p>The handler must then not block: while it runs, no connection of that thread is read.
         * Handlers still run one at a time and in order; a message that arrives while another
         * handler (OPEN, say) is still running waits for it on the handler thread, as usual.
         * From inside such a handler:
         * <ul>
         * <li>a lent {@link Message} is valid only during the call: keep {@link Message#owned()},
         *     {@link Message#bytes()} or {@link Message#text()}, not the message or its buffer;
         * <li>{@code send} never waits for another sender: while one holds the connection, the
         *     frame is queued behind it (true is returned) and written when it is done;
         * <li>{@code close} and {@code exit} send the close frame and return without waiting for
         *     the server's answer;
         * <li>calls that wait for the network ({@code connect}, {@code recv}, {@code start},
         *     {@code sendStream}) throw {@link IllegalStateException}, on any WebSocket, as
         *     Netty refuses to block its event loop.
         * </ul>
         * Messages are queued for {@code recv} (as copies) only once {@code recv} or
         * {@code start} has been called.
         */
        public Builder inlineHandlers(boolean inline) {
            this.inlineHandlers = inline;
            return this;
        }

        /**
         * An outbox for the links that drop: while {@code start} is between connections,
         * {@code send} and {@code sendFrame} data frames wait in it (at most {@code maxMessages}
         * messages and {@code maxBytes} payload bytes) instead of failing, and go out first, in
         * order, once the next connection is OPEN. {@code onFull} says what one more message does
         * when it is full. A message dropped, or still queued when {@code start} ends, fires
         * {@link Event#DROPPED}.
         *
         * <p>What it covers is what was never written: a frame the socket took before the link
         * dropped may be lost, as WebSocket has no acknowledgements. Pings, pongs and close
         * frames are never queued. Without {@code start}, sends fail while offline as usual.
         */
        public Builder outbox(int maxMessages, long maxBytes, OnFull onFull) {
            if (maxMessages < 1 || maxBytes < 1) {
                throw new IllegalArgumentException("the outbox bounds must be positive: " + maxMessages
                        + " messages, " + maxBytes + " bytes");
            }
            this.outbox = new OutboxSettings(maxMessages, maxBytes, Objects.requireNonNull(onFull, "onFull"));
            return this;
        }

        /**
         * Connects through this proxy (HTTP {@code CONNECT} or SOCKS5), or directly with
         * {@link WsProxy#NONE}, whatever the {@link java.net.ProxySelector} says. Default: ask
         * {@link java.net.ProxySelector#getDefault()} at each connect, for the URL as
         * {@code https://} ({@code wss}) or {@code http://} ({@code ws}), so that
         * {@code -Dhttps.proxyHost}, {@code -DsocksProxyHost} and
         * {@code -Djava.net.useSystemProxies} apply. The connect timeout covers the proxy hop.
         */
        public Builder proxy(WsProxy proxy) {
            this.proxy = new ProxyChoice(Objects.requireNonNull(proxy, "proxy (WsProxy.NONE for none)"), null);
            return this;
        }

        /** {@link #proxy(WsProxy)} with a {@link java.net.Proxy}; {@link java.net.Proxy#NO_PROXY} connects directly. */
        public Builder proxy(java.net.Proxy proxy) {
            return proxy(WsProxy.of(proxy));
        }

        /**
         * Asks {@code selector} instead of the JVM's default for the proxy of each connect (its
         * first answer is used; DIRECT means none). Replaces an earlier {@link #proxy(WsProxy)}.
         */
        public Builder proxySelector(java.net.ProxySelector selector) {
            this.proxy = new ProxyChoice(null, Objects.requireNonNull(selector, "selector"));
            return this;
        }

        /**
         * Builds the WebSocket; no I/O.
         *
         * @throws IllegalArgumentException for a header, subprotocol or origin that cannot be sent,
         *     or (for {@code wss}) a certificate file of the TlsOptions that cannot be used: the
         *     message names the option, the file and why
         * @throws IllegalStateException when no transport is present, or the named one is not; or
         *     when TlsOptions name certificate files and the ws-tls module is not present
         */
        public WebSocket build() {
            ClientHandshake.Builder hs = ClientHandshake.builder(url.host(), url.port(), url.secure())
                    .resource(url.resource())
                    .subprotocols(subprotocols);
            if (origin != null) {
                hs.origin(origin);
            }
            for (String[] h : headers) {
                hs.header(h[0], h[1]);
            }
            if (deflateOffer != null) {
                hs.extensions(List.of(deflateOffer.toHeaderValue()));
            }
            hs.build();  // checks every header now rather than at the first connect
            if (url.secure()) {
                // Reads the certificate files now: a missing or bad one, or a wrong password, fails
                // here, named, before any connection (and they are read again at each connect).
                dev.tether.ws.internal.ClientTls.check(tls);
            }
            Config config = new Config(url, tls, Transports.select(transport), hs,
                    new DecoderLimits(maxFrameSize, maxMessageSize), connectTimeout, closeTimeout,
                    writeTimeout, pingInterval, pongTimeout, new Backoff(backoffCap), maxQueuedBytes,
                    deflateOffer == null ? null : new Compression(deflateOffer, compressionThreshold, compressionLevel),
                    resolver, keepHandshakeResponse, outbox, maxStreamedMessageSize, trafficListener, proxy,
                    localAddress == null && socketOptions.isEmpty() ? SocketSettings.NONE
                            : new SocketSettings(localAddress, socketOptions), inlineHandlers);
            return new WebSocket(config);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }
    }
}
