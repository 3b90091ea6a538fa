package dev.tether.ws.spi;

import dev.tether.ws.TlsOptions;
import java.time.Duration;

/**
 * Where and how to connect.
 *
 * @param host host name or IP literal (IPv6 without brackets)
 * @param port TCP port
 * @param secure true for {@code wss://}: wrap the connection in TLS with {@code tls}
 * @param tls TLS options when {@code secure}
 * @param timeoutNanos time left for name resolution, TCP and TLS together
 * @param writeTimeout longest a single write may wait for the peer to take bytes
 */
public record Endpoint(String host, int port, boolean secure, TlsOptions tls, long timeoutNanos,
                       Duration writeTimeout) {
}
