package dev.tether.ws.transport.blocking;

import dev.tether.ws.internal.BufferPool;
import dev.tether.ws.internal.ClientTls;
import dev.tether.ws.spi.Connection;
import dev.tether.ws.spi.ConnectionListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSocket;

/**
 * A {@link Connection} over a blocking socket: writes go straight to the socket's stream on
 * the caller's thread, reads happen on one thread per connection (a platform daemon thread or a
 * virtual one: see {@link ReaderThreads}).
 */
final class BlockingConnection implements Connection {
    private static final System.Logger LOG = System.getLogger(BlockingConnection.class.getName());
    /**
     * Reads go into a small buffer of the connection's own, in which an idle connection waits,
     * and switch to a large one lent from {@link #LARGE_READS} while the data comes faster than
     * the small one holds: a read that fills the small buffer takes a large one, a read that
     * fills under a quarter of the large one gives it back. An idle connection so keeps 2 KiB
     * rather than 64 KiB, and a bulk transfer still reads 64 KiB at a time.
     */
    static final int SMALL_READ_SIZE = 2 * 1024;
    static final int LARGE_READ_SIZE = 64 * 1024;
    private static final BufferPool LARGE_READS = new BufferPool(LARGE_READ_SIZE, false, 64);
    private static final int COPY_CHUNK_SIZE = 16 * 1024;
    /** How long close() lets TLS's close_notify wait for room in the socket's send buffer. */
    private static final long CLOSE_NOTIFY_MILLIS = 1000;

    /** The TCP socket; under TLS, the one beneath {@link #socket}. */
    private final Socket tcp;
    /** What bytes are read from and written to: {@link #tcp} itself, or the SSLSocket over it. */
    private final Socket socket;
    /** Under TLS, what the SSLSocket reads {@link #tcp} through; null for plain TCP. */
    private final ReadAheadSocket readAhead;
    /** The TLS policy, for explaining read failures; null for plain TCP. */
    private final ClientTls tls;
    private final InputStream in;
    private final OutputStream out;
    private final ConnectionListener listener;
    private final String target;
    private final String description;
    private final long writeTimeoutMillis;
    /** Starts the reading thread. */
    private final ReaderThreads readers;
    /** Bounds each write by {@link #writeTimeoutMillis}; null without a write timeout. */
    private final WriteWatchdog watchdog;

    /** Set once by whoever starts the reading thread: {@link #startReading()} or {@link #close()}. */
    private final AtomicBoolean readerStarted = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * Why the connection was ended from this side (local close, write timeout), set once
     * before the socket is closed; the reading thread reports it instead of the bare
     * "Socket closed" its read then fails with.
     */
    private final AtomicReference<IOException> localCause = new AtomicReference<>();
    /**
     * Held by a write in progress. Writers are serialised by their callers, so it is never
     * contended by them; {@link #close()} only tries it, to learn whether close_notify can go.
     */
    private final ReentrantLock writing = new ReentrantLock();
    /** Set by the listener to hold the reading thread between reads; see {@link #awaitResume}. */
    private volatile boolean paused;
    private final ReentrantLock pauseLock = new ReentrantLock();
    private final java.util.concurrent.locks.Condition resumed = pauseLock.newCondition();
    /** Set by the reading thread once bytes arrived: TLS errors are read differently before. */
    private volatile boolean dataReceived;
    /**
     * Staging for writes from buffers without an accessible array (direct, read-only). Owned by
     * the writing thread: the SPI has callers serialise their writes.
     */
    private byte[] copyChunk;

    BlockingConnection(Socket tcp, Socket socket, ReadAheadSocket readAhead, ClientTls tls,
                       ConnectionListener listener, String target, String description, Duration writeTimeout,
                       ReaderThreads readers) throws IOException {
        this.tcp = tcp;
        this.socket = socket;
        this.readAhead = readAhead;
        this.tls = tls;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.listener = listener;
        this.target = target;
        this.description = description;
        this.readers = readers;
        this.writeTimeoutMillis = writeTimeout == null || writeTimeout.isNegative() || writeTimeout.isZero()
                ? 0 : Math.max(1, writeTimeout.toMillis());
        this.watchdog = writeTimeoutMillis == 0 ? null : new WriteWatchdog(writeTimeoutMillis, () -> abort(writeTimedOut()));
    }

    /** The TCP socket, for tests that look at its options. */
    Socket tcp() {
        return tcp;
    }

    /** The write watchdog, for tests that look at its timer; null without a write timeout. */
    WriteWatchdog watchdog() {
        return watchdog;
    }

    @Override
    public void write(ByteBuffer data) throws IOException {
        writing.lock();
        try {
            writeTimed(data);
        } catch (IOException e) {
            // A TLS 1.3 server's refusal of the client certificate may break the first write.
            throw tls == null ? e : tls.connectionFailed(e, dataReceived);
        } finally {
            writing.unlock();
        }
    }

