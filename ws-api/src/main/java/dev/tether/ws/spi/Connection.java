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

    /** Closes the connection now; idempotent. The listener's {@code onClosed} follows. */
    void close();

    /** A short description for logs: addresses and protocol. */
    String describe();
}
