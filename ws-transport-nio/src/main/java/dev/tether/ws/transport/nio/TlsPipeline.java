package dev.tether.ws.transport.nio;

import dev.tether.ws.internal.ClientTls;
import dev.tether.ws.spi.ConnectionListener;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * The SSLEngine between one {@link NioConnection}'s plaintext and its socket, for {@code wss://}.
 *
 * <p><b>Threads.</b> Once the handshake is done, records are decrypted on the event loop as they
 * are read (unwrapping is quick and never blocks), and plaintext goes to the listener from
 * there. Everything that may block or take long stays off the loop: the handshake, delegated
 * tasks (certificate checks, key exchange) and records the engine must send back (a KeyUpdate's
 * answer) run on a virtual thread ({@link Inbound#LEAVE_LOOP}), while the loop stops watching the
 * socket; encrypting runs on the writer's thread. So a slow step stalls one connection, never
 * the loop.
 *
 * <p><b>Order.</b> Records carry sequence numbers (RFC 8446 section 5.3), so they must reach the
 * socket in the order the engine sealed them: sealing a batch and handing it to the connection's
 * write queue happen together under {@link #wrapLock}. A writer waiting for room in the queue
 * holds it; the reading thread's own records (handshake replies, KeyUpdate, close_notify) then
 * wait too, which the write timeout bounds.
 *
 * <p><b>Buffers.</b> All from {@link ReadBuffers}' pool of 64 KiB direct buffers, lent per
 * operation; each holds several TLS records (at most ~16.7 KiB each). A record split across
 * reads (BUFFER_UNDERFLOW) stays in its buffer, compacted, and the next read appends to it: no
 * copy, and an idle connection holds no buffer unless the server stopped mid-record. Plaintext
 * is unwrapped into another, handed to the listener whenever it fills (BUFFER_OVERFLOW) and when
 * the read is used up. Records to send are sealed into one and queued like plaintext.
 *
 * <p><b>Small writes share records.</b> Each record costs its own AEAD pass (RFC 8446 section
 * 5.2: nonce, tag, header), on both sides, whatever its size: a 64 B frame sealed alone is
 * mostly that. So while the loop is awake, when a write would be queued behind its work anyway
 * ({@link NioConnection#loopIsBusy}), a small write's plaintext is kept ({@link #pending}) and
 * the loop seals everything kept in one record once its current step is done; a larger write,
 * close_notify, or a full {@code pending} seals it first, so records keep the order of the
 * writes. Whoever holds {@link #wrapLock} when the loop asks ({@link #sealOnRelease}) seals for
 * it as it lets go, so the loop never waits for the lock.
 */
final class TlsPipeline {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** What a read ended with. */
    enum Inbound {
        /** Wait for more bytes from the socket. */
        MORE,
        /** The server sent close_notify: the stream is over (ours went back). */
        PEER_CLOSED,
        /**
         * The engine has work that may block or take long (delegated tasks, records to send back,
         * such as a KeyUpdate's answer), and this is the event loop: go on with
         * {@link #resumeOffLoop} on another thread. What was not decrypted yet is held.
         */
        LEAVE_LOOP
    }

    private final ClientTls tls;
    private final SSLEngine engine;
    private final NioConnection connection;
    private final ReentrantLock wrapLock = new ReentrantLock();
    /** Writes up to this size may wait in {@link #pending}. */
    static final int COALESCED_WRITE_MAX = 1024;
    /** {@link #pending}'s size: what one record then carries at most. */
    static final int PENDING_SIZE = 8 * 1024;
    /**
     * Guarded by wrapLock: plaintext of small writes not sealed yet, in write order. Made on the
     * first such write and kept (a heap buffer: a connection that fails with bytes in it loses
     * them, as it does its queued records, and the buffer goes with the connection).
     */
    private ByteBuffer pending;
    /** The loop has been asked to seal {@link #pending} and has not started to yet. */
    private volatile boolean sealScheduled;
    private static final VarHandle SEAL_SCHEDULED;

    static {
        try {
            SEAL_SCHEDULED = MethodHandles.lookup().findVarHandle(TlsPipeline.class, "sealScheduled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The loop found wrapLock held: whoever releases it next seals {@link #pending}. */
    private volatile boolean sealOnRelease;
    /** {@link #sealFromLoop}, made with {@link #pending}: a connection that never keeps a write has neither. */
    private Runnable sealTask;
    /** Records sealed for data writes, for tests that check small writes shared them. */
    private volatile long recordsSealed;
    private final CompletableFuture<Void> handshake = new CompletableFuture<>();
    private volatile boolean handshakeDone;
    /** Set once plaintext reached the listener: TLS errors are read differently before. */
    private volatile boolean dataReceived;

    /**
     * Ciphertext not yet decrypted, owned by whoever processes reads at the moment (the loop
     * between reads, the reading thread during one; the loop's task queue orders the handover).
     * Either the start of a record whose rest has not arrived ({@code heldComplete} false: the
     * next read appends to it), or whole records that arrived with the handshake's last flight
     * and wait for the listener ({@code heldComplete} true).
     */
    private ByteBuffer held;
    private boolean heldComplete;

    TlsPipeline(ClientTls tls, NioConnection connection) {
        this.tls = tls;
        this.engine = tls.createEngine();
        this.connection = connection;
    }

    ClientTls policy() {
        return tls;
    }

    CompletableFuture<Void> handshake() {
        return handshake;
    }

    boolean handshakeDone() {
        return handshakeDone;
    }

    boolean dataReceived() {
        return dataReceived;
    }

    /** "TLSv1.3", once negotiated. */
    String protocol() {
        return engine.getSession().getProtocol();
    }

    SSLSession session() {
        return engine.getSession();
    }

    // ---- handshake ------------------------------------------------------------------------------

    /** Sends the ClientHello; the server's answer arrives through {@link #receive}. Not on the loop. */
    void begin() throws IOException {
        engine.beginHandshake();
        advance();
    }

    /** Runs the steps that need no input from the server: delegated tasks and records to send. */
    private void advance() throws IOException {
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                runTasks();
            } else if (status != HandshakeStatus.NEED_WRAP || !sendBatch(EMPTY)) {
                return;  // NEED_UNWRAP: the server's turn; or nothing (more) to send
            }
        }
    }

    private void runTasks() {
        if (connection.onLoopThread()) {
            // Delegated tasks may take milliseconds (certificate path checks, key exchange).
            throw new IllegalStateException("SSLEngine work must not run on the event loop");
        }
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }

    private void noteFinished(SSLEngineResult result) {
        if (result.getHandshakeStatus() == HandshakeStatus.FINISHED && !handshakeDone) {
            handshakeDone = true;
            handshake.complete(null);
        }
    }

    /** The connection failed: a handshake still under way fails with it. */
    void failed(IOException cause) {
        handshake.completeExceptionally(cause);
    }

    // ---- writing (the writer's thread; the reading thread for handshake replies) ---------------

    /**
     * Encrypts all of {@code app} and hands the records to the connection's write queue; a small
     * write while the loop is busy may instead wait, as plaintext, for the loop to seal it with
     * others (see the class note).
     */
    void send(ByteBuffer app) throws IOException {
        if (handshakeDone && app.remaining() <= COALESCED_WRITE_MAX && connection.loopIsBusy()
                && engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING && keepForLoop(app)) {
            return;
        }
        while (app.hasRemaining() || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            if (!sendBatch(app)) {
                throw new SocketException("TLS to " + tls.target() + (engine.isOutboundDone()
                        ? " is closed for writing" : " took no data (" + engine.getHandshakeStatus() + ")"));
            }
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
        }
    }

    /**
     * Keeps a small write's plaintext for the loop to seal; false, having kept nothing, once the
     * engine is closed for writing (the caller's usual path then says so).
     */
    private boolean keepForLoop(ByteBuffer app) throws IOException {
        wrapLock.lock();
        try {
            if (engine.isOutboundDone()) {
                return false;
            }
            if (pending == null) {
                pending = ByteBuffer.allocate(PENDING_SIZE);
                sealTask = this::sealFromLoop;
            } else if (pending.remaining() < app.remaining()) {
                sealPending();  // full: this writer seals it, and may wait for room as any writer does
            }
            pending.put(app);
            if (!sealScheduled && SEAL_SCHEDULED.compareAndSet(this, false, true)) {
                connection.runOnLoop(sealTask);
            }
            return true;
        } finally {
            unlockWrap();
        }
    }

    /** On the loop, after the step that was under way when a small write was kept. */
    private void sealFromLoop() {
        sealScheduled = false;
        sealOnRelease = true;  // before trying: a holder that releases after this seals it
        sealIfAsked();
    }

    /**
     * Seals {@link #pending} if the loop asked and wrapLock is free. A holder releasing the lock
     * after the loop's failed try sees {@link #sealOnRelease} (set before the try), so what the
     * loop asked for is done by one of them.
     */
    private void sealIfAsked() {
        while (sealOnRelease && wrapLock.tryLock()) {
            try {
                sealOnRelease = false;
                sealPending();
            } catch (IOException e) {
                connection.fail(e);  // reported once, by the connection; the kept bytes end with it
            } finally {
                wrapLock.unlock();
            }
        }
    }

    private void unlockWrap() {
        wrapLock.unlock();
        if (sealOnRelease) {
            sealIfAsked();
        }
    }

    /**
     * Holds wrapLock: seals what small writes kept, ahead of whatever is sealed next. Should the
     * engine take nothing on the loop (it needs a delegated task: a TLS 1.2 renegotiation), the
     * rest stays kept and a virtual thread seals it.
     */
    private void sealPending() throws IOException {
        if (pending == null || pending.position() == 0) {
            return;
        }
        pending.flip();
        try {
            while (pending.hasRemaining()) {
                if (wrapAndQueue(pending)) {
                    continue;
                }
                if (engine.isOutboundDone()) {
                    throw new SocketException("TLS to " + tls.target() + " is closed for writing");
                }
                if (engine.getHandshakeStatus() != HandshakeStatus.NEED_TASK) {
                    throw new SSLException("TLS to " + tls.target() + " took no data ("
                            + engine.getHandshakeStatus() + ")");
                }
                if (connection.onLoopThread()) {
                    Thread.ofVirtual().name("tether-tls-seal").start(this::sealOffLoop);
                    return;
                }
                runTasks();
            }
        } finally {
            pending.compact();  // what was not sealed stays kept, in order
        }
    }

    /** Off the loop: seals what the loop could not. */
    private void sealOffLoop() {
        wrapLock.lock();
        try {
            sealPending();
        } catch (IOException e) {
            connection.fail(e);
        } finally {
            unlockWrap();
        }
    }

    /**
     * Seals as many records as fit in one pooled buffer and queues them, atomically with respect
     * to other batches, after what small writes kept. Returns false when the engine produced
     * nothing (closed, or it needs input).
     */
    private boolean sendBatch(ByteBuffer app) throws IOException {
        wrapLock.lock();
        try {
            sealPending();
            return wrapAndQueue(app);
        } finally {
            unlockWrap();
        }
    }

    /** Holds wrapLock: one pooled buffer of records from {@code app}, queued. */
    private boolean wrapAndQueue(ByteBuffer app) throws IOException {
        ByteBuffer net = ReadBuffers.POOL.take();
        try {
            boolean consumed = wrapBatch(app, net);
            net.flip();
            if (net.hasRemaining()) {
                if (consumed) {
                    recordsSealed++;  // under wrapLock: one writer at a time
                }
                connection.writeWire(net);  // returns once all of net is written or queued as a copy
                return true;
            }
            return consumed;
        } finally {
            ReadBuffers.POOL.give(net);
        }
    }

    /** Batches of data records sealed so far (each one or more records): for tests. */
    long recordsSealed() {
        return recordsSealed;
    }

    /** Holds wrapLock. Wraps into {@code net} while there is input and room; true if any was consumed. */
    private boolean wrapBatch(ByteBuffer app, ByteBuffer net) throws IOException {
        boolean consumed = false;
        while (true) {
            SSLEngineResult r = engine.wrap(app, net);
            noteFinished(r);
            consumed |= r.bytesConsumed() > 0;
            switch (r.getStatus()) {
                case OK -> { }
                case BUFFER_OVERFLOW -> {
                    if (net.position() == 0) {  // cannot happen: 64 KiB hold the largest record
                        throw new SSLException("a TLS record does not fit in " + net.capacity() + " bytes");
                    }
                    return consumed;  // send this batch, then go on
                }
                case CLOSED -> {
                    return consumed;  // close_notify (if just produced) goes out; nothing more can
                }
                default -> throw new SSLException("unexpected SSLEngine wrap status " + r.getStatus());
            }
            HandshakeStatus hs = r.getHandshakeStatus();
            boolean more = app.hasRemaining() || hs == HandshakeStatus.NEED_WRAP;
            if (!more || hs == HandshakeStatus.NEED_TASK || hs == HandshakeStatus.NEED_UNWRAP
                    || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)
                    || net.remaining() < engine.getSession().getPacketBufferSize()) {
                return consumed;
            }
        }
    }

    /**
     * Sends close_notify (RFC 8446 section 6.1) if it can go at once: never waits for the write
     * lock (a writer stuck on a peer that is not reading holds it) nor for room in the socket.
     */
    void closeOutbound() {
        if (handshakeDone) {
            sendLast(true);
        }
    }

    /** After a failed handshake the engine holds a fatal alert saying why: send it the same way. */
    void sendAlert() {
        sendLast(false);
    }

    private void sendLast(boolean closeNotify) {
        if (engine.isOutboundDone() || !wrapLock.tryLock()) {
            return;
        }
        ByteBuffer net = ReadBuffers.POOL.take();
        try {
            if (closeNotify) {
                if (pending != null && pending.position() > 0) {
                    // What small writes kept goes before the end, in the same offer: never waits.
                    wrapBatch(pending.flip(), net);
                    pending.clear();
                }
                engine.closeOutbound();
            }
            wrapBatch(EMPTY, net);
            net.flip();
            connection.offerWire(net);
        } catch (IOException e) {
            // Best effort: the connection is closing either way.
        } finally {
            wrapLock.unlock();
            ReadBuffers.POOL.give(net);
        }
    }

    // ---- reading (the loop once open; a virtual thread for the handshake and engine work) ------

    /** A buffer for the loop's next read: the held partial record to append to, or a fresh one. */
    ByteBuffer readBuffer() {
        ByteBuffer b = held;
        if (b != null && !heldComplete) {
            held = null;
            return b;
        }
        return ReadBuffers.POOL.take();
    }

    /** Takes back a buffer the loop read nothing into; a partial record in it stays held. */
    void keep(ByteBuffer buffer) {
        if (buffer.position() > 0) {
            held = buffer;
            heldComplete = false;
        } else {
            ReadBuffers.POOL.give(buffer);
        }
    }

    /** True when records wait for the listener (they came with the handshake's last flight). */
    boolean hasWaitingRecords() {
        return held != null && heldComplete;
    }

    /** Those records, ready to be {@link #receive received}. */
    ByteBuffer takeWaitingRecords() {
        ByteBuffer b = held.flip();
        held = null;
        heldComplete = false;
        return b;
    }

    /**
     * Decrypts {@code net} (flipped, from the pool), answers what the engine must answer, and
     * hands plaintext to {@code listener}; null while the handshake runs, when no plaintext can be
     * taken: decryption then stops at the handshake's end and the rest waits, held. Takes
     * ownership of {@code net}.
     */
    Inbound receive(ByteBuffer net, ConnectionListener listener) throws IOException {
        ByteBuffer app = ReadBuffers.POOL.take();
        int idle = 0;  // unwraps in a row that moved no byte: a guard against spinning
        try {
            while (true) {
                if (handshakeDone && listener == null) {
                    hold(net, true);
                    return Inbound.MORE;
                }
                SSLEngineResult r = engine.unwrap(net, app);
                noteFinished(r);
                switch (r.getStatus()) {
                    case OK -> { }
                    case BUFFER_UNDERFLOW -> {  // the rest of a record is still on its way
                        deliver(app, listener);
                        hold(net, false);
                        return Inbound.MORE;
                    }
                    case BUFFER_OVERFLOW -> {
                        if (app.position() == 0) {  // cannot happen: 64 KiB hold the largest record
                            throw new SSLException("a TLS record does not fit in " + app.capacity() + " bytes");
                        }
                        deliver(app, listener);
                        continue;
                    }
                    case CLOSED -> {  // the server's close_notify: answer it, the stream is over
                        deliver(app, listener);
                        ReadBuffers.POOL.give(net);
                        closeOutbound();
                        return Inbound.PEER_CLOSED;
                    }
                    default -> throw new SSLException("unexpected SSLEngine unwrap status " + r.getStatus());
                }
                if (connection.onLoopThread() && engineHasWork()) {
                    deliver(app, listener);
                    hold(net, true);
                    return Inbound.LEAVE_LOOP;
                }
                advance();  // tasks, and what the engine must send back (its flight, a KeyUpdate)
                if (!net.hasRemaining()) {
                    deliver(app, listener);
                    ReadBuffers.POOL.give(net);
                    return Inbound.MORE;
                }
                // Nothing moved (the engine ran tasks or sent first): try again, but a record that
                // still moves nothing needs more bytes.
                idle = r.bytesConsumed() == 0 && r.bytesProduced() == 0 ? idle + 1 : 0;
                if (idle > 2) {
                    deliver(app, listener);
                    hold(net, false);
                    return Inbound.MORE;
                }
            }
        } finally {
            ReadBuffers.POOL.give(app);
        }
    }

    /** After {@link Inbound#LEAVE_LOOP}, off the loop: the engine's work, then the records held. */
    Inbound resumeOffLoop(ConnectionListener listener) throws IOException {
        advance();
        return hasWaitingRecords() ? receive(takeWaitingRecords(), listener) : Inbound.MORE;
    }

    private boolean engineHasWork() {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NEED_TASK || status == HandshakeStatus.NEED_WRAP;
    }

    private void deliver(ByteBuffer app, ConnectionListener listener) throws IOException {
        if (app.position() == 0) {
            return;
        }
        if (listener == null) {
            // Unreachable: no plaintext before Finished, and decryption stops at Finished.
            throw new SSLException("the server sent application data during the TLS handshake");
        }
        dataReceived = true;
        app.flip();
        listener.onData(app);
        app.clear();
    }

    /** Keeps what is left of {@code net} for later, compacted so that a read can append to it. */
    private void hold(ByteBuffer net, boolean complete) {
        if (!net.hasRemaining()) {
            ReadBuffers.POOL.give(net);
            return;
        }
        net.compact();
        held = net;
        heldComplete = complete;
    }
}
