/** The NIO transport: Selector event loops serving many connections per thread. */
module dev.tether.ws.transport.nio {
    requires dev.tether.ws.api;

    provides dev.tether.ws.spi.Transport with dev.tether.ws.transport.nio.NioTransport;
}
