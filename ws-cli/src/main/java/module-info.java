/**
 * {@code wsc}: a command-line WebSocket client on Tether, an echo server made of the codec's
 * server role ({@code wsc serve}), and the seed's examples run against it ({@code wsc demo}).
 * The transports are not required here: the API finds them with ServiceLoader on the module path.
 */
module dev.tether.ws.cli {
    requires dev.tether.ws.api;
    requires dev.tether.ws.codec;
}