    private void writeTimed(ByteBuffer data) throws IOException {
        if (closed.get()) {
            IOException cause = localCause.get();
            throw new SocketException("connection to " + target + " is closed"
                    + (cause == null ? "" : ": " + cause.getMessage()));
        }
        if (!data.hasRemaining()) {
            return;
        }
        if (watchdog == null) {
            writeFully(data);
            return;
        }
        long ticket = watchdog.begin();
        try {
            writeFully(data);
        } catch (IOException e) {
            if (!watchdog.end(ticket)) {
                throw withCause(writeTimedOut(), e);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            watchdog.end(ticket);
            throw e;
        }
        if (!watchdog.end(ticket)) {
            // The watchdog fired as the last bytes went out: the socket is closed regardless.
            throw writeTimedOut();
        }
    }

    private void writeFully(ByteBuffer data) throws IOException {
        if (data.hasArray()) {
            int n = data.remaining();
            out.write(data.array(), data.arrayOffset() + data.position(), n);
            data.position(data.position() + n);
        } else {
            if (copyChunk == null) {
                copyChunk = new byte[COPY_CHUNK_SIZE];
            }
            while (data.hasRemaining()) {
                int n = Math.min(copyChunk.length, data.remaining());
                data.get(copyChunk, 0, n);
                out.write(copyChunk, 0, n);
            }
        }
        out.flush();  // a no-op for socket streams today; keeps any wrapper honest
    }

    private IOException writeTimedOut() {
        return new IOException("write timed out after " + writeTimeoutMillis + " ms: the peer is not reading");
    }

    @Override
    public void startReading() {
        if (readerStarted.compareAndSet(false, true)) {
            readers.start("tether-read-" + target, this::readLoop);
        }
    }

    /**
     * The reading thread: hands each read to the listener, then reports the end exactly once
     * (null for the peer's end of stream, RFC 6455 section 7.1.1 lets either side close TCP).
     */
    private void readLoop() {
        ByteBuffer small = ByteBuffer.allocate(SMALL_READ_SIZE);
        ByteBuffer buffer = small;
        IOException cause = null;
        try {
            while (true) {
                int n = in.read(buffer.array(), 0, buffer.capacity());
                if (n < 0) {
                    sendCloseNotify();  // TLS: the server's close_notify (or FIN) ended the stream; answer it
                    cause = localCause.get();  // an end we asked for is still reported as ours
                    break;
                }
                if (n > 0) {
                    dataReceived = true;
                    buffer.clear().limit(n);
                    listener.onData(buffer);
                    awaitResume();
                    if (buffer == small && n == SMALL_READ_SIZE) {
                        buffer = LARGE_READS.take();
                    } else if (buffer != small && n < LARGE_READ_SIZE / 4) {
                        LARGE_READS.give(buffer);
                        buffer = small;
                    }
                }
            }
        } catch (IOException e) {
            IOException local = localCause.get();
            // Under TLS 1.3 a server refuses a client certificate after the client's handshake
            // has finished: the refusal is this read's failure, and should say so.
            cause = local != null ? withCause(local, e) : tls != null ? tls.connectionFailed(e, dataReceived) : e;
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "listener of " + description + " failed; closing the connection", e);
            cause = new IOException("the connection listener failed: " + e, e);
        } finally {
            abort(null);
            if (buffer != small) {
                LARGE_READS.give(buffer);
            }
            if (readAhead != null) {
                readAhead.release();  // no read comes after this one
            }
        }
        listener.onClosed(cause);
    }

    /** Holds the reading thread while the listener has paused reading; a close ends the wait. */
    private void awaitResume() throws IOException {
        if (!paused) {
            return;
        }
        pauseLock.lock();
        try {
            while (paused && !closed.get()) {
                resumed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading was paused");
        } finally {
            pauseLock.unlock();
        }
    }

    @Override
    public void pauseReading() {
        paused = true;  // only the reading thread waits on it, after its current delivery
    }

    @Override
    public void resumeReading() {
        pauseLock.lock();
        try {
            paused = false;
            resumed.signalAll();
        } finally {
            pauseLock.unlock();
        }
    }

    @Override
    public void close() {
        // Noted first: the server may answer our close_notify with its own before the socket
        // closes, and the reader must still report a local close, not the peer's end of stream.
        localCause.compareAndSet(null, new SocketException("connection to " + target + " closed locally"));
        sendCloseNotify();
        abort(null);
        // onClosed comes from the reading thread; if reading never started, start it now: its
        // first read fails on the closed socket and reports that, once.
        startReading();
    }

    /**
     * TLS's close_notify (RFC 8446 section 6.1) before the socket closes, so that the server sees
     * an orderly end rather than a truncation. Only when no write is in flight: the SSLSocket
     * would queue the alert behind it, and a write stuck on a peer that is not reading must not
     * hold up a close. A full send buffer is bounded the way a write is, by closing TCP.
     */
    private void sendCloseNotify() {
        if (!(socket instanceof SSLSocket ssl) || closed.get() || !writing.tryLock()) {
            return;
        }
        try {
            ScheduledFuture<?> bound = WriteWatchdog.after(CLOSE_NOTIFY_MILLIS, () -> TcpConnector.closeQuietly(tcp));
            try {
                ssl.shutdownOutput();  // sends close_notify, then TCP's FIN
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "close_notify to {0} not sent: {1}", target, e);
            } finally {
                bound.cancel(false);
            }
        } finally {
            writing.unlock();
        }
    }

    /** Closes the socket (once), remembering {@code why} for the reading thread. */
    private void abort(IOException why) {
        if (why != null) {
            localCause.compareAndSet(null, why);
        }
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        resumeReading();  // a reader paused for its listener sees the close
        if (watchdog != null) {
            watchdog.stop();
        }
        // TCP first: it never blocks and ends a write stuck on a full buffer at once. Closing the
        // SSLSocket afterwards only releases its state; close_notify went out before, from
        // close(), if it could.
        TcpConnector.closeQuietly(tcp);
        if (socket != tcp) {
            TcpConnector.closeQuietly(socket);
        }
    }

    private static IOException withCause(IOException e, Throwable cause) {
        if (e.getCause() == null && e != cause) {
            e.initCause(cause);
        }
        return e;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }
}
