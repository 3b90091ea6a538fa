package dev.tether.ws.codec.deflate;

import dev.tether.ws.codec.Role;
import dev.tether.ws.codec.handshake.ExtensionSpec;
import dev.tether.ws.codec.handshake.HandshakeException;
import java.util.Map;

/**
 * The permessage-deflate parameters both sides agreed on (RFC 7692 section 7), and the one place
 * where a server's answer to our offer is checked.
 *
 * @param clientMaxWindowBits the LZ77 window the client's compressor may use, 8-15
 * @param serverMaxWindowBits the LZ77 window the server's compressor may use, 8-15
 * @param clientNoContextTakeover the client resets its compressor after every message
 * @param serverNoContextTakeover the server resets its compressor after every message
 */
public record DeflateParams(int clientMaxWindowBits, int serverMaxWindowBits,
                            boolean clientNoContextTakeover, boolean serverNoContextTakeover) {

    /** Window bits of this role's compressor. */
    public int sendWindowBits(Role role) {
        return role == Role.CLIENT ? clientMaxWindowBits : serverMaxWindowBits;
    }

    /** Whether this role resets its compressor after each message it sends. */
    public boolean sendNoContextTakeover(Role role) {
        return role == Role.CLIENT ? clientNoContextTakeover : serverNoContextTakeover;
    }

    /** Whether the peer resets its compressor after each message: then so may our decompressor. */
    public boolean receiveNoContextTakeover(Role role) {
        return role == Role.CLIENT ? serverNoContextTakeover : clientNoContextTakeover;
    }

    /**
     * Checks the server's answer to {@code offer}, RFC 7692 section 7.1: every parameter known,
     * none twice, values in range, {@code client_max_window_bits} only if we offered it,
     * {@code server_max_window_bits} no larger than we asked.
     *
     * @throws HandshakeException naming the parameter that is not acceptable
     */
    public static DeflateParams accept(DeflateOffer offer, ExtensionSpec answer) throws HandshakeException {
        int clientBits = 15;
        int serverBits = 15;
        boolean clientNoContext = false;
        boolean serverNoContext = false;
        for (Map.Entry<String, String> p : answer.parameters().entrySet()) {
            String value = p.getValue();
            switch (p.getKey()) {
                case "client_max_window_bits" -> {
                    if (offer.clientMaxWindowBits() == -1) {
                        throw refuse("client_max_window_bits, which we did not offer (RFC 7692 section 7.1.2.2)");
                    }
                    clientBits = bits(p.getKey(), value);
                    if (offer.clientMaxWindowBits() > 0 && clientBits > offer.clientMaxWindowBits()) {
                        throw refuse("client_max_window_bits=" + clientBits + ", above the "
                                + offer.clientMaxWindowBits() + " we offered");
                    }
                }
                case "server_max_window_bits" -> {
                    serverBits = bits(p.getKey(), value);
                    if (offer.serverMaxWindowBits() > 0 && serverBits > offer.serverMaxWindowBits()) {
                        throw refuse("server_max_window_bits=" + serverBits + ", above the "
                                + offer.serverMaxWindowBits() + " we asked for (RFC 7692 section 7.1.2.1)");
                    }
                }
                case "client_no_context_takeover" -> clientNoContext = flag(p.getKey(), value);
                case "server_no_context_takeover" -> serverNoContext = flag(p.getKey(), value);
                default -> throw refuse("unknown parameter " + p.getKey() + " (RFC 7692 section 7.1)");
            }
        }
        if (offer.clientMaxWindowBits() > 0 && !answer.parameters().containsKey("client_max_window_bits")) {
            clientBits = offer.clientMaxWindowBits();  // section 7.1.2.2: we keep to what we offered
        }
        if (offer.clientNoContextTakeover()) {
            clientNoContext = true;  // a promise we made, whether or not the server repeats it
        }
        return new DeflateParams(clientBits, serverBits, clientNoContext, serverNoContext);
    }

    private static int bits(String name, String value) throws HandshakeException {
        if (value.isEmpty()) {
            throw refuse(name + " without a value");
        }
        int bits;
        try {
            bits = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw refuse(name + "=" + value + " is not a number");
        }
        if (!DeflateOffer.validBits(bits) || !value.equals(Integer.toString(bits))) {
            throw refuse(name + "=" + value + " is not 8-15 (RFC 7692 section 7.1.2)");
        }
        return bits;
    }

    private static boolean flag(String name, String value) throws HandshakeException {
        if (!value.isEmpty()) {
            throw refuse(name + " has a value (" + value + "); it takes none");
        }
        return true;
    }

    private static HandshakeException refuse(String what) {
        return new HandshakeException("the server's permessage-deflate answer has " + what);
    }
}
