package dev.tether.ws;

import dev.tether.ws.codec.DecoderLimits;
import dev.tether.ws.codec.handshake.ClientHandshake;
import dev.tether.ws.spi.Transport;
import java.time.Duration;

/**
 * Everything a {@link WebSocket.Builder} settled, immutable once built.
 *
 * @param handshake makes a fresh handshake (new key) per connection; never mutated after build
 * @param pingInterval keep-alive ping period outside {@code start}; null for none
 * @param pongTimeout how long after a ping the link may stay silent before it counts as dead;
 *     null to use the ping interval
 * @param compression the permessage-deflate offer and policy; null for none
 */
record Config(
        WsUrl url,
        TlsOptions tls,
        Transport transport,
        ClientHandshake.Builder handshake,
        DecoderLimits limits,
        Duration connectTimeout,
        Duration closeTimeout,
        Duration writeTimeout,
        Duration pingInterval,
        Duration pongTimeout,
        Backoff backoff,
        long maxQueuedBytes,
        Compression compression) {

    /** Defaults for what the builder was not told. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration RECONNECT_TIME = Duration.ofSeconds(1);

    Duration pongTimeoutFor(Duration interval) {
        return pongTimeout != null ? pongTimeout : interval;
    }
}
