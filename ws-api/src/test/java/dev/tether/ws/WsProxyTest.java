package dev.tether.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What WsProxy and the proxy selection refuse or decide before any I/O. */
class WsProxyTest {

    @Test
    void badHostsAndPortsAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> WsProxy.http("proxy", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("proxy port must be 1-65535: 0");
        assertThatThrownBy(() -> WsProxy.socks5(" ", 1080)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("proxy host must be a host name or IP address");
        assertThatThrownBy(() -> WsProxy.http("http://proxy", 3128)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://proxy");
    }

    @Test
    void ipv6LiteralsLoseTheirBracketsAndGetThemBackInMessages() {
        WsProxy p = WsProxy.socks5("[::1]", 1080);
        assertThat(p.host()).isEqualTo("::1");
        assertThat(p).hasToString("SOCKS5 proxy [::1]:1080");
    }

    @Test
    void credentialsAreCopiedAndNeverPrinted() {
        char[] password = "secret".toCharArray();
        WsProxy p = WsProxy.http("proxy", 3128).withCredentials("alice", password);
        password[0] = 'X';
        assertThat(p.password()).containsExactly("secret".toCharArray());
        assertThat(p.username()).contains("alice");
        assertThat(p.toString()).isEqualTo("HTTP proxy proxy:3128").doesNotContain("secret").doesNotContain("alice");
    }

    @Test
    void whatCannotBeSentIsRefused() {
        assertThatThrownBy(() -> WsProxy.http("proxy", 3128).withCredentials("a:b", new char[] {'x'}))
                .hasMessageContaining("must not contain ':' (RFC 7617");
        assertThatThrownBy(() -> WsProxy.socks5("proxy", 1080).withCredentials("alice", new char[0]))
                .hasMessageContaining("SOCKS5 password must be 1-255 bytes");
        assertThatThrownBy(() -> WsProxy.socks5("proxy", 1080).withCredentials("a".repeat(256), new char[] {'x'}))
                .hasMessageContaining("SOCKS5 username must be 1-255 bytes");
        assertThatThrownBy(() -> WsProxy.http("proxy", 3128).resolveLocally(true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("SOCKS5 proxies only");
        assertThatThrownBy(() -> WsProxy.socks5("proxy", 1080).authenticator(c -> "x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("HTTP proxies only");
        assertThatThrownBy(() -> WsProxy.NONE.withCredentials("a", new char[] {'x'}))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void javaNetProxiesMapToTheirKind() {
        assertThat(WsProxy.of(Proxy.NO_PROXY)).isSameAs(WsProxy.NONE);
        assertThat(WsProxy.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("p", 8080))))
                .isEqualTo(WsProxy.http("p", 8080));
        assertThat(WsProxy.of(new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", 1080))))
                .isEqualTo(WsProxy.socks5("127.0.0.1", 1080));
    }

    @Test
    void selectorsSeeWssAsHttpsAndWsAsHttp() throws Exception {
        List<URI> asked = new java.util.ArrayList<>();
        ProxySelector selector = new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                asked.add(uri);
                return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("p", 3128)));
            }

            @Override
            public void connectFailed(URI uri, java.net.SocketAddress sa, java.io.IOException ioe) {
            }
        };
        ProxyChoice choice = new ProxyChoice(null, selector);
        assertThat(choice.forUrl(WsUrl.parse("wss://[::1]:8443/x?y"))).isEqualTo(WsProxy.http("p", 3128));
        assertThat(choice.forUrl(WsUrl.parse("ws://example.com/"))).isEqualTo(WsProxy.http("p", 3128));
        assertThat(asked).containsExactly(URI.create("https://[::1]:8443/"), URI.create("http://example.com:80/"));
        assertThat(new ProxyChoice(WsProxy.NONE, null).forUrl(WsUrl.parse("ws://example.com/"))).isSameAs(WsProxy.NONE);
    }
}
