/**
 * The blocking {@link dev.tether.ws.spi.Transport}: a plain {@code Socket} (an {@code SSLSocket}
 * for {@code wss}) per connection, with one virtual thread reading it. Simple and fast for a few
 * thousand connections; the NIO transport serves more per thread.
 */
module dev.tether.ws.transport.blocking {
    requires dev.tether.ws.api;

    provides dev.tether.ws.spi.Transport with dev.tether.ws.transport.blocking.BlockingTransport;
}
