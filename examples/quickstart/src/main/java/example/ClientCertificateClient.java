package example;

import dev.tether.ws.Opcode;
import dev.tether.ws.Received;
import dev.tether.ws.TlsOptions;
import dev.tether.ws.WebSocket;
import java.nio.file.Path;

/**
 * {@code wss://} with the seed's {@code cert} table: a private CA, and a client certificate whose
 * key is encrypted. Reading the PEM files takes ws-tls, which dev.tether:tether brings.
 *
 * <p>Usage: {@code ClientCertificateClient url caCert clientCert clientKey password}
 */
public final class ClientCertificateClient {
    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: ClientCertificateClient wss://host:port/path ca.pem client.pem client.key password");
            System.exit(2);
        }
        TlsOptions cert = TlsOptions.defaults()
                .caCert(Path.of(args[1]))                  // trust exactly this CA
                .clientCert(Path.of(args[2]))              // leaf first; the chain may follow
                .clientKey(Path.of(args[3]))
                .clientPassword(args[4].toCharArray());
        try (WebSocket ws = WebSocket.create(args[0], cert)) {
            if (!ws.connect(10_000)) {
                System.err.println("TLS connection failed: " + ws.lastError());
                System.exit(1);
            }
            ws.sendFrame(true, Opcode.TEXT, "over TLS with a client certificate");
            Received r = ws.recv();
            System.out.println(r.ok() ? "recv: " + r.data().text() : "recv failed: " + r.error());
            if (!r.ok()) {
                System.exit(1);
            }
        }
    }
}
