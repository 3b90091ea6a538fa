package dev.tether.ws.transport.blocking;

import dev.tether.ws.internal.ClientTls;
import dev.tether.ws.spi.Deadline;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.ScheduledFuture;
import javax.net.ssl.SSLSocket;

/**
 * Wraps a connected TCP socket in TLS for {@code wss://}. The policy (trust, host name, SNI,
 * certificate files, error messages) is {@link ClientTls}'s, shared with the NIO transport;
 * this only runs the handshake on an SSLSocket within the connect deadline.
 */
final class TlsLayer {
    private TlsLayer() {
    }

    /**
     * Layers TLS over {@code tcp}, reading through {@code under} (over {@code tcp}), and completes
     * the handshake within the deadline. On failure the TCP socket is closed too.
     */
    static SSLSocket wrap(Socket tcp, ReadAheadSocket under, ClientTls tls, Deadline deadline) throws IOException {
        String what = "TLS handshake with " + tls.target();
        SSLSocket ssl = null;
        // SO_TIMEOUT bounds each read, not the handshake: a server that trickles a byte at a time
        // would hold it for ever. At the deadline the TCP socket is closed, which ends it.
        ScheduledFuture<?> bound = WriteWatchdog.after(deadline.remainingMillis(what), () -> TcpConnector.closeQuietly(tcp));
        try {
            ssl = tls.layerOver(under);
            ssl.setSoTimeout(deadline.remainingMillis(what));
            try {
                ssl.startHandshake();
            } catch (IOException e) {
                if (e instanceof SocketTimeoutException || deadline.expired()) {
                    SocketTimeoutException timeout = deadline.expired(what);
                    timeout.initCause(e);
                    throw timeout;
                }
                throw tls.handshakeFailed(e);
            }
            ssl.setSoTimeout(0);  // reads wait for the peer from now on; keep-alive is the engine's
            tls.handshakeDone(ssl.getSession());
            return ssl;
        } catch (IOException | RuntimeException e) {
            // TCP first: closing an SSLSocket mid-handshake may try to write an alert.
            TcpConnector.closeQuietly(tcp);
            if (ssl != null) {
                TcpConnector.closeQuietly(ssl);
            }
            throw e;
        } finally {
            bound.cancel(false);
        }
    }
}
