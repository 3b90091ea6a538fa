package dev.tether.ws;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A parsed {@code ws://} or {@code wss://} URL (RFC 6455 section 3): every way it can be wrong
 * is an {@link IllegalArgumentException} that names the problem.
 */
record WsUrl(String text, boolean secure, String host, int port, String resource) {

    static WsUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("no URL given: expected ws://host[:port]/path or wss://...");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL: " + url + " (" + e.getReason() + " at index "
                    + e.getIndex() + ")", e);
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
            throw new IllegalArgumentException("unsupported scheme in " + url + ": "
                    + (scheme == null ? "none" : scheme) + "; use ws:// or wss://");
        }
        if (uri.getFragment() != null) {
            throw new IllegalArgumentException("a WebSocket URL may not have a fragment (#"
                    + uri.getRawFragment() + "), RFC 6455 section 3: " + url);
        }
        if (uri.getRawAuthority() == null) {
            throw new IllegalArgumentException("no host in " + url);
        }
        if (uri.getHost() == null) {
            // java.net.URI falls back to a registry authority when host or port do not parse.
            throw new IllegalArgumentException("bad host or port in " + url + ": '" + uri.getRawAuthority() + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("user info in a WebSocket URL is not supported: " + url
                    + "; send credentials in a header instead");
        }
        boolean secure = scheme.equals("wss");
        int port = uri.getPort();
        if (port == -1) {
            port = secure ? 443 : 80;
        } else if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range 1-65535 in " + url);
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String resource = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new WsUrl(url.strip(), secure, host, port, resource);
    }

    @Override
    public String toString() {
        return text;
    }
}
