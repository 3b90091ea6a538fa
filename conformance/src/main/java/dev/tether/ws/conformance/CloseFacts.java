package dev.tether.ws.conformance;

/**
 * How a connection ended, as the peer saw it: the inputs of the close judgement.
 *
 * @param connectionWasOpen the opening handshake completed
 * @param closedByMe        the peer sent the first close frame
 * @param wasClean          close frames went both ways before TCP ended
 * @param remoteCloseCode   the code in the client's close frame; null when it sent none, or a
 *                          close frame without a code
 * @param deflateNegotiated permessage-deflate (RFC 7692) was negotiated in the opening handshake:
 *                          the client offered it and the peer accepted an offer
 */
public record CloseFacts(boolean connectionWasOpen, boolean closedByMe, boolean wasClean,
                         Integer remoteCloseCode, boolean deflateNegotiated) {
}
