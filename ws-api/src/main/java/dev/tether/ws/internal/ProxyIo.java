package dev.tether.ws.internal;

import dev.tether.ws.spi.Deadline;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Blocking reads and writes of a proxy handshake on a connected socket (a plain {@code Socket},
 * or a blocking {@code SocketChannel}'s adaptor), bounded by the connect deadline: before each
 * read SO_TIMEOUT is set to the time left, so a proxy that trickles its answer a byte at a time
 * cannot stretch the wait past it. Writes are a few hundred bytes into an empty socket buffer:
 * they do not wait for the peer. Owned by the connecting thread.
 */
final class ProxyIo {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Deadline deadline;
    /** For the timeout's message: "CONNECT to host:443 through HTTP proxy ...". */
    private final String what;

    ProxyIo(Socket socket, Deadline deadline, String what) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.deadline = deadline;
        this.what = what;
    }

    /** One byte, or -1 at the end of the stream. */
    int read() throws IOException {
        socket.setSoTimeout(deadline.remainingMillis(what));
        return in.read();
    }

    /** Exactly {@code b.length} bytes. */
    byte[] readFully(byte[] b) throws IOException {
        int n = 0;
        while (n < b.length) {
            socket.setSoTimeout(deadline.remainingMillis(what));
            int r = in.read(b, n, b.length - n);
            if (r < 0) {
                throw new EOFException("the proxy closed the connection after " + n + " of " + b.length + " bytes");
            }
            n += r;
        }
        return b;
    }

    int readByte() throws IOException {
        return readFully(new byte[1])[0] & 0xFF;
    }

    void write(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    /** Reads wait for ever again: from here on the connection's keep-alive bounds silence. */
    void done() throws IOException {
        socket.setSoTimeout(0);
    }
}
