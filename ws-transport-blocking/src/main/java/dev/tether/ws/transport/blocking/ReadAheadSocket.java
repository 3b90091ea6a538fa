package dev.tether.ws.transport.blocking;

import dev.tether.ws.internal.BufferPool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connected TCP socket as the JDK's {@code SSLSocket} sees it when layered over it, with reads
 * that take what has arrived in one system call. The {@code SSLSocket} reads each TLS record's
 * 5-byte header and then its body, two reads a record ({@code SSLSocketInputRecord}); with many
 * small records in flight that is two system calls a message. Here a read that follows one
 * which returned data goes through a lent 64 KiB buffer and takes everything waiting, and the
 * reads after it are served from that until it is empty, when it goes back to the pool. A read
 * after an empty buffer goes straight to the socket, so a connection waiting for the peer holds
 * no buffer.
 *
 * <p>Every other call is passed to the TCP socket, as {@code SSLSocket} passes them to the
 * socket it is layered over.
 */
final class ReadAheadSocket extends Socket {
    private static final BufferPool READ_AHEAD = new BufferPool(64 * 1024, false, 64);

    private final Socket tcp;
    private final ReadAhead in;

    ReadAheadSocket(Socket tcp) throws IOException {
        this.tcp = tcp;
        this.in = new ReadAhead(tcp.getInputStream());
    }

    /**
     * Gives back a buffer still lent, with whatever it held unread: for the thread that read,
     * once it reads no more (the connection is over, or its TLS handshake failed).
     */
    void release() {
        in.release();
    }

    /** Whether a lent buffer is held now; for tests. */
    boolean holdsBuffer() {
        return in.holdsBuffer();
    }

    /**
     * The read side. The SSLSocket reads it from one thread at a time; the lock only keeps
     * {@link #release} from giving back a buffer that a read still in progress uses.
     */
    private static final class ReadAhead extends InputStream {
        private final InputStream socket;
        private final ReentrantLock lock = new ReentrantLock();
        /** Lent while it holds bytes not yet read; null otherwise. Guarded by lock. */
        private ByteBuffer ahead;
        /** The last read went to the socket and returned bytes: more is probably waiting. Guarded by lock. */
        private boolean flowing;

        ReadAhead(InputStream socket) {
            this.socket = socket;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;  // a blocking read of 1 returns 1 or -1
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            lock.lock();
            try {
                if (ahead == null && flowing && !fillAhead()) {
                    return -1;
                }
                if (ahead != null) {
                    int n = Math.min(len, ahead.remaining());
                    ahead.get(b, off, n);
                    if (!ahead.hasRemaining()) {
                        giveBack();  // the next read waits on the socket, holding nothing
                    }
                    return n;
                }
                int n = socket.read(b, off, len);
                flowing = n > 0;
                return n;
            } finally {
                lock.unlock();
            }
        }

        /** One read into a lent buffer, of everything waiting; false at the end of the stream. Holds lock. */
        private boolean fillAhead() throws IOException {
            ByteBuffer lent = READ_AHEAD.take();
            int n;
            try {
                n = socket.read(lent.array(), 0, lent.capacity());
            } catch (IOException | RuntimeException e) {
                READ_AHEAD.give(lent);
                flowing = false;
                throw e;
            }
            if (n < 0) {
                READ_AHEAD.give(lent);
                flowing = false;
                return false;
            }
            lent.clear().limit(n);  // a blocking read returns at least one byte
            ahead = lent;
            return true;
        }

        /** Holds lock. */
        private void giveBack() {
            ByteBuffer b = ahead;
            ahead = null;
            flowing = false;
            if (b != null) {
                READ_AHEAD.give(b);
            }
        }

        @Override
        public int available() throws IOException {
            lock.lock();
            try {
                return (ahead == null ? 0 : ahead.remaining()) + socket.available();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }

        boolean holdsBuffer() {
            lock.lock();
            try {
                return ahead != null;
            } finally {
                lock.unlock();
            }
        }

        void release() {
            // A read blocked on the socket holds the lock and no buffer: then there is nothing to give back.
            if (lock.tryLock()) {
                try {
                    giveBack();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return tcp.getOutputStream();
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        throw new SocketException("already connected");
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        throw new SocketException("already bound");
    }

    @Override
    public InetAddress getInetAddress() {
        return tcp.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return tcp.getLocalAddress();
    }

    @Override
    public int getPort() {
        return tcp.getPort();
    }

    @Override
    public int getLocalPort() {
        return tcp.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return tcp.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return tcp.getLocalSocketAddress();
    }

    @Override
    public SocketChannel getChannel() {
        return tcp.getChannel();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        tcp.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return tcp.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        tcp.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return tcp.getSoLinger();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        tcp.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return tcp.getSoTimeout();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        tcp.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return tcp.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        tcp.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return tcp.getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        tcp.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return tcp.getKeepAlive();
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        tcp.setTrafficClass(tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return tcp.getTrafficClass();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        tcp.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return tcp.getReuseAddress();
    }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        tcp.setPerformancePreferences(connectionTime, latency, bandwidth);
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        tcp.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return tcp.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return tcp.supportedOptions();
    }

    @Override
    public void close() throws IOException {
        tcp.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        tcp.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        tcp.shutdownOutput();
    }

    @Override
    public boolean isConnected() {
        return tcp.isConnected();
    }

    @Override
    public boolean isBound() {
        return tcp.isBound();
    }

    @Override
    public boolean isClosed() {
        return tcp.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return tcp.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return tcp.isOutputShutdown();
    }

    @Override
    public String toString() {
        return tcp.toString();
    }
}
