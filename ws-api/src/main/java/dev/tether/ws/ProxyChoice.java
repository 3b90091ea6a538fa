package dev.tether.ws;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.util.List;

/**
 * Which proxy a connect goes through: the builder's explicit {@link WsProxy} when there is one,
 * else what a {@link ProxySelector} (the builder's, or the JVM's default) says for the URL seen
 * as {@code https://} ({@code wss}) or {@code http://} ({@code ws}), so that
 * {@code -Dhttps.proxyHost}, {@code -DsocksProxyHost}, {@code -Dhttp.nonProxyHosts} and
 * {@code -Djava.net.useSystemProxies} work as they do for the JDK's own HTTP clients. Asked at
 * every connect: a reconnect follows a changed selector. Immutable.
 *
 * @param fixed the builder's proxy ({@link WsProxy#NONE} to bypass every selector); null to ask one
 * @param selector the builder's selector; null for {@link ProxySelector#getDefault()}
 */
record ProxyChoice(WsProxy fixed, ProxySelector selector) {
    static final ProxyChoice SYSTEM = new ProxyChoice(null, null);

    /** The proxy for a connect to {@code url}; {@link WsProxy#NONE} to connect directly. */
    WsProxy forUrl(WsUrl url) throws IOException {
        if (fixed != null) {
            return fixed;
        }
        ProxySelector s = selector != null ? selector : ProxySelector.getDefault();
        if (s == null) {
            return WsProxy.NONE;
        }
        URI uri = selectorUri(url);
        List<Proxy> proxies;
        try {
            proxies = s.select(uri);
        } catch (RuntimeException e) {
            throw new IOException("the ProxySelector " + s + " failed for " + uri + ": " + e, e);
        }
        // Like the JDK's HttpClient, take the first: trying the others in turn would multiply the
        // connect timeout's uses, and a selector that wants a fallback lists DIRECT first-class.
        if (proxies == null || proxies.isEmpty() || proxies.get(0) == null) {
            return WsProxy.NONE;
        }
        try {
            return WsProxy.of(proxies.get(0));
        } catch (IllegalArgumentException e) {
            throw new IOException("the ProxySelector " + s + " chose an unusable proxy for " + uri + ": "
                    + e.getMessage(), e);
        }
    }

    /** {@code https://host:port/} for {@code wss}, {@code http://...} for {@code ws}: what selectors know. */
    static URI selectorUri(WsUrl url) {
        String host = url.host().indexOf(':') >= 0 ? "[" + url.host() + "]" : url.host();
        return URI.create((url.secure() ? "https" : "http") + "://" + host + ":" + url.port() + "/");
    }
}
