package dev.tether.ws;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A proxy to reach the WebSocket server through, for {@link WebSocket.Builder#proxy(WsProxy)}:
 * an HTTP proxy that opens a tunnel with {@code CONNECT} (RFC 9110 section 9.3.6), or a SOCKS5
 * proxy (RFC 1928) with optional username/password authentication (RFC 1929). For {@code wss}
 * the TLS handshake runs inside the tunnel, with the server's own host name for SNI and the
 * certificate check: the proxy sees only encrypted bytes. Immutable; the {@code with...} methods
 * return a changed copy.
 *
 * <pre>{@code
 * WsProxy.http("proxy.corp", 3128).withCredentials("alice", password)
 * WsProxy.socks5("127.0.0.1", 1080)                       // the proxy resolves the server's name
 * WsProxy.socks5("127.0.0.1", 1080).resolveLocally(true)  // we do, and send it the address
 * }</pre>
 */
public final class WsProxy {

    /** What kind of proxy, or none. */
    public enum Type {
        /** No proxy: connect to the server itself. */
        DIRECT,
        /** An HTTP proxy, through a {@code CONNECT} tunnel. */
        HTTP,
        /** A SOCKS version 5 proxy. */
        SOCKS5
    }

    /** No proxy, whatever the system's {@link java.net.ProxySelector} says ({@link Proxy#NO_PROXY}). */
    public static final WsProxy NONE = new WsProxy(Type.DIRECT, null, 0, null, null, false, null);

    private final Type type;
    private final String host;
    private final int port;
    private final String username;
    /** Never handed out: {@link #password()} copies it. */
    private final char[] password;
    private final boolean resolveLocally;
    private final ProxyAuthenticator authenticator;

    private WsProxy(Type type, String host, int port, String username, char[] password, boolean resolveLocally,
                    ProxyAuthenticator authenticator) {
        this.type = type;
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.resolveLocally = resolveLocally;
        this.authenticator = authenticator;
    }

    /** An HTTP proxy at {@code host:port} that tunnels with {@code CONNECT}. */
    public static WsProxy http(String host, int port) {
        return new WsProxy(Type.HTTP, checkHost(host), checkPort(port), null, null, false, null);
    }

    /** A SOCKS5 proxy at {@code host:port}; by default it resolves the server's host name. */
    public static WsProxy socks5(String host, int port) {
        return new WsProxy(Type.SOCKS5, checkHost(host), checkPort(port), null, null, false, null);
    }

    /**
     * The same proxy as a {@link java.net.Proxy}: {@link Proxy#NO_PROXY} (or any DIRECT one) is
     * {@link #NONE}, {@code HTTP} is {@link #http}, {@code SOCKS} is {@link #socks5}.
     *
     * @throws IllegalArgumentException for a proxy whose address is not an InetSocketAddress
     */
    public static WsProxy of(Proxy proxy) {
        Objects.requireNonNull(proxy, "proxy");
        if (proxy.type() == Proxy.Type.DIRECT) {
            return NONE;
        }
        if (!(proxy.address() instanceof InetSocketAddress address)) {
            throw new IllegalArgumentException("proxy address must be an InetSocketAddress: " + proxy);
        }
        // getHostString: the name as given, never a reverse lookup of a resolved address.
        return proxy.type() == Proxy.Type.HTTP ? http(address.getHostString(), address.getPort())
                : socks5(address.getHostString(), address.getPort());
    }

    /**
     * Credentials for the proxy: {@code Proxy-Authorization: Basic} (RFC 7617) for an HTTP proxy,
     * sent with the first {@code CONNECT}; username/password authentication (RFC 1929) for SOCKS5.
     * The password is copied: clear your array when you like.
     *
     * @throws IllegalArgumentException for a username with a colon (HTTP Basic cannot carry it), or
     *     a username or password that is empty or longer than 255 UTF-8 bytes (SOCKS5)
     */
    public WsProxy withCredentials(String username, char[] password) {
        requireProxy("withCredentials");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (type == Type.HTTP && username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("proxy username must not contain ':' (RFC 7617 section 2): " + username);
        }
        if (type == Type.SOCKS5) {
            checkSocksField("username", username.getBytes(StandardCharsets.UTF_8).length);
            checkSocksField("password", StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password)).remaining());
        }
        return new WsProxy(type, host, port, username, password.clone(), resolveLocally, authenticator);
    }

    /**
     * SOCKS5 only: {@code true} resolves the server's host name here (with the builder's
     * {@link WebSocket.Builder#resolver resolver}) and sends the proxy an address, as
     * {@code socks5://} does in curl; {@code false}, the default, sends the name and lets the proxy
     * resolve it ({@code socks5h://}), which is what a proxy in another network needs.
     *
     * @throws IllegalStateException for an HTTP proxy, which always resolves the name itself
     */
    public WsProxy resolveLocally(boolean local) {
        if (type != Type.SOCKS5) {
            throw new IllegalStateException("resolveLocally applies to SOCKS5 proxies only, not to " + this);
        }
        return new WsProxy(type, host, port, username, password, local, authenticator);
    }

    /**
     * HTTP only: asked when the proxy answers {@code 407 Proxy Authentication Required} (with its
     * {@code Proxy-Authenticate} challenges), for a {@code Proxy-Authorization} value to retry
     * with, once: for schemes other than Basic (Digest, Negotiate, a token).
     *
     * @throws IllegalStateException for a SOCKS5 proxy
     */
    public WsProxy authenticator(ProxyAuthenticator authenticator) {
        if (type != Type.HTTP) {
            throw new IllegalStateException("an authenticator applies to HTTP proxies only, not to " + this);
        }
        return new WsProxy(type, host, port, username, password, resolveLocally,
                Objects.requireNonNull(authenticator, "authenticator"));
    }

    public Type type() {
        return type;
    }

    /** The proxy's host name or IP literal (IPv6 without brackets); null for {@link #NONE}. */
    public String host() {
        return host;
    }

    /** The proxy's port; 0 for {@link #NONE}. */
    public int port() {
        return port;
    }

    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** A copy of the password, or null when no credentials were given. */
    public char[] password() {
        return password == null ? null : password.clone();
    }

    /** SOCKS5: whether the server's name is resolved here rather than by the proxy. */
    public boolean resolvesLocally() {
        return resolveLocally;
    }

    /** The 407 hook, or null. */
    public ProxyAuthenticator authenticator() {
        return authenticator;
    }

    /** E.g. {@code HTTP proxy 127.0.0.1:3128}, {@code SOCKS5 proxy [::1]:1080}; never the password. */
    @Override
    public String toString() {
        if (type == Type.DIRECT) {
            return "no proxy";
        }
        String at = host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
        return type + " proxy " + at;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WsProxy p && type == p.type && port == p.port && resolveLocally == p.resolveLocally
                && Objects.equals(host, p.host) && Objects.equals(username, p.username)
                && Arrays.equals(password, p.password) && Objects.equals(authenticator, p.authenticator);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, host, port, username, resolveLocally);
    }

    private void requireProxy(String what) {
        if (type == Type.DIRECT) {
            throw new IllegalStateException(what + " needs a proxy, not WsProxy.NONE");
        }
    }

    private static String checkHost(String host) {
        Objects.requireNonNull(host, "proxy host");
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.isBlank() || h.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@')) {
            throw new IllegalArgumentException("proxy host must be a host name or IP address: \"" + host + "\"");
        }
        return h;
    }

    private static int checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port must be 1-65535: " + port);
        }
        return port;
    }

    /** RFC 1929 section 2: ULEN and PLEN are one octet each, and at least 1. */
    private static void checkSocksField(String what, int bytes) {
        if (bytes < 1 || bytes > 255) {
            throw new IllegalArgumentException("SOCKS5 " + what + " must be 1-255 bytes in UTF-8 (RFC 1929): "
                    + bytes + " bytes");
        }
    }
}
