/**
 * The WebSocket opening handshake of RFC 6455 section 4, for both roles, over byte buffers:
 * {@link dev.tether.ws.codec.handshake.HttpHeadParser} reads an HTTP/1.1 head pushed to it in
 * any pieces, {@link dev.tether.ws.codec.handshake.ClientHandshake} writes the request and
 * validates the response, {@link dev.tether.ws.codec.handshake.ServerHandshake} validates the
 * request and writes the response. No I/O.
 */
package dev.tether.ws.codec.handshake;
