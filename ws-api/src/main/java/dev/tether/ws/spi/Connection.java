package dev.tether.ws.spi;

import java.io.IOException;
import java.nio.ByteBuffer;

/** One open byte stream, as a {@link Transport} made it. */
public interface Connection {

    /**
     * Writes all of {@code data}'s remaining bytes, in order, before returning. Callers
     * serialise their writes; an implementation need not accept concurrent calls.
     *
     * @throws IOException when the connection failed, or the peer took no bytes within the
     *     endpoint's write timeout (the connection is then closed)
     */
    void write(ByteBuffer data) throws IOException;

    /** Starts delivering received bytes to the listener; called once, after {@code open}. */
    void startReading();

    /**
     * Stops reading from the socket after the current delivery, until {@link #resumeReading}: the
     * listener's way to push back on the peer through TCP without blocking the thread that
     * delivers (an event loop may be delivering for many connections). Bytes already read are
     * still delivered; the end of the connection is still reported. Any thread; never blocks.
     */
    void pauseReading();

    /** Reads again after {@link #pauseReading}; a no-op when not paused. Any thread; never blocks. */
    void resumeReading();

    /** Closes the connection now; idempotent. The listener's {@code onClosed} follows. */
    void close();

    /** A short description for logs: addresses and protocol. */
    String describe();
}
