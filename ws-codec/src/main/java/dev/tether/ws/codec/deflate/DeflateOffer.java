package dev.tether.ws.codec.deflate;

import dev.tether.ws.codec.handshake.ExtensionSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a client asks for in its permessage-deflate offer (RFC 7692 section 7.1). Immutable.
 *
 * @param clientMaxWindowBits 0 to offer {@code client_max_window_bits} without a value (we can
 *     honour any window the server picks), 8-15 to offer that value, -1 not to offer it
 * @param serverMaxWindowBits 8-15 to ask the server to use at most that window, -1 for no limit
 * @param clientNoContextTakeover promise to reset our compressor after every message
 * @param serverNoContextTakeover ask the server to reset its compressor after every message
 */
public record DeflateOffer(int clientMaxWindowBits, int serverMaxWindowBits,
                           boolean clientNoContextTakeover, boolean serverNoContextTakeover) {

    public static final String EXTENSION = "permessage-deflate";

    /** The usual offer: {@code permessage-deflate; client_max_window_bits}. */
    public static final DeflateOffer DEFAULT = new DeflateOffer(0, -1, false, false);

    public DeflateOffer {
        if (clientMaxWindowBits != -1 && clientMaxWindowBits != 0 && !validBits(clientMaxWindowBits)) {
            throw new IllegalArgumentException("client_max_window_bits must be 8-15: " + clientMaxWindowBits);
        }
        if (serverMaxWindowBits != -1 && !validBits(serverMaxWindowBits)) {
            throw new IllegalArgumentException("server_max_window_bits must be 8-15: " + serverMaxWindowBits);
        }
    }

    static boolean validBits(int bits) {
        return bits >= 8 && bits <= 15;
    }

    /** The {@code Sec-WebSocket-Extensions} element for this offer. */
    public ExtensionSpec toExtension() {
        Map<String, String> p = new LinkedHashMap<>();
        if (clientMaxWindowBits == 0) {
            p.put("client_max_window_bits", "");
        } else if (clientMaxWindowBits > 0) {
            p.put("client_max_window_bits", Integer.toString(clientMaxWindowBits));
        }
        if (serverMaxWindowBits > 0) {
            p.put("server_max_window_bits", Integer.toString(serverMaxWindowBits));
        }
        if (clientNoContextTakeover) {
            p.put("client_no_context_takeover", "");
        }
        if (serverNoContextTakeover) {
            p.put("server_no_context_takeover", "");
        }
        return new ExtensionSpec(EXTENSION, p);
    }

    public String toHeaderValue() {
        return toExtension().toHeaderValue();
    }
}
