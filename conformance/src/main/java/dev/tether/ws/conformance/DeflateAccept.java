package dev.tether.ws.conformance;

import dev.tether.ws.codec.deflate.DeflateParams;
import dev.tether.ws.codec.handshake.ExtensionSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How the peer, as the server, answers a client's permessage-deflate offers in one case: the
 * accept functions of the suite's 12.x/13.x cases. Each is a list of requests the server makes
 * of the client, {@code (requestNoContextTakeover, requestMaxWindowBits)}, tried in order; for
 * each request the client's offers are tried in the client's order, and the first offer that
 * allows the request is accepted:
 *
 * <ul>
 *   <li>{@code client_no_context_takeover} may always be requested (RFC 7692 section 7.1.1.2
 *       lets a server include it even when the offer did not);</li>
 *   <li>{@code client_max_window_bits=N} only of an offer that has {@code client_max_window_bits}
 *       (section 7.1.2.2), and never above the value offered;</li>
 *   <li>what the offer asks of the server ({@code server_no_context_takeover},
 *       {@code server_max_window_bits}) is granted and repeated in the answer.</li>
 * </ul>
 *
 * An offer that section 7.1 says to decline (an unknown parameter, a value out of range or
 * malformed, a flag with a value) is declined, with the reason noted; when no offer fits, the
 * extension is not negotiated and the case is UNIMPLEMENTED, as in the suite.
 *
 * @param requests the server's requests, in the order they are tried
 */
public record DeflateAccept(List<Request> requests) {

    /**
     * One request of the server.
     *
     * @param noContextTakeover ask for {@code client_no_context_takeover}
     * @param maxWindowBits ask for {@code client_max_window_bits} with this value; 0 not to
     */
    public record Request(boolean noContextTakeover, int maxWindowBits) {
        @Override
        public String toString() {
            return "(" + (noContextTakeover ? "True" : "False") + ", " + maxWindowBits + ")";
        }
    }

    /** A client's offer, checked (RFC 7692 section 7.1). */
    public record Offer(ExtensionSpec spec, boolean serverNoContextTakeover, int serverMaxWindowBits,
                 boolean clientNoContextTakeover, int clientMaxWindowBits) {
        /** clientMaxWindowBits: -1 absent, 0 present without a value, else the value. */
        boolean allowsClientWindow() {
            return clientMaxWindowBits >= 0;
        }
    }

    /**
     * The outcome of the handshake for the extension.
     *
     * @param answer the {@code Sec-WebSocket-Extensions} element to answer with; null when the
     *     extension was not negotiated
     * @param params what was agreed; null when not negotiated
     * @param notes what the client offered and why offers were declined, for the report
     */
    public record Outcome(ExtensionSpec answer, DeflateParams params, List<String> notes) {
        public boolean negotiated() {
            return answer != null;
        }
    }

    /** 12.x and 13.1: accept the first offer as it is. */
    public static final DeflateAccept AS_OFFERED = of(new Request(false, 0));

    public static DeflateAccept of(Request... requests) {
        return new DeflateAccept(List.of(requests));
    }

    public DeflateAccept {
        requests = List.copyOf(requests);
    }

    /** The suite's description of the accept function: {@code [(True, 9), (True, 0), (False, 0)]}. */
    public String describe() {
        return requests.stream().map(Request::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    /** Answers {@code offered}, the client's extension offers in its order. */
    public Outcome negotiate(List<ExtensionSpec> offered) {
        List<String> notes = new ArrayList<>();
        List<Offer> offers = new ArrayList<>();
        for (ExtensionSpec spec : offered) {
            if (!spec.name().equals("permessage-deflate")) {
                continue;
            }
            notes.add("offered: " + spec.toHeaderValue());
            try {
                offers.add(parse(spec));
            } catch (IllegalArgumentException e) {
                notes.add("declined (RFC 7692 section 7.1): " + e.getMessage());
            }
        }
        if (offered.stream().noneMatch(s -> s.name().equals("permessage-deflate"))) {
            notes.add("the client did not offer permessage-deflate");
        }
        for (Request request : requests) {
            for (Offer offer : offers) {
                if (request.maxWindowBits() != 0 && !offer.allowsClientWindow()) {
                    continue;
                }
                return accept(offer, request, notes);
            }
        }
        if (!offers.isEmpty()) {
            notes.add("no offer allows what this case asks of the client, " + describe()
                    + ": client_max_window_bits must be offered to be limited (RFC 7692 section 7.1.2.2)");
        }
        return new Outcome(null, null, List.copyOf(notes));
    }

    private static Outcome accept(Offer offer, Request request, List<String> notes) {
        Map<String, String> p = new LinkedHashMap<>();
        if (offer.serverNoContextTakeover()) {
            p.put("server_no_context_takeover", "");
        }
        if (offer.serverMaxWindowBits() != 0) {
            p.put("server_max_window_bits", Integer.toString(offer.serverMaxWindowBits()));
        }
        if (request.noContextTakeover()) {
            p.put("client_no_context_takeover", "");
        }
        int clientBits = 15;
        if (offer.clientMaxWindowBits() > 0) {
            clientBits = offer.clientMaxWindowBits();  // the client limited itself (section 7.1.2.2)
        }
        if (request.maxWindowBits() != 0) {
            clientBits = Math.min(request.maxWindowBits(), clientBits);
            p.put("client_max_window_bits", Integer.toString(clientBits));
        }
        ExtensionSpec answer = new ExtensionSpec("permessage-deflate", p);
        DeflateParams params = new DeflateParams(clientBits,
                offer.serverMaxWindowBits() != 0 ? offer.serverMaxWindowBits() : 15,
                request.noContextTakeover(), offer.serverNoContextTakeover());
        notes.add("accepted: " + answer.toHeaderValue());
        return new Outcome(answer, params, List.copyOf(notes));
    }

    /** @throws IllegalArgumentException why section 7.1 makes the server decline this offer */
    static Offer parse(ExtensionSpec spec) {
        boolean serverNoContext = false;
        boolean clientNoContext = false;
        int serverBits = 0;
        int clientBits = -1;
        for (Map.Entry<String, String> e : spec.parameters().entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            switch (name) {
                case "server_no_context_takeover" -> serverNoContext = flag(name, value);
                case "client_no_context_takeover" -> clientNoContext = flag(name, value);
                case "server_max_window_bits" -> {
                    if (value.isEmpty()) {
                        throw new IllegalArgumentException("server_max_window_bits needs a value (section 7.1.2.1)");
                    }
                    serverBits = bits(name, value);
                }
                case "client_max_window_bits" -> clientBits = value.isEmpty() ? 0 : bits(name, value);
                default -> throw new IllegalArgumentException("unknown parameter " + name);
            }
        }
        return new Offer(spec, serverNoContext, serverBits, clientNoContext, clientBits);
    }

    private static boolean flag(String name, String value) {
        if (!value.isEmpty()) {
            throw new IllegalArgumentException(name + " has a value (" + value + "); it takes none");
        }
        return true;
    }

    private static int bits(String name, String value) {
        int bits;
        try {
            bits = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a number");
        }
        if (bits < 8 || bits > 15 || !value.equals(Integer.toString(bits))) {
            throw new IllegalArgumentException(name + "=" + value + " is not a decimal 8 to 15 without leading zeros");
        }
        return bits;
    }
}
