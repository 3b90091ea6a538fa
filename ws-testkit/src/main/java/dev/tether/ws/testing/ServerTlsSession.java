package dev.tether.ws.testing;

/**
 * What a TLS server saw of one successful handshake, from its own SSLSession.
 *
 * <p>Resumption shows here: a resumed TLS 1.2 session (RFC 5246 section 7.3) has the session id
 * and creation time of the full handshake it resumes; a TLS 1.3 resumption (RFC 8446 section
 * 2.2, a PSK from a session ticket) gets a new id, but the JDK server restores the ticket's
 * session with its original creation time. A full handshake gets a new creation time.
 *
 * @param sniName the SNI host name the client sent; "" for none
 * @param protocol "TLSv1.3"
 * @param cipherSuite the negotiated suite's standard name
 * @param id the session id, hex
 * @param creationTime the session's creation time, milliseconds since the epoch
 */
public record ServerTlsSession(String sniName, String protocol, String cipherSuite, String id, long creationTime) {
}
