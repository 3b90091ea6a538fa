package dev.tether.ws.transport.blocking;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The SSLContext behind {@code TlsOptions.insecureTrustAll()}: it accepts any server
 * certificate. Extending X509ExtendedTrustManager (not the plain X509TrustManager) matters: the
 * JDK wraps a plain one in a checker that would still verify the host name.
 */
final class TrustAllContext {
    private TrustAllContext() {
    }

    /** Built on first use: nothing is created unless someone asks for trust-all. */
    private static final class Holder {
        private static final SSLContext CONTEXT = create();

        private static SSLContext create() {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new AcceptAll()}, null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot create a TLS context: " + e.getMessage(), e);
            }
        }
    }

    static SSLContext get() throws IOException {
        try {
            return Holder.CONTEXT;
        } catch (LinkageError e) {  // the holder failed to initialise, now or on an earlier call
            throw new IOException("cannot create the trust-all TLS context", e);
        }
    }

    private static final class AcceptAll extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
