package dev.tether.ws.internal;

import dev.tether.ws.spi.Endpoint;
import dev.tether.ws.spi.TlsProvider;
import dev.tether.ws.TlsOptions;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The client side of TLS for one {@code wss://} connection, the same for every transport
 * (RFC 6455 section 3: "wss" is WebSocket over TLS; section 4.1 item 5: the TLS handshake comes
 * before the opening handshake). It holds the policy; a transport only moves the bytes.
 *
 * <ul>
 *   <li>Trust: exactly {@code caCert} when set (read by the {@link TlsProvider}, module
 *       {@code dev.tether.ws.tls}); otherwise the JDK's default trust store; no check at all only
 *       for {@link TlsOptions#insecureTrustAll()}, which logs a warning on every connect.</li>
 *   <li>Host name: checked against the certificate's subjectAltNames as for HTTPS (RFC 2818
 *       section 3.1, RFC 6125) unless {@code insist(true)}, which only logs a mismatch.</li>
 *   <li>SNI (RFC 6066 section 3): sent for every host name, "localhost" included (the JDK by
 *       itself sends it only for names with a dot), never for an IP literal.</li>
 *   <li>Errors: a failed handshake says which check failed (unknown CA, expired, host-name
 *       mismatch, client certificate refused) and about which certificate.</li>
 * </ul>
 *
 * <p>Certificate files are read anew for each connection (so a renewed certificate is picked up
 * at the next connect), before any network work; {@link #check} reads them once earlier, when a
 * WebSocket is built. One instance per connection; not for concurrent use during the handshake.
 */
public final class ClientTls {
    private static final System.Logger LOG = System.getLogger(ClientTls.class.getName());
    /** The module users add for certificate files, as errors name it. */
    static final String TLS_MODULE = "dev.tether:ws-tls (module dev.tether.ws.tls)";

    private final String host;
    private final String target;
    private final int port;
    private final TlsOptions options;
    private final PeerChainRecorder recorder;
    private final CertificateRequestRecorder requests;
    private final SSLContext context;

    private ClientTls(String host, int port, TlsOptions options, PeerChainRecorder recorder,
                      CertificateRequestRecorder requests, SSLContext context) {
        this.host = host;
        this.port = port;
        this.target = HostPort.of(host, port);
        this.options = options;
        this.recorder = recorder;
        this.requests = requests;
        this.context = context;
    }

    /**
     * Reads and checks the files {@code options} names, for a WebSocket being built: a file
     * that is missing, unreadable, of the wrong kind, or a wrong password fails here, before any
     * connection. Options naming no file need nothing and pass.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     * @throws IllegalStateException when files are named but no {@link TlsProvider} is present
     */
    public static void check(TlsOptions options) {
        if (!namesFiles(options)) {
            return;
        }
        TlsProvider provider = provider().orElseThrow(() -> new IllegalStateException(missingProvider(options)));
        try {
            provider.load(options);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * The TLS setup for {@code endpoint} (which must be secure): files read, context made.
     * Call it before resolving the host, so that a bad file costs no connection.
     *
     * @throws IOException naming the file and what is wrong with it, or the module to add
     */
    public static ClientTls forEndpoint(Endpoint endpoint) throws IOException {
        TlsOptions options = endpoint.tls() == null ? TlsOptions.defaults() : endpoint.tls();
        String target = HostPort.of(endpoint.host(), endpoint.port());
        X509ExtendedKeyManager keys = null;
        X509ExtendedTrustManager trust = null;
        if (namesFiles(options)) {
            TlsProvider provider = provider().orElseThrow(() -> new IOException(missingProvider(options)));
            TlsProvider.Material material = provider.load(options);
            keys = material.keyManager();
            trust = material.trustManager();
        }
        if (options.trustAll()) {
            LOG.log(Level.WARNING, "wss to {0}: TlsOptions.insecureTrustAll(): the server''s certificate is "
                    + "NOT checked (chain and host name); use it only for tests", target);
            trust = null;
        } else if (trust == null) {
            trust = DefaultTrust.get();
        }
        PeerChainRecorder recorder = new PeerChainRecorder(trust);
        CertificateRequestRecorder requests = new CertificateRequestRecorder(keys);
        try {
            // A context per connection: it is cheap next to a handshake, and the managers that
            // note what the server sent and asked belong to this connection alone.
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {requests}, new TrustManager[] {recorder}, null);
            return new ClientTls(endpoint.host(), endpoint.port(), options, recorder, requests, context);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create a TLS context for " + target + ": " + e.getMessage(), e);
        }
    }

    /** True when the options name a file, which takes a {@link TlsProvider} to read. */
    static boolean namesFiles(TlsOptions options) {
        return options.caCert().isPresent() || options.clientCert().isPresent() || options.clientKey().isPresent();
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
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setSSLParameters(configure(engine.getSSLParameters()));
        return engine;
    }

    /**
     * An SSLSocket over the connected {@code tcp} socket, not yet handshaken; closing it closes
     * {@code tcp}.
     */
    public SSLSocket layerOver(Socket tcp) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(tcp, host, port, true);
        ssl.setSSLParameters(configure(ssl.getSSLParameters()));
        return ssl;
    }

    private SSLParameters configure(SSLParameters params) {
        sniName(host).ifPresent(name -> params.setServerNames(List.of(name)));
        if (!options.insist() && !options.trustAll()) {
            // RFC 6125 host-name check, as for HTTPS (RFC 2818 section 3.1); done inside the
            // trust manager, so a mismatch fails the handshake itself.
            params.setEndpointIdentificationAlgorithm("HTTPS");
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
     * Call once the handshake completed. With {@code insist(true)} the chain was verified but
     * the host name was not: a certificate for another name is logged here.
     */
    public void handshakeDone(SSLSession session) {
        if (!options.insist() || options.trustAll()) {
            return;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate leaf && !CertificateNames.matches(leaf, host)) {
                LOG.log(Level.WARNING, "wss to {0}: the certificate is for {1}, not {2}; connecting anyway "
                        + "because TlsOptions.insist(true)", target, CertificateNames.describe(leaf), host);
            }
        } catch (SSLPeerUnverifiedException e) {
            LOG.log(Level.DEBUG, "wss to {0}: no peer certificate to compare names with: {1}", target, e);
        }
    }

    /**
     * The exception to report for a handshake that failed with {@code failure}: "TLS handshake
     * with host:port failed: " and which check failed, with the original as its cause.
     */
    public IOException handshakeFailed(IOException failure) {
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

    /** {@code host:port} for messages. */
    public String target() {
        return target;
    }

    TlsOptions options() {
        return options;
    }

    X509Certificate[] peerChain() {
        return recorder.chain();
    }

    /** True once the server asked for a client certificate in this handshake. */
    boolean certificateRequested() {
        return requests.asked();
    }

    @Override
    public String toString() {
        return "ClientTls[" + target + ", " + options + "]";
    }

    /** The JDK's default trust store, read once: reading cacerts takes tens of milliseconds. */
    private static final class DefaultTrust {
        private static final X509ExtendedTrustManager TRUST = create();

        private static X509ExtendedTrustManager create() {
            try {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init((KeyStore) null);
                for (TrustManager m : factory.getTrustManagers()) {
                    if (m instanceof X509ExtendedTrustManager x) {
                        return x;
                    }
                }
                throw new IllegalStateException("the JDK's default TrustManagerFactory has no X509ExtendedTrustManager");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot read the JDK's default trust store: " + e.getMessage(), e);
            }
        }

        static X509ExtendedTrustManager get() throws IOException {
            try {
                return TRUST;
            } catch (LinkageError e) {  // the holder failed to initialise, now or on an earlier call
                throw new IOException("cannot read the JDK's default trust store", e);
            }
        }
    }
}
