package dev.tether.ws.spi;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Receives a {@link Connection}'s bytes. Calls for one connection never overlap and arrive in
 * stream order. {@link #onData} must not block: a transport may call it on an event loop that
 * serves other connections too. A listener that cannot keep up calls
 * {@link Connection#pauseReading()}, which pushes back on the peer through TCP.
 * {@link #onClosed} may block.
 */
public interface ConnectionListener {

    /**
     * Bytes arrived, between {@code data.position()} and {@code data.limit()}. The buffer is the
     * transport's own: valid only during the call; the listener may modify its content.
     */
    void onData(ByteBuffer data);

    /**
     * The connection ended: {@code cause} is null for an orderly end of stream from the peer,
     * otherwise the failure (including a local {@link Connection#close()}). Called once.
     */
    void onClosed(IOException cause);
}
