package dev.tether.ws.codec;

/**
 * Which end of a connection the codec serves. RFC 6455 section 5.1: a client masks every frame
 * it sends and a server must refuse unmasked frames; a server never masks, and a client must
 * refuse masked frames.
 */
public enum Role {
    /** The client: masks what it sends, refuses masked frames. */
    CLIENT,
    /** The server: never masks, refuses unmasked frames. */
    SERVER;

    /** Whether frames this role sends carry a mask. */
    public boolean masksOutgoing() {
        return this == CLIENT;
    }

    /** Whether frames this role receives must carry a mask. */
    public boolean expectsMaskedIncoming() {
        return this == SERVER;
    }
}
