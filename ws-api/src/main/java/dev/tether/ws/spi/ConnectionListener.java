package dev.tether.ws.spi;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Receives a {@link Connection}'s bytes. Calls for one connection never overlap and arrive in
 * stream order; they may block (the transport stops reading meanwhile, which pushes back on the
 * peer through TCP).
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
