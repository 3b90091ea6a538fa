package dev.tether.ws.internal;

import dev.tether.ws.ProxyAuthenticator;
import dev.tether.ws.ProxyException;
import dev.tether.ws.WsProxy;
import dev.tether.ws.codec.handshake.HandshakeException;
import dev.tether.ws.codec.handshake.HttpHeadParser;
import dev.tether.ws.codec.handshake.HttpResponseHead;
import java.io.IOException;
import java.net.PasswordAuthentication;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP side of a proxy tunnel: {@code CONNECT host:port} (RFC 9110 section 9.3.6), and the
 * proxy's answer read with the codec's {@link HttpHeadParser}. Any 2xx opens the tunnel; a
 * 407 (section 15.5.8) may be answered once through the {@link ProxyAuthenticator}; everything
 * else is a {@link ProxyException} with the proxy's status line.
 */
final class HttpConnectTunnel {
    private HttpConnectTunnel() {
    }

    /** {@code Basic base64(user:password)} (RFC 7617 section 2, UTF-8 as section 2.1 allows), or null. */
    static String basic(WsProxy proxy) {
        char[] password = proxy.password();
        return password == null ? null : basic(proxy.username().orElseThrow(), password);
    }

    /** Clears {@code password}. */
    static String basic(String username, char[] password) {
        CharBuffer chars = CharBuffer.allocate(username.length() + 1 + password.length);
        chars.put(username).put(':').put(password).flip();
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(chars);
        byte[] bytes = new byte[utf8.remaining()];
        utf8.get(bytes);
        java.util.Arrays.fill(password, '\0');
        java.util.Arrays.fill(chars.array(), '\0');
        return "Basic " + Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * The {@code Proxy-Authorization} to send, and where it came from, for messages: "the
     * credentials for user \"alice\"", "the ProxyAuthenticator's answer".
     */
    record Authorization(String value, String source) {
        @Override
        public String toString() {
            return source;  // never the credentials themselves
        }
    }

    /**
     * Asks the proxy for a tunnel to {@code target} and reads its answer, and not one byte more:
     * what follows the empty line is the server's.
     *
     * @param authorization the {@code Proxy-Authorization} to send, or null
     * @param mayRetry whether a 407 may be answered with new credentials
     * @return null once the tunnel is open; the {@code Proxy-Authorization} to retry with, on a
     *     new connection, when the proxy asked for one and the ProxyAuthenticator (or, without
     *     one and without credentials, the JVM's default {@link java.net.Authenticator}) gave it
     */
    static Authorization exchange(ProxyIo io, WsProxy proxy, String target, Authorization authorization,
                                  boolean mayRetry) throws IOException {
        StringBuilder request = new StringBuilder(128)
                .append("CONNECT ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(target).append("\r\n");  // RFC 9112 section 3.2.3: the authority
        if (authorization != null) {
            request.append("Proxy-Authorization: ").append(authorization.value()).append("\r\n");
        }
        io.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));

        HttpResponseHead head = readHead(io, proxy, target);
        int status = head.statusCode();
        if (status / 100 == 2) {
            return null;
        }
        String refused = proxy + " refused CONNECT to " + target + ": " + head.version() + " " + head.status();
        if (status != 407) {
            throw new ProxyException(refused, proxy, status);
        }
        List<String> challenges = head.headers().all("Proxy-Authenticate");
        String asks = challenges.isEmpty() ? "" : " (Proxy-Authenticate: " + String.join(", ", challenges) + ")";
        if (mayRetry) {
            Authorization retry = retryWith(proxy, target, head, challenges, authorization);
            if (retry != null) {
                return retry;
            }
        }
        String why;
        if (authorization == null) {
            why = "; it requires authentication" + asks + ": set WsProxy.withCredentials for Basic, or an authenticator";
        } else {
            why = "; " + authorization.source() + (mayRetry ? " were refused" : " was refused too") + asks;
        }
        throw new ProxyException(refused + why, proxy, status);
    }

    /** RFC 9110 section 15.5.8: what to repeat the request with, or null to give up. */
    private static Authorization retryWith(WsProxy proxy, String target, HttpResponseHead head, List<String> challenges,
                                           Authorization sent) throws IOException {
        if (proxy.authenticator() != null) {
            String value = proxy.authenticator().authorization(
                    new ProxyAuthenticator.Challenge(proxy, target, head.status(), challenges));
            if (value == null) {
                return null;
            }
            if (value.isEmpty() || value.chars().anyMatch(c -> c < 0x20 || c > 0x7E)) {
                throw new IllegalArgumentException("the ProxyAuthenticator's Proxy-Authorization value must be "
                        + "non-empty visible ASCII, without CR or LF");
            }
            return new Authorization(value, "the ProxyAuthenticator's answer");
        }
        boolean basicAsked = challenges.isEmpty()
                || challenges.stream().anyMatch(c -> c.regionMatches(true, 0, "Basic", 0, 5));
        if (sent != null || !basicAsked) {
            return null;
        }
        PasswordAuthentication given = SystemProxyCredentials.ask(proxy, "http", realm(challenges), "Basic");
        if (given == null) {
            return null;
        }
        return new Authorization(basic(given.getUserName(), given.getPassword()),
                "the credentials java.net.Authenticator gave for user \"" + given.getUserName() + "\"");
    }

    /** The realm of the first Basic challenge ({@code Basic realm="corp"}), or "". */
    private static String realm(List<String> challenges) {
        for (String c : challenges) {
            int at = c.toLowerCase(java.util.Locale.ROOT).indexOf("realm=\"");
            if (at >= 0) {
                int end = c.indexOf('"', at + 7);
                return end < 0 ? c.substring(at + 7) : c.substring(at + 7, end);
            }
        }
        return "";
    }

    /** Byte by byte: an answer is a few hundred bytes, and nothing past its empty line may be taken. */
    private static HttpResponseHead readHead(ProxyIo io, WsProxy proxy, String target) throws IOException {
        HttpHeadParser<HttpResponseHead> parser = HttpHeadParser.forResponses();
        ByteBuffer one = ByteBuffer.allocate(1);
        int read = 0;
        while (true) {
            int b = io.read();
            if (b < 0) {
                throw new ProxyException(proxy + " closed the connection " + (read == 0 ? "without answering"
                        : "in the middle of its answer to") + " CONNECT to " + target, proxy, -1);
            }
            read++;
            one.clear();
            one.put((byte) b).flip();
            Optional<HttpResponseHead> head;
            try {
                head = parser.parse(one);
            } catch (HandshakeException e) {
                ProxyException bad = new ProxyException(proxy + " answered CONNECT to " + target
                        + " with something that is not HTTP: " + e.getMessage(), proxy, -1);
                bad.initCause(e);
                throw bad;
            }
            if (head.isPresent()) {
                return head.get();
            }
        }
    }
}
