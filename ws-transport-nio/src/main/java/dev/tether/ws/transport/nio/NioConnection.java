package dev.tether.ws.transport.nio;

import dev.tether.ws.internal.ClientTls;
import dev.tether.ws.spi.Connection;
import dev.tether.ws.spi.ConnectionListener;
import dev.tether.ws.spi.Deadline;
import dev.tether.ws.internal.HostPort;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One non-blocking connection on an {@link EventLoop}.
 *
 * <p><b>Reading.</b> When the channel is readable the loop reads into a pooled direct buffer
 * and hands the bytes to the listener right there: the engine decodes on the loop, and a message
 * reaches {@code recv} or the handler thread with one thread switch. The listener never blocks
 * ({@link ConnectionListener}); when its consumers are behind it pauses reading
 * ({@link #pauseReading}), which pushes back on the peer through TCP. The listener's
 * {@code onClosed}, which may block, runs on a virtual thread after the last {@code onData}.
 *
 * <p><b>Writing.</b> {@link #write} tries the socket directly from the caller's thread when
 * nothing is queued and the loop is asleep; otherwise (or for what the socket does not take) the
 * bytes are copied into a queue bounded in bytes, which the loop drains with gathering writes
 * when the channel is writable, so that many small writes cost few system calls; a large write
 * is queued as it is and its caller waits until it is written ({@link #lendAndAwait}). A caller
 * that finds the queue full waits for room up to the write timeout, then the connection fails:
 * memory stays bounded however slow the peer, and the event loop never blocks.
 *
 * <p><b>TLS.</b> For {@code wss} a {@link TlsPipeline} sits between the two: writes are
 * encrypted on the writer's thread before they reach the queue, reads decrypted on the loop
 * before they reach the listener; the handshake and the engine's slow work run on a virtual
 * thread. {@link #open} returns once the handshake is done; close sends close_notify.
 */
final class NioConnection implements Connection, Closeable {
    private static final System.Logger LOG = System.getLogger(NioConnection.class.getName());

    private final EventLoop loop;
    private final SocketChannel channel;
    /** Named in messages; the URL's own string, not one made per connection. */
    private final String host;
    private final int port;
    private final Duration writeTimeout;
    private final long maxQueuedBytes;
    /** Null for plain TCP. */
    private final TlsPipeline tls;
    private volatile ConnectionListener listener;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();

    // Owned by the loop thread.
    private SelectionKey key;
    private boolean reading;
    /** The listener asked to stop reading ({@link #pauseReading}). */
    private boolean paused;
    /** TLS work for this connection runs on a virtual thread: no reads meanwhile. */
    private boolean delivering;
    private IOException endPending;
    private boolean endDelivered;

    // Guarded by outLock.
    private final ReentrantLock outLock = new ReentrantLock();
    private final Condition room = outLock.newCondition();
    /**
     * Made for the first write the socket does not take at once, small (it grows as needed):
     * most writes go straight to the socket, and an idle connection holds no queue.
     */
    private WireQueue queue;
    /** The queue's last buffer while it is a pooled one that later small writes may join; else null. */
    private ByteBuffer tail;
    private long queuedBytes;
    /** Fails the connection when the oldest queued write has waited past the write timeout. */
    private ScheduledFuture<?> stallCheck;
    private boolean writeInterest;
    /**
     * {@link #onWritable} as a task for the loop, made on the first queued write and kept: a
     * method reference made per queued write was garbage per message, while a connection that
     * never queues (most idle ones) keeps none.
     */
    private Runnable drainTask;
    /** Why the connection ended; set once, under outLock, and read without it by {@link #loopIsBusy}. */
    private volatile IOException failure;

    NioConnection(EventLoop loop, SocketChannel channel, String host, int port, Duration writeTimeout,
                  long maxQueuedBytes, ClientTls tls) {
        this.loop = loop;
        this.channel = channel;
        this.host = host;
        this.port = port;
        this.writeTimeout = writeTimeout;
        this.maxQueuedBytes = maxQueuedBytes;
        this.tls = tls == null ? null : new TlsPipeline(tls, this);
    }

    private String target() {
        return HostPort.of(host, port);
    }

    /** The channel, for tests that look at its options. */
    SocketChannel channel() {
        return channel;
    }

    // ---- connecting ---------------------------------------------------------------------------

    /**
     * Connects the channel to {@code address} within the deadline, waiting on the caller's thread
     * while the loop watches for OP_CONNECT. On failure the channel is closed; no listener has been
     * told anything (the listener is attached only to the connection that is handed on).
     */
    void connect(InetSocketAddress address, Deadline deadline) throws IOException {
        String what = "connect to " + HostPort.of(address);
        try {
            channel.connect(address);
        } catch (IOException e) {
            fail(e);
            throw e;
        }
        loop.execute(() -> {
            try {
                key = channel.register(loop.selector(), SelectionKey.OP_CONNECT, this);
                if (channel.isConnected()) {
                    onConnectable();
                }
            } catch (IOException e) {
                connected.completeExceptionally(e);
            }
        });
        await(connected, deadline, what);
    }

    /**
     * Takes on a channel that is already connected (through a proxy's tunnel) and non-blocking:
     * registers it with the loop, reading nothing yet, as {@link #connect} leaves a channel it
     * connected itself.
     */
    void adopt(Deadline deadline) throws IOException {
        loop.execute(() -> {
            try {
                key = channel.register(loop.selector(), 0, this);
                connected.complete(null);
            } catch (IOException e) {
                connected.completeExceptionally(e);
            }
        });
        await(connected, deadline, "registering the tunnel to " + target());
    }

    /**
     * Waits for a connect step within the deadline. Whatever ends the wait but success (the
     * step's error, the deadline, an interrupt) fails the connection and is thrown.
     */
    private void await(CompletableFuture<Void> step, Deadline deadline, String what) throws IOException {
        try {
            step.get(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            SocketTimeoutException timeout = deadline.expired(what);
            fail(timeout);
            throw timeout;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted during the " + what);
            fail(interrupted);
            throw interrupted;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            IOException io = cause instanceof IOException x ? x : new IOException(what + " failed: " + cause, cause);
            fail(io);
            throw io;
        }
    }

    /**
     * From now on the connection reports to {@code listener}; an end that came before is
     * reported now. Before this, a failure closes the channel and tells nobody.
     */
    void attach(ConnectionListener listener) {
        this.listener = listener;
        loop.execute(() -> {
            if (endPending != null && !delivering) {
                deliverEnd();
            }
        });
    }

    void onConnectable() {
        try {
            if (channel.finishConnect()) {
                key.interestOps(0);
                connected.complete(null);
            }
        } catch (IOException e) {
            key.cancel();
            connected.completeExceptionally(e);
        }
    }

    /**
     * The TLS handshake, once TCP is connected, within what is left of the connect deadline.
     * Runs on the caller's thread (never the loop); the server's answers are decrypted on the
     * virtual thread that reads for it. On failure the connection is closed and the error says which
     * check failed.
     */
    void handshake(Deadline deadline) throws IOException {
        ClientTls policy = tls.policy();
        String what = "TLS handshake with " + policy.target();
        try {
            tls.begin();
            loop.execute(this::watchReads);
            await(tls.handshake(), deadline, what);
        } catch (InterruptedIOException e) {
            throw e;  // the deadline (SocketTimeoutException is one) or an interrupt: nothing to explain
        } catch (IOException e) {
            IOException explained = policy.handshakeFailed(e);
            fail(explained);
            throw explained;
        }
        try {
            // Pins are checked here, after the chain; insist(true): a certificate for another name is logged.
            policy.handshakeDone(tls.session());
        } catch (IOException e) {
            fail(e);
            throw e;
        }
    }

    boolean onLoopThread() {
        return loop.inLoop();
    }

    /**
     * True when a write from this thread now would be queued behind the loop's current step
     * rather than go straight to the socket ({@link #writeWire}'s test, read without the lock:
     * a hint, for TLS to decide whether a small write may wait to share a record), and the
     * connection has not ended (a write to one that has must fail, not wait).
     */
    boolean loopIsBusy() {
        return loop.awake() && !loop.inLoop() && failure == null;
    }

    /** Runs {@code task} on this connection's loop, after its current step. */
    void runOnLoop(Runnable task) {
        loop.execute(task);
    }

    /** The TLS pipeline, for tests; null for plain TCP. */
    TlsPipeline tls() {
        return tls;
    }

    // ---- reading (loop thread) ----------------------------------------------------------------

    @Override
    public void startReading() {
        loop.execute(() -> {
            reading = true;
            resume();
        });
    }

    @Override
    public void pauseReading() {
        if (loop.inLoop()) {
            paused = true;  // the delivery in progress stops watching reads when it returns
        } else {
            loop.execute(() -> {
                paused = true;
                stopWatchingReads();
            });
        }
    }

    @Override
    public void resumeReading() {
        loop.execute(() -> {
            if (paused) {
                paused = false;
                resume();
            }
        });
    }

    /** Reads go on, unless one is being delivered, the listener paused them, or the end is near: on the loop. */
    private void resume() {
        if (delivering) {
            return;  // deliveredOne resumes
        }
        if (endPending != null) {
            deliverEnd();
        } else if (tls != null && reading && !paused && tls.hasWaitingRecords()) {
            dispatch(tls.takeWaitingRecords());  // they came with the handshake's last flight
        } else {
            watchReads();
        }
    }

    private void watchReads() {
        // During the TLS handshake the loop reads before the engine asked for data.
        boolean wanted = (reading && !paused) || (tls != null && !tls.handshakeDone());
        if (key.isValid() && wanted && !delivering && endPending == null) {
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        }
    }

    private void stopWatchingReads() {
        if (key != null && key.isValid()) {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
    }

    void onReadable() {
        ByteBuffer buffer = tls == null ? ReadBuffers.POOL.take() : tls.readBuffer();
        int n;
        try {
            n = channel.read(buffer);
        } catch (IOException e) {
            release(buffer);
            fail(e);
            return;
        }
        if (n == 0) {
            release(buffer);
            return;
        }
        if (n < 0) {
            release(buffer);
            endPending = END_OF_STREAM;
            fail(new SocketException("the peer closed the connection to " + target()));
            return;
        }
        buffer.flip();
        dispatch(buffer);
    }

    private void release(ByteBuffer buffer) {
        if (tls == null) {
            ReadBuffers.POOL.give(buffer);
        } else {
            tls.keep(buffer);
        }
    }

    /**
     * Hands bytes to the listener. Once the connection is open this happens right here on the
     * loop (the listener never blocks: {@link ConnectionListener}), so a message costs no thread
     * switch before the engine has it. The TLS handshake, and TLS work that may block or take
     * long (delegated tasks, records the engine must send back), go to a virtual thread, and the
     * loop stops watching reads until it is done. On the loop.
     */
    private void dispatch(ByteBuffer buffer) {
        if (!key.isValid()) {
            release(buffer);
            return;
        }
        // Plain TCP is only read once reading started; TLS also during its handshake.
        if (tls != null && (!reading || !tls.handshakeDone())) {
            ConnectionListener to = reading ? listener : null;  // TLS: none yet during the handshake
            offload(() -> tls.receive(buffer, to));
            return;
        }
        TlsPipeline.Inbound in = TlsPipeline.Inbound.MORE;
        try {
            if (tls == null) {
                listener.onData(buffer);
            } else {
                in = tls.receive(buffer, listener);
            }
        } catch (IOException e) {  // only TLS's receive throws it
            tlsFailed(e);
        } catch (RuntimeException | Error e) {
            listenerFailed(e);
        } finally {
            if (tls == null) {
                ReadBuffers.POOL.give(buffer);
            }
        }
        switch (in) {
            case MORE -> {
                if (paused) {
                    stopWatchingReads();
                }
            }
            case PEER_CLOSED -> peerClosed();
            case LEAVE_LOOP -> offload(() -> tls.resumeOffLoop(listener));
        }
    }

    /** One step of TLS work that may block or take long, on a virtual thread. */
    private interface TlsStep {
        TlsPipeline.Inbound run() throws IOException;
    }

    private void offload(TlsStep step) {
        stopWatchingReads();
        delivering = true;
        Thread.ofVirtual().name("tether-nio-tls " + target()).start(() -> {
            TlsPipeline.Inbound in = TlsPipeline.Inbound.MORE;
            try {
                in = step.run();
            } catch (IOException e) {
                tlsFailed(e);
            } catch (RuntimeException | Error e) {
                listenerFailed(e);
            } finally {
                loop.execute(in == TlsPipeline.Inbound.PEER_CLOSED ? this::peerClosed : this::deliveredOne);
            }
        });
    }

    private void tlsFailed(IOException e) {
        if (tls.handshakeDone()) {
            fail(tls.policy().connectionFailed(e, tls.dataReceived()));
        } else {
            tls.sendAlert();  // the engine's fatal alert tells the server why
            fail(tls.policy().handshakeFailed(e));
        }
    }

    /**
     * As on the blocking transport: the listener is out of step with the stream now, so nothing
     * more may be fed to it.
     */
    private void listenerFailed(Throwable e) {
        LOG.log(System.Logger.Level.ERROR, "listener of " + target() + " failed; closing the connection", e);
        fail(new IOException("the connection listener failed: " + e, e));
    }

    private void deliveredOne() {
        delivering = false;
        resume();
    }

    /** TLS: the server's close_notify ended the stream, as a TCP end of stream does. On the loop. */
    private void peerClosed() {
        delivering = false;
        endPending = END_OF_STREAM;
        fail(new SocketException("the peer closed the connection to " + target()));
    }

    /** The connection is over; report it once no read is being delivered. On the loop. */
    private void end(IOException cause) {
        if (endPending == null) {
            endPending = cause;
        }
        if (!delivering) {
            deliverEnd();
        }
    }

    private void deliverEnd() {
        ConnectionListener listener = this.listener;
        if (endDelivered || listener == null) {
            return;  // not attached yet: attach() delivers it
        }
        endDelivered = true;
        IOException cause = endPending == END_OF_STREAM ? null : endPending;
        Thread.ofVirtual().name("tether-nio-end " + target()).start(() -> listener.onClosed(cause));
    }

    /** Marks "the peer ended the stream"; never reported as such, only compared. */
    private static final IOException END_OF_STREAM = new IOException("end of stream");

    // ---- writing (caller threads, then the loop) ----------------------------------------------

    @Override
    public void write(ByteBuffer data) throws IOException {
        if (tls == null) {
            writeWire(data);
            return;
        }
        try {
            tls.send(data);
        } catch (IOException e) {
            // A TLS 1.3 server's refusal of the client certificate may break the first write.
            IOException explained = tls.policy().connectionFailed(e, tls.dataReceived());
            fail(explained);
            throw explained;
        }
    }

    /**
     * Writes bytes as they go on the wire (plaintext, or TLS records): straight to the socket when
     * nothing is queued, the rest into the bounded queue, waiting for room up to the write timeout.
     */
    void writeWire(ByteBuffer data) throws IOException {
        outLock.lock();
        try {
            checkOpen();
            // Straight to the socket when nothing waits before it and the loop is asleep (a
            // request/response exchange: no thread switch). While the loop is awake anyway, the
            // bytes join the queue and leave with everything else queued in one gathering write:
            // a sender of many small messages then pays for few system calls.
            if (nothingQueued() && (!loop.awake() || loop.inLoop())) {
                channel.write(data);
                if (!data.hasRemaining()) {
                    return;
                }
            }
            long deadline = System.nanoTime() + writeTimeout.toNanos();
            // The loop itself never waits (it drains the queue): what the reader writes there (a
            // pong, a close frame; at most a few hundred bytes per read) may go over the bound.
            while (queuedBytes > 0 && queuedBytes + data.remaining() > maxQueuedBytes && !loop.inLoop()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw failWriteTimedOut();
                }
                room.awaitNanos(left);
                checkOpen();
            }
            if (data.remaining() > ReadBuffers.POOL.size() / 4 && !loop.inLoop()
                    && (queue == null || queue.canLend())) {
                lendAndAwait(data, deadline);
                return;
            }
            enqueue(data);
            requestDrain();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to write to " + target());
        } catch (IOException e) {
            if (failure == null) {
                failLocked(e);
            }
            throw e;
        } finally {
            outLock.unlock();
        }
    }

    /**
     * A large write (a 64 KiB piece of a big message, or of TLS records) that the socket did not
     * take at once joins the queue as it is, and the caller waits until the loop has written all
     * of it, up to the write timeout: copying it for the queue cost an array and a copy per piece
     * (a fifth of the client's allocation with 1 MiB messages, 4 in flight), and for a heap piece
     * a second copy into the JDK's direct buffer when written, while the caller only waits as it
     * would for room. Its buffer is the caller's again on return: the loop drops a written buffer
     * from the queue under the same lock hold that wrote it, and never gives a lent one to the
     * pool (TLS lends its pooled buffers, and gives them back itself). One lent buffer at a time
     * (a second writer copies as before); never from the loop, which cannot wait for itself.
     * Holds outLock.
     */
    private void lendAndAwait(ByteBuffer data, long deadline) throws IOException {
        if (queue == null) {
            queue = new WireQueue();
        }
        queue.lend(data, System.nanoTime());
        queuedBytes += data.remaining();
        try {
            requestDrain();
            while (data.hasRemaining()) {
                checkOpen();  // the connection failed: the queue has let go of the buffer
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw failWriteTimedOut();
                }
                try {
                    room.awaitNanos(left);
                } catch (InterruptedException e) {
                    // The buffer must not stay queued once its writer has it back: the connection
                    // ends (its frame is cut anyway), which empties the queue.
                    IOException cut = new InterruptedIOException("interrupted while writing to " + target());
                    failLocked(cut);
                    Thread.currentThread().interrupt();
                    throw cut;
                }
            }
        } finally {
            queue.endLoan();
        }
    }

    /** Has the loop drain the queue, and the stall check watch it. Holds outLock. */
    private void requestDrain() {
        armStallCheck(writeTimeout.toNanos());
        if (!writeInterest) {
            writeInterest = true;
            if (drainTask == null) {
                drainTask = this::onWritable;
            }
            loop.execute(drainTask);  // try at once; OP_WRITE only if the socket is full
        }
    }

    /**
     * Copies {@code data} to the end of the queue. Small writes are appended to a pooled direct
     * buffer at the tail while it has room (no allocation per frame, and the socket takes them
     * without the JDK's copy into a direct buffer); a write larger than that gets a copy of its
     * own. Holds outLock.
     */
    private void enqueue(ByteBuffer data) {
        if (queue == null) {
            queue = new WireQueue();
        }
        int n = data.remaining();
        ByteBuffer last = queue.last();
        if (last != null && last == tail && tail.capacity() - tail.limit() >= n) {
            int start = tail.position();
            tail.position(tail.limit()).limit(tail.capacity());
            tail.put(data);
            tail.limit(tail.position()).position(start);
        } else if (n <= ReadBuffers.POOL.size() / 4) {
            tail = ReadBuffers.POOL.take();
            tail.put(data).flip();
            queue.add(tail, System.nanoTime());
        } else {
            ByteBuffer copy = ByteBuffer.allocate(n);
            copy.put(data).flip();
            queue.add(copy, System.nanoTime());
        }
        queuedBytes += n;
    }

    /** Holds outLock. */
    private boolean nothingQueued() {
        return queue == null || queue.isEmpty();
    }

    /** A queued buffer is done with: the queue's own pooled ones go back; a lent one is its writer's. Holds outLock. */
    private void dropQueued(ByteBuffer b) {
        if (b == tail) {
            tail = null;
        }
        if (b.isDirect() && !queue.isLent(b)) {
            ReadBuffers.POOL.give(b);
        }
    }

    /** Best effort and never waits: for TLS's last records (close_notify, a fatal alert). */
    void offerWire(ByteBuffer data) {
        outLock.lock();
        try {
            if (failure == null && nothingQueued()) {
                channel.write(data);
            }
        } catch (IOException e) {
            // The connection is ending anyway.
        } finally {
            outLock.unlock();
        }
    }

    /**
     * A write counts as done once the socket took it, not once it was queued: bytes that have not
     * reached the socket within the write timeout fail the connection, as a blocked write does on
     * the blocking transport, however small. Holds outLock.
     */
    private void armStallCheck(long delayNanos) {
        if (stallCheck == null && failure == null) {
            stallCheck = WriteTimer.after(delayNanos, this::checkStall);
        }
    }

    /** On the timer thread; never blocks (closing a channel does not). */
    private void checkStall() {
        outLock.lock();
        try {
            stallCheck = null;
            if (failure != null || nothingQueued()) {
                return;
            }
            long waited = System.nanoTime() - queue.oldestAt();
            long timeout = writeTimeout.toNanos();
            if (waited < timeout) {
                armStallCheck(timeout - waited);
                return;
            }
            failWriteTimedOut();
        } finally {
            outLock.unlock();
        }
    }

    /** Fails the connection: queued bytes did not reach the socket within the write timeout. Holds outLock. */
    private IOException failWriteTimedOut() {
        IOException timeout = new IOException("write timed out after " + writeTimeout.toMillis()
                + " ms: the peer is not reading (" + queuedBytes + " bytes queued for " + target() + ")");
        failLocked(timeout);
        return timeout;
    }

    private void checkOpen() throws IOException {
        if (failure != null) {
            throw new IOException("connection to " + target() + " is closed: " + failure.getMessage(), failure);
        }
    }

    /**
     * The loop drains the queue with gathering writes, as far as the socket takes, and watches
     * for room (OP_WRITE) only while something is left.
     */
    void onWritable() {
        outLock.lock();
        try {
            if (failure != null || !key.isValid() || queue == null) {
                return;
            }
            queuedBytes -= queue.writeTo(channel);
            for (ByteBuffer done; (done = queue.pollWritten()) != null; ) {
                dropQueued(done);
            }
            room.signalAll();
            if (queue.isEmpty()) {
                // The stall check stays armed: it finds nothing queued and ends, or finds a write
                // queued since and waits on for its remaining time. Cancelling it here and arming
                // a new one for the next queued write made a timer task per message.
                writeInterest = false;
                key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
            } else {
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            }
        } catch (IOException e) {
            failLocked(e);
        } finally {
            outLock.unlock();
        }
    }

    // ---- closing ------------------------------------------------------------------------------

    @Override
    public void close() {
        if (tls != null) {
            tls.closeOutbound();  // close_notify before the socket closes, if it can go at once
        }
        outLock.lock();
        try {
            if (failure == null) {
                failLocked(new SocketException("connection to " + target() + " closed locally"));
            }
        } finally {
            outLock.unlock();
        }
    }

    /** A failure from the loop or a writer: close now, report once. */
    void fail(IOException cause) {
        outLock.lock();
        try {
            if (failure == null) {
                failLocked(cause);
            }
        } finally {
            outLock.unlock();
        }
    }

    /** Holds outLock. Wakes waiting writers, closes the channel, and has the loop report the end. */
    private void failLocked(IOException cause) {
        failure = cause;
        if (queue != null) {
            for (ByteBuffer b; (b = queue.poll()) != null; ) {
                dropQueued(b);
            }
        }
        queuedBytes = 0;
        if (stallCheck != null) {
            stallCheck.cancel(false);
            stallCheck = null;
        }
        room.signalAll();
        closeChannel(cause);
        connected.completeExceptionally(cause);
        if (tls != null) {
            tls.failed(cause);
        }
        loop.execute(() -> end(cause));
    }

    private void closeChannel(IOException why) {
        try {
            channel.close();  // also cancels the key
        } catch (IOException e) {
            why.addSuppressed(e);
        }
    }

    @Override
    public String describe() {
        try {
            String protocol = tls == null ? "tcp" : "tls " + tls.protocol();
            return protocol + " " + HostPort.of(channel.getLocalAddress()) + "->" + HostPort.of(channel.getRemoteAddress())
                    + " (nio)";
        } catch (IOException | RuntimeException e) {
            return "tcp ->" + target() + " (nio, closed)";
        }
    }

}
