package dev.tether.ws.transport.nio;

import dev.tether.ws.spi.Connection;
import dev.tether.ws.spi.ConnectionListener;
import dev.tether.ws.spi.HostPort;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One non-blocking connection on an {@link EventLoop}.
 *
 * <p><b>Reading.</b> When the channel is readable the loop reads into a pooled direct buffer,
 * stops watching for reads, and hands the bytes to the listener on a virtual thread; when the
 * listener returns, the loop watches again. So the loop never runs user or engine code, at most
 * one read per connection is in flight, and a listener that blocks (a full inbox) pushes back on
 * the peer through TCP. The listener's {@code onClosed} is delivered the same way, after the last
 * {@code onData}.
 *
 * <p><b>Writing.</b> {@link #write} first tries the socket directly from the caller's thread;
 * what the socket does not take is copied into a queue bounded in bytes, which the loop drains
 * with gathering writes when the channel is writable. A caller that finds the queue full waits
 * for room up to the write timeout, then the connection fails: memory stays bounded however slow
 * the peer, and the event loop never blocks.
 */
final class NioConnection implements Connection {
    private static final System.Logger LOG = System.getLogger(NioConnection.class.getName());

    private final EventLoop loop;
    private final SocketChannel channel;
    private final String target;
    private final Duration writeTimeout;
    private final long maxQueuedBytes;
    private volatile ConnectionListener listener;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();

    // Owned by the loop thread.
    private SelectionKey key;
    private boolean reading;
    private boolean delivering;
    private IOException endPending;
    private boolean endDelivered;

    // Guarded by outLock.
    private final ReentrantLock outLock = new ReentrantLock();
    private final Condition room = outLock.newCondition();
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean writeInterest;
    private IOException failure;

    NioConnection(EventLoop loop, SocketChannel channel, String target, Duration writeTimeout, long maxQueuedBytes) {
        this.loop = loop;
        this.channel = channel;
        this.target = target;
        this.writeTimeout = writeTimeout;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    // ---- connecting ---------------------------------------------------------------------------

    /** Registers for OP_CONNECT on the loop; the future completes when the TCP connect does. */
    CompletableFuture<Void> register(ConnectionListener listener) {
        this.listener = listener;
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
        return connected;
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

    // ---- reading (loop thread) ----------------------------------------------------------------

    @Override
    public void startReading() {
        loop.execute(() -> {
            reading = true;
            watchReads();
        });
    }

    private void watchReads() {
        if (key.isValid() && reading && !delivering && endPending == null) {
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        }
    }

    void onReadable() {
        ByteBuffer buffer = BufferPool.take();
        int n;
        try {
            n = channel.read(buffer);
        } catch (IOException e) {
            BufferPool.give(buffer);
            fail(e);
            return;
        }
        if (n == 0) {
            BufferPool.give(buffer);
            return;
        }
        if (n < 0) {
            BufferPool.give(buffer);
            endPending = END_OF_STREAM;
            fail(new SocketException("the peer closed the connection to " + target));
            return;
        }
        key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        delivering = true;
        buffer.flip();
        Thread.ofVirtual().name("tether-nio-read " + target).start(() -> {
            try {
                listener.onData(buffer);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "listener of " + target + " threw", e);
            } finally {
                BufferPool.give(buffer);
                loop.execute(this::deliveredOne);
            }
        });
    }

    private void deliveredOne() {
        delivering = false;
        if (endPending != null) {
            deliverEnd();
        } else {
            watchReads();
        }
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
        if (endDelivered) {
            return;
        }
        endDelivered = true;
        IOException cause = endPending == END_OF_STREAM ? null : endPending;
        Thread.ofVirtual().name("tether-nio-end " + target).start(() -> listener.onClosed(cause));
    }

    /** Marks "the peer ended the stream"; never reported as such, only compared. */
    private static final IOException END_OF_STREAM = new IOException("end of stream");

    // ---- writing (caller threads, then the loop) ----------------------------------------------

    @Override
    public void write(ByteBuffer data) throws IOException {
        outLock.lock();
        try {
            checkOpen();
            if (queue.isEmpty()) {
                channel.write(data);
                if (!data.hasRemaining()) {
                    return;
                }
            }
            long deadline = System.nanoTime() + writeTimeout.toNanos();
            while (queuedBytes > 0 && queuedBytes + data.remaining() > maxQueuedBytes) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    IOException timeout = new IOException("write timed out after " + writeTimeout.toMillis()
                            + " ms: the peer is not reading (" + queuedBytes + " bytes queued for " + target + ")");
                    failLocked(timeout);
                    throw timeout;
                }
                room.awaitNanos(left);
                checkOpen();
            }
            ByteBuffer copy = ByteBuffer.allocate(data.remaining());
            copy.put(data).flip();
            queue.add(copy);
            queuedBytes += copy.remaining();
            if (!writeInterest) {
                writeInterest = true;
                loop.execute(this::watchWrites);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to write to " + target);
        } catch (IOException e) {
            if (failure == null) {
                failLocked(e);
            }
            throw e;
        } finally {
            outLock.unlock();
        }
    }

    private void checkOpen() throws IOException {
        if (failure != null) {
            throw new IOException("connection to " + target + " is closed: " + failure.getMessage(), failure);
        }
    }

    private void watchWrites() {
        if (key.isValid()) {
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }
    }

    /** The loop drains the queue with gathering writes, as far as the socket takes. */
    void onWritable() {
        outLock.lock();
        try {
            ByteBuffer[] pending = queue.toArray(ByteBuffer[]::new);
            long written = channel.write(pending);
            queuedBytes -= written;
            while (!queue.isEmpty() && !queue.peek().hasRemaining()) {
                queue.poll();
            }
            room.signalAll();
            if (queue.isEmpty()) {
                writeInterest = false;
                key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
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
        outLock.lock();
        try {
            if (failure == null) {
                failLocked(new SocketException("connection to " + target + " closed locally"));
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
        queue.clear();
        queuedBytes = 0;
        room.signalAll();
        closeChannel(cause);
        connected.completeExceptionally(cause);
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
            return "tcp " + HostPort.of(channel.getLocalAddress()) + "->" + HostPort.of(channel.getRemoteAddress())
                    + " (nio)";
        } catch (IOException | RuntimeException e) {
            return "tcp ->" + target + " (nio, closed)";
        }
    }

    /** Waits for the TCP connect to finish; cleans up on failure or timeout. */
    void awaitConnected(long nanos) throws Exception {
        connected.get(nanos, TimeUnit.NANOSECONDS);
    }
}
