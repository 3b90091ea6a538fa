package example.modular;

import dev.tether.ws.Opcode;
import dev.tether.ws.Received;
import dev.tether.ws.TlsOptions;
import dev.tether.ws.WebSocket;
import java.nio.file.Path;

/**
 * The seed's echo, then {@code wss://} with a client certificate, from a named module on the
 * module path: ServiceLoader finds the NIO transport and the TLS provider through the
 * {@code provides} clauses of their module descriptors (no META-INF/services is read here).
 *
 * <p>Usage: {@code ModularExample wsUrl [wssUrl caCert clientCert clientKey password]}
 */
public final class ModularExample {
    public static void main(String[] args) {
        if (!ModularExample.class.getModule().isNamed() || !WebSocket.class.getModule().isNamed()) {
            System.err.println("not on the module path: run with --module-path and -m");
            System.exit(2);
        }
        String url = args.length > 0 ? args[0] : "ws://127.0.0.1:8080/";
        boolean ok = echo(WebSocket.create(url), "hello from module " + ModularExample.class.getModule().getName());
        if (args.length >= 6 && !args[1].isBlank()) {
            TlsOptions cert = TlsOptions.defaults()
                    .caCert(Path.of(args[2]))
                    .clientCert(Path.of(args[3]))
                    .clientKey(Path.of(args[4]))
                    .clientPassword(args[5].toCharArray());
            ok &= echo(WebSocket.create(args[1], cert), "over TLS, from the module path");
        }
        if (!ok) {
            System.exit(1);
        }
    }

    private static boolean echo(WebSocket ws, String text) {
        try (ws) {
            if (!ws.connect(10_000)) {
                System.err.println(ws.url() + ": connection failed: " + ws.lastError());
                return false;
            }
            System.out.println(ws.url() + " over the " + ws.transport() + " transport, module "
                    + WebSocket.class.getModule().getName());
            ws.sendFrame(true, Opcode.TEXT, text);
            Received r = ws.recv();
            System.out.println(r.ok() ? "recv: " + r.data().text() : "recv failed: " + r.error());
            return r.ok() && r.data().text().equals(text);
        }
    }
}
