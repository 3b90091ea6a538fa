package dev.tether.ws.internal;

/** Tells IP literals from host names without a DNS lookup. */
public final class IpLiteral {
    private IpLiteral() {
    }

    /** IPv6 (it contains a colon; host names never do) or dotted-quad IPv4. */
    public static boolean is(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
