package dev.tether.ws.internal;

import dev.tether.ws.ProxyException;
import dev.tether.ws.WsProxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.PasswordAuthentication;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The SOCKS5 side of a proxy tunnel (RFC 1928): method negotiation, username/password
 * authentication when we have credentials (RFC 1929), then CONNECT to the server by name
 * (ATYP 3, the proxy resolves it) or by address (ATYP 1 or 4).
 */
final class Socks5Tunnel {
    private static final int VERSION = 5;
    /** RFC 1928 section 3: the method codes. */
    private static final int NO_AUTHENTICATION = 0x00;
    private static final int USERNAME_PASSWORD = 0x02;
    private static final int NO_ACCEPTABLE_METHODS = 0xFF;
    /** RFC 1929 section 2: the sub-negotiation's own version. */
    private static final int AUTH_VERSION = 1;
    /** RFC 1928 section 4. */
    private static final int CMD_CONNECT = 1;
    private static final int ATYP_IPV4 = 1;
    private static final int ATYP_DOMAIN = 3;
    private static final int ATYP_IPV6 = 4;

    private Socks5Tunnel() {
    }

    /**
     * Opens the tunnel to {@code host:port} through {@code proxy}.
     *
     * @param address the server's address when it was resolved here; null to send {@code host}
     */
    static void exchange(ProxyIo io, WsProxy proxy, String host, int port, InetAddress address) throws IOException {
        String target = HostPort.of(host, port);
        boolean credentials = proxy.username().isPresent();
        // Section 3: offer "no authentication", and username/password when we have them or the
        // JVM's default Authenticator may give them (as the JDK's own SOCKS client does).
        boolean offerPassword = credentials || SystemProxyCredentials.available();
        io.write(offerPassword ? new byte[] {VERSION, 2, NO_AUTHENTICATION, USERNAME_PASSWORD}
                : new byte[] {VERSION, 1, NO_AUTHENTICATION});
        byte[] choice = io.readFully(new byte[2]);
        checkVersion(choice[0], proxy);
        int method = choice[1] & 0xFF;
        if (method == NO_ACCEPTABLE_METHODS) {
            throw new ProxyException(proxy + " accepts none of the authentication methods offered ("
                    + (offerPassword ? "none, username/password" : "none: it probably requires a username and password, "
                    + "set WsProxy.withCredentials") + ")", proxy, NO_ACCEPTABLE_METHODS);
        }
        if (method == USERNAME_PASSWORD && offerPassword) {
            String user;
            char[] password;
            if (credentials) {
                user = proxy.username().get();
                password = proxy.password();
            } else {
                PasswordAuthentication given = SystemProxyCredentials.ask(proxy, "SOCKS5", "SOCKS authentication", null);
                if (given == null) {
                    throw new ProxyException(proxy + " requires a username and password, and java.net.Authenticator "
                            + "gave none: set WsProxy.withCredentials", proxy, USERNAME_PASSWORD);
                }
                user = given.getUserName();
                password = given.getPassword();
            }
            authenticate(io, proxy, user, password);
        } else if (method != NO_AUTHENTICATION) {
            throw new ProxyException(proxy + " chose authentication method 0x" + Integer.toHexString(method)
                    + ", which was not offered", proxy, method);
        }

        io.write(connectRequest(host, port, address));
        // Section 6: VER REP RSV ATYP BND.ADDR BND.PORT.
        byte[] reply = io.readFully(new byte[4]);
        checkVersion(reply[0], proxy);
        int rep = reply[1] & 0xFF;
        if (rep != 0) {
            String to = address == null ? target : target + " (" + address.getHostAddress() + ")";
            throw new ProxyException(proxy + " refused CONNECT to " + to + ": reply " + rep + " ("
                    + replyName(rep) + ", RFC 1928 section 6)", proxy, rep);
        }
        int boundLength = switch (reply[3] & 0xFF) {
            case ATYP_IPV4 -> 4;
            case ATYP_IPV6 -> 16;
            case ATYP_DOMAIN -> io.readByte();
            default -> throw new ProxyException(proxy + " answered CONNECT to " + target
                    + " with an unknown address type " + (reply[3] & 0xFF), proxy, -1);
        };
        io.readFully(new byte[boundLength + 2]);  // where the proxy connected from: not needed
    }

    /** RFC 1929 section 2: VER ULEN UNAME PLEN PASSWD; the answer is VER STATUS, 0 for success. */
    private static void authenticate(ProxyIo io, WsProxy proxy, String username, char[] chars) throws IOException {
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        Arrays.fill(chars, '\0');
        if (user.length < 1 || user.length > 255 || encoded.remaining() < 1 || encoded.remaining() > 255) {
            throw new ProxyException("the username and password for " + proxy + " must be 1-255 bytes each in UTF-8 "
                    + "(RFC 1929 section 2)", proxy, -1);
        }
        byte[] request = new byte[3 + user.length + encoded.remaining()];
        request[0] = AUTH_VERSION;
        request[1] = (byte) user.length;
        System.arraycopy(user, 0, request, 2, user.length);
        request[2 + user.length] = (byte) encoded.remaining();
        encoded.get(request, 3 + user.length, encoded.remaining());
        try {
            io.write(request);
        } finally {
            Arrays.fill(request, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
        byte[] answer = io.readFully(new byte[2]);
        int status = answer[1] & 0xFF;
        if (status != 0) {
            throw new ProxyException(proxy + " refused the username and password of user \""
                    + username + "\" (RFC 1929 status " + status + ")", proxy, status);
        }
    }

    private static byte[] connectRequest(String host, int port, InetAddress address) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32);
        out.write(new byte[] {VERSION, CMD_CONNECT, 0});
        if (address == null && IpLiteral.is(host)) {
            address = InetAddress.getByName(host);  // a literal: parsed, never looked up
        }
        if (address != null) {
            out.write(address instanceof Inet4Address ? ATYP_IPV4 : ATYP_IPV6);
            out.write(address.getAddress());
        } else {
            byte[] name = host.getBytes(StandardCharsets.US_ASCII);
            if (name.length > 255 || !StandardCharsets.US_ASCII.newEncoder().canEncode(host)) {
                throw new IOException("host name " + host + " cannot be sent to a SOCKS5 proxy: it must be at most "
                        + "255 ASCII characters (RFC 1928 section 5); use its punycode form");
            }
            out.write(ATYP_DOMAIN);
            out.write(name.length);
            out.write(name);
        }
        out.write(port >> 8);
        out.write(port);
        return out.toByteArray();
    }

    private static void checkVersion(byte version, WsProxy proxy) throws ProxyException {
        if (version != VERSION) {
            throw new ProxyException(proxy + " does not speak SOCKS5: it answered with version byte 0x"
                    + Integer.toHexString(version & 0xFF), proxy, -1);
        }
    }

    /** RFC 1928 section 6, the REP field. */
    static String replyName(int rep) {
        return switch (rep) {
            case 1 -> "general SOCKS server failure";
            case 2 -> "connection not allowed by ruleset";
            case 3 -> "network unreachable";
            case 4 -> "host unreachable";
            case 5 -> "connection refused";
            case 6 -> "TTL expired";
            case 7 -> "command not supported";
            case 8 -> "address type not supported";
            default -> "unassigned";
        };
    }
}
