package dev.tether.ws;

import java.io.IOException;
import java.util.List;

/**
 * Answers an HTTP proxy's {@code 407 Proxy Authentication Required} (RFC 9110 section 15.5.8)
 * for schemes beyond the Basic one that {@link WsProxy#withCredentials} covers: given the
 * challenge, it returns the {@code Proxy-Authorization} value to send with the retry. The
 * {@code CONNECT} is retried once, on a new connection to the proxy, within the same connect
 * timeout; a second 407 fails the connect.
 */
@FunctionalInterface
public interface ProxyAuthenticator {

    /**
     * What the proxy said.
     *
     * @param proxy the proxy that asked
     * @param target {@code host:port} the tunnel was for
     * @param statusLine e.g. {@code 407 Proxy Authentication Required}
     * @param proxyAuthenticate the values of its {@code Proxy-Authenticate} fields, in order (RFC
     *     9110 section 11.7.1), e.g. {@code Basic realm="corp"}, {@code Negotiate}
     */
    record Challenge(WsProxy proxy, String target, String statusLine, List<String> proxyAuthenticate) {
        public Challenge {
            proxyAuthenticate = List.copyOf(proxyAuthenticate);
        }
    }

    /**
     * The {@code Proxy-Authorization} field value to retry with (e.g. {@code Bearer abc...}), or
     * null to give up. Runs on the connecting thread, within the connect timeout.
     *
     * @throws IOException to fail the connect with this error
     */
    String authorization(Challenge challenge) throws IOException;
}
