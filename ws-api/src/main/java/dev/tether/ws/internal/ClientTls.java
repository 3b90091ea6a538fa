package dev.tether.ws.internal;

import dev.tether.ws.spi.Endpoint;
import dev.tether.ws.spi.TlsProvider;
import dev.tether.ws.TlsOptions;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The client side of TLS for one {@code wss://} connection, the same for every transport
 * (RFC 6455 section 3: "wss" is WebSocket over TLS; section 4.1 item 5: the TLS handshake comes
 * before the opening handshake). It holds the policy; a transport only moves the bytes.
 *
 * <ul>
 *   <li>Trust: exactly {@code caCert} when set (read by the {@link TlsProvider}, module
 *       {@code dev.tether.ws.tls}), or a trust store or trust manager, or a user's SSLContext;
 *       otherwise the JDK's default trust store; no check at all only for
 *       {@link TlsOptions#insecureTrustAll()}, which logs a warning on every connect.</li>
 *   <li>Host name: checked against the certificate's subjectAltNames as for HTTPS (RFC 2818
 *       section 3.1, RFC 6125) unless {@code insist(true)}, which only logs a mismatch.</li>
 *   <li>SNI (RFC 6066 section 3): sent for every host name, "localhost" included (the JDK by
 *       itself sends it only for names with a dot), never for an IP literal.</li>
 *   <li>Errors: a failed handshake says which check failed (unknown CA, expired, host-name
 *       mismatch, client certificate refused, pinning) and about which certificate.</li>
 *   <li>SNI override ({@code TlsOptions.serverName}): sent instead of the URL's host; the
 *       host-name check then accepts a certificate for that name (the JDK's rule: the SNI name
 *       first, then the peer host), for fronting.</li>
 *   <li>Pins ({@code TlsOptions.pin}): checked after the chain, by {@link #handshakeDone}.</li>
 *   <li>Protocols and cipher suites: set on each socket or engine.</li>
 * </ul>
 *
 * <p>The SSLContext is shared per configuration ({@link TlsContextCache}), so that a reconnect can
 * resume the session; engines and sockets are made for the peer's host and port, which is what
 * the JDK's client session cache is keyed by. Certificate files are read (hashed) anew for each
 * connection, before any network work, so a renewed certificate makes a new context; {@link #check}
 * reads them once earlier, when a WebSocket is built. One instance per connection; not for
 * concurrent use during the handshake.
 */
public final class ClientTls {
    private static final System.Logger LOG = System.getLogger(ClientTls.class.getName());
    /** The module users add for certificate files, as errors name it. */
    static final String TLS_MODULE = "dev.tether:ws-tls (module dev.tether.ws.tls)";

    private final String host;
    private final String target;
    private final int port;
    private final TlsOptions options;
    private final TlsContext shared;
    /** Set when the socket or engine is made, by the connecting thread; read after the handshake. */
    private volatile HandshakeNotes notes = HandshakeNotes.of(null);
    /** The socket or engine being handshaken, to forget its notes after; same thread rules as {@link #notes}. */
    private volatile Object handshaking;

    private ClientTls(String host, int port, TlsOptions options, TlsContext shared) {
        this.host = host;
        this.port = port;
        this.target = HostPort.of(host, port);
        this.options = options;
        this.shared = shared;
    }

    /**
     * Reads and checks what {@code options} name, for a WebSocket being built: a file or store
     * that is missing, unreadable, of the wrong kind, or a wrong password; a protocol or cipher
     * suite this JDK does not know. The context made is kept for the connects to come.
     *
     * @throws IllegalArgumentException naming the option, the file and what is wrong with it
     * @throws IllegalStateException when PEM files are named but no {@link TlsProvider} is present
     */
    public static void check(TlsOptions options) {
        if (namesFiles(options) && provider().isEmpty()) {
            throw new IllegalStateException(missingProvider(options));
        }
        try {
            TlsContextCache.get(options);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * The TLS setup for {@code endpoint} (which must be secure): files read, context found or
     * made. Call it before resolving the host, so that a bad file costs no connection.
     *
     * @throws IOException naming the file and what is wrong with it, or the module to add
     */
    public static ClientTls forEndpoint(Endpoint endpoint) throws IOException {
        TlsOptions options = endpoint.tls() == null ? TlsOptions.defaults() : endpoint.tls();
        TlsContext shared = TlsContextCache.get(options);
        if (options.trustAll()) {
            LOG.log(Level.WARNING, "wss to {0}: TlsOptions.insecureTrustAll(): the server''s certificate is "
                    + "NOT checked (chain and host name); use it only for tests", HostPort.of(endpoint.host(), endpoint.port()));
        }
        return new ClientTls(endpoint.host(), endpoint.port(), options, shared);
    }

    /** True when the options name a PEM file, which takes a {@link TlsProvider} to read. */
    static boolean namesFiles(TlsOptions options) {
        return options.caCert().isPresent() || options.clientCert().isPresent() || options.clientKey().isPresent();
    }

    static TlsProvider requireProvider(TlsOptions options) throws IOException {
        return provider().orElseThrow(() -> new IOException(missingProvider(options)));
    }

    private static Optional<TlsProvider> provider() {
        return ServiceLoader.load(TlsProvider.class, ClientTls.class.getClassLoader()).findFirst();
    }

    private static String missingProvider(TlsOptions options) {
        return "TlsOptions name certificate files (" + options + "), which takes the TLS module: add "
                + TLS_MODULE + " to the class or module path";
    }

    /** A client-mode engine for the NIO transport, host name and SNI set. */
    public SSLEngine createEngine() {
        // For the peer's host and port: the JDK's client session cache finds a session to resume by them.
        SSLEngine engine = shared.context().createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setSSLParameters(configure(engine.getSSLParameters()));
        watch(engine);
        return engine;
    }

    /**
     * An SSLSocket over the connected {@code tcp} socket, not yet handshaken; closing it closes
     * {@code tcp}.
     */
    public SSLSocket layerOver(Socket tcp) throws IOException {
        SSLSocket ssl = (SSLSocket) shared.context().getSocketFactory().createSocket(tcp, host, port, true);
        ssl.setSSLParameters(configure(ssl.getSSLParameters()));
        watch(ssl);
        return ssl;
    }

    private void watch(Object socketOrEngine) {
        handshaking = socketOrEngine;
        notes = HandshakeNotes.watch(socketOrEngine);
    }

    private SSLParameters configure(SSLParameters params) {
        sniName(options.serverName().orElse(host)).ifPresent(name -> params.setServerNames(List.of(name)));
        if (!options.insist() && !options.trustAll()) {
            // RFC 6125 host-name check, as for HTTPS (RFC 2818 section 3.1); done inside the
            // trust manager, so a mismatch fails the handshake itself.
            params.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!options.protocols().isEmpty()) {
            params.setProtocols(options.protocols().toArray(String[]::new));
        }
        if (!options.cipherSuites().isEmpty()) {
            params.setCipherSuites(options.cipherSuites().toArray(String[]::new));
        }
        return params;
    }

    /**
     * The SNI name for {@code host}: only for host names, never for IP literals, and without a
     * trailing dot, which SNI does not allow.
     */
    private static Optional<SNIHostName> sniName(String host) {
        if (IpLiteral.is(host)) {
            return Optional.empty();
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        try {
            return Optional.of(new SNIHostName(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();  // not a valid DNS name: connect without SNI
        }
    }

    /**
     * Call once the handshake completed: checks the pins (after the chain, which the handshake
     * verified), and with {@code insist(true)}, where the chain was verified but the host name
     * was not, logs a certificate for another name.
     *
     * @throws SSLPeerUnverifiedException when pins are set and none matches the chain: the
     *     connection must be closed
     */
    public void handshakeDone(SSLSession session) throws SSLPeerUnverifiedException {
        HandshakeNotes.forget(handshaking);
        if (!options.pins().isEmpty()) {
            CertificatePins.check(options.pins(), verifiedChain(session), target, expectedName());
        }
        if (!options.insist() || options.trustAll()) {
            return;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate leaf && !CertificateNames.matches(leaf, expectedName())) {
                LOG.log(Level.WARNING, "wss to {0}: the certificate is for {1}, not {2}; connecting anyway "
                        + "because TlsOptions.insist(true)", target, CertificateNames.describe(leaf), expectedName());
            }
        } catch (SSLPeerUnverifiedException e) {
            LOG.log(Level.DEBUG, "wss to {0}: no peer certificate to compare names with: {1}", target, e);
        }
    }

    /**
     * The chain the server sent (also on a resumed session, which keeps it), and the trust
     * anchor that issued its last certificate when the server left it out, as pins may name the
     * root CA's key.
     */
    private List<X509Certificate> verifiedChain(SSLSession session) throws SSLPeerUnverifiedException {
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate c : session.getPeerCertificates()) {
            if (c instanceof X509Certificate x) {
                chain.add(x);
            }
        }
        if (!chain.isEmpty()) {
            X509Certificate last = chain.get(chain.size() - 1);
            for (X509Certificate anchor : shared.anchors()) {
                if (!anchor.equals(last) && anchor.getSubjectX500Principal().equals(last.getIssuerX500Principal())
                        && signed(last, anchor)) {
                    chain.add(anchor);
                    break;
                }
            }
        }
        return chain;
    }

    private static boolean signed(X509Certificate cert, X509Certificate by) {
        try {
            cert.verify(by.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * The exception to report for a handshake that failed with {@code failure}: "TLS handshake
     * with host:port failed: " and which check failed, with the original as its cause.
     */
    public IOException handshakeFailed(IOException failure) {
        HandshakeNotes.forget(handshaking);
        return HandshakeFailures.explain(failure, this, true, true);
    }

    /**
     * For a read or write that failed after the handshake. A TLS 1.3 server refuses a client
     * certificate only after the client's side of the handshake is done: its alert is the first
     * read, or, when the server's reset overtakes it, the first write fails instead. Those become
     * "TLS handshake with host:port failed: " and why; anything else is returned as it is.
     *
     * @param dataReceived whether any application data came before: after it, a broken
     *     connection is no refused certificate
     */
    public IOException connectionFailed(IOException failure, boolean dataReceived) {
        return HandshakeFailures.explain(failure, this, false, !dataReceived);
    }

    String host() {
        return host;
    }

    /** The name the certificate is checked against: the SNI override, else the URL's host. */
    String expectedName() {
        return options.serverName().orElse(host);
    }

    /** {@code host:port} for messages. */
    public String target() {
        return target;
    }

    TlsOptions options() {
        return options;
    }

    /** Where trust comes from, for messages: "the CA in caCert /path", "a CA in trustStore /path". */
    String trustSource() {
        return shared.trustSource();
    }

    /** The client certificate offered, for messages ("/path/client.pem", "in keyStore /path"); empty for none. */
    Optional<String> clientCertificate() {
        return shared.clientCertificate();
    }

    X509Certificate[] peerChain() {
        return notes.chain();
    }

    /** True once the server asked for a client certificate in this handshake. */
    boolean certificateRequested() {
        return notes.wasCertificateRequested();
    }

    @Override
    public String toString() {
        return "ClientTls[" + target + ", " + options + "]";
    }
}
