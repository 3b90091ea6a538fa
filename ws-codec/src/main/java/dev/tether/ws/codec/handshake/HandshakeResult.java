package dev.tether.ws.codec.handshake;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a successful opening handshake agreed (RFC 6455 section 4.1, end of the client's
 * requirements): the subprotocol in use, the extensions in use, in the order the server
 * listed them (which is the order they apply, RFC 6455 section 9.1), and the response headers
 * (cookies and the like).
 */
public record HandshakeResult(Optional<String> subprotocol, List<ExtensionSpec> extensions,
                              HttpHeaders headers) {
    public HandshakeResult {
        Objects.requireNonNull(subprotocol, "subprotocol");
        extensions = List.copyOf(extensions);
        headers = HttpHeaders.copyOf(headers);
    }
}
