package dev.tether.ws.internal;

import dev.tether.ws.WsProxy;
import java.net.Authenticator;
import java.net.PasswordAuthentication;

/**
 * Credentials for a proxy that asks for them when the user gave none on the {@link WsProxy}: the
 * JVM's default {@link Authenticator}, asked as the JDK's own HTTP and SOCKS code asks it
 * ({@link Authenticator.RequestorType#PROXY}), so that a program that set one up for its
 * system proxies ({@code -Dhttps.proxyHost}, {@code -DsocksProxyHost}) gets the same behaviour
 * from Tether. Asked only after the proxy demanded authentication, on the connecting thread.
 */
final class SystemProxyCredentials {
    private SystemProxyCredentials() {
    }

    static boolean available() {
        return Authenticator.getDefault() != null;
    }

    /**
     * @param protocol "http" for an HTTP proxy, "SOCKS5" for SOCKS (the JDK's names)
     * @param prompt the realm, or a description
     * @param scheme "Basic", or null for SOCKS
     * @return what the default authenticator gave, or null (none set, or it declined)
     */
    static PasswordAuthentication ask(WsProxy proxy, String protocol, String prompt, String scheme) {
        if (!available()) {
            return null;
        }
        return Authenticator.requestPasswordAuthentication(proxy.host(), null, proxy.port(), protocol, prompt,
                scheme, null, Authenticator.RequestorType.PROXY);
    }
}
