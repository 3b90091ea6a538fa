package dev.tether.ws;

import dev.tether.ws.spi.SocketSettings;
import dev.tether.ws.codec.DecoderLimits;
import dev.tether.ws.codec.handshake.ClientHandshake;
import dev.tether.ws.spi.Transport;
import java.time.Duration;

/**
 * Everything a {@link WebSocket.Builder} settled, immutable once built.
 *
 * @param handshake makes a fresh handshake (new key) per connection; never mutated after build
 * @param pingInterval keep-alive ping period (and {@code start}'s when its keepAlive is null);
 *     zero for none
 * @param pongTimeout how long after a ping the link may stay silent before it counts as dead;
 *     null for the smaller of the ping interval and {@link #PONG_TIMEOUT}
 * @param resolver how host names become addresses
 * @param compression the permessage-deflate offer and policy; null for none
 * @param keepHandshakeResponse keep the server's 101 head for {@link WebSocket#handshakeResponse()}
 * @param outbox bounds and policy of the outbox; null for none
 * @param maxStreamedMessageSize the frame and message limit of a connection that streams
 * @param trafficListener counts messages and bytes; null for none
 * @param proxy the builder's proxy or selector, asked at each connect
 * @param socket socket options and local address
 * @param inlineHandlers MESSAGE handlers run on the thread that read the message, which lends it
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
        Compression compression,
        Resolver resolver,
        boolean keepHandshakeResponse,
        OutboxSettings outbox,
        long maxStreamedMessageSize,
        TrafficListener trafficListener,
        ProxyChoice proxy,
        SocketSettings socket,
        boolean inlineHandlers) {

    /** Defaults for what the builder was not told. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration RECONNECT_TIME = Duration.ofSeconds(1);
    /**
     * A connection that only receives cannot tell a quiet server from a dead link (a NAT that
     * forgot it, a peer that lost power) without asking: ping every 30 s, as the seed's
     * {@code start(30)} does, and give up after 10 s of silence.
     */
    static final Duration PING_INTERVAL = Duration.ofSeconds(30);
    static final Duration PONG_TIMEOUT = Duration.ofSeconds(10);

    Duration pongTimeoutFor(Duration interval) {
        if (pongTimeout != null) {
            return pongTimeout;
        }
        return interval.compareTo(PONG_TIMEOUT) < 0 ? interval : PONG_TIMEOUT;
    }
}
