package dev.tether.ws.cli.serve;

import dev.tether.ws.cli.Args;
import dev.tether.ws.cli.ExitCode;
import dev.tether.ws.cli.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;

/**
 * {@code wsc serve [--port N] [--tls-self-signed | --tls-keystore FILE --tls-password PASS]}:
 * runs an {@link EchoServer} until Ctrl-C. The first line on stdout is the URL to connect to
 * (with {@code --port 0}, the port chosen); connections are logged on stderr.
 */
public final class ServeCommand {
    public static final int DEFAULT_PORT = 8080;

    private ServeCommand() {
    }

    public static int run(String... argv) throws UsageException {
        Args args = new Args(argv);
        String host = "127.0.0.1";
        int port = DEFAULT_PORT;
        Path keyStore = null;
        char[] password = null;
        boolean selfSigned = false;
        long maxMessage = EchoServer.DEFAULT_MAX_MESSAGE;
        int maxConnections = EchoServer.DEFAULT_MAX_CONNECTIONS;
        List<String> subprotocols = new ArrayList<>();
        boolean quiet = false;
        while (args.hasNext()) {
            String arg = args.next();
            if (args.positional()) {
                throw new UsageException("wsc serve takes no URL or other argument, got '" + arg + "'");
            }
            switch (arg) {
                case "-p", "--port" -> port = args.port(true);
                case "--host" -> host = args.value();
                case "--tls-keystore" -> keyStore = args.path();
                case "--tls-password" -> password = args.value().toCharArray();
                case "--tls-self-signed" -> selfSigned = args.flag();
                case "--max-message" -> maxMessage = args.number(125, Integer.MAX_VALUE - 64);
                case "--max-connections" -> maxConnections = (int) args.number(1, 100_000);
                case "-s", "--subprotocol" -> {
                    for (String name : args.value().split(",")) {
                        if (!name.isBlank()) {
                            subprotocols.add(name.strip());
                        }
                    }
                }
                case "-q", "--quiet" -> quiet = args.flag();
                default -> throw args.unknown();
            }
        }
        if (selfSigned && keyStore != null) {
            throw new UsageException("--tls-self-signed makes its own key store: leave out --tls-keystore");
        }
        if (password != null && keyStore == null) {
            throw new UsageException("--tls-password is the password of --tls-keystore; no --tls-keystore given");
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        SSLContext tls = null;
        String certificateNote = null;
        if (keyStore != null) {
            if (password == null) {
                throw new UsageException("--tls-keystore needs --tls-password");
            }
            tls = ServerTls.fromKeyStore(keyStore, password);
        } else if (selfSigned) {
            try {
                ServerTls.SelfSigned made = ServerTls.selfSigned();
                tls = ServerTls.fromKeyStore(made.keyStore(), made.password());
                certificateNote = "self-signed certificate (for wsc --cacert): " + made.certificatePem();
            } catch (IOException e) {
                err.println("wsc serve: cannot make a self-signed certificate: " + e.getMessage());
                return ExitCode.CONNECT_FAILED;
            }
        }
        boolean logging = !quiet;
        EchoServer server = new EchoServer(host, port).tls(tls).maxMessage(maxMessage)
                .maxConnections(maxConnections).subprotocols(subprotocols)
                .log(line -> {
                    if (logging) {
                        err.println("wsc serve: " + line);
                    }
                });
        try {
            server.start();
        } catch (IOException e) {
            err.println("wsc serve: " + e.getMessage());
            return ExitCode.CONNECT_FAILED;
        } catch (IllegalArgumentException e) {
            throw new UsageException("--host " + host + ": " + e.getMessage(), e);
        }
        out.println("echo server listening on " + server.uri());
        if (certificateNote != null) {
            out.println(certificateNote);
        }
        if (!quiet) {
            err.println("wsc serve: each message comes back as it came; Ctrl-C stops the server");
        }
        // Ctrl-C: say goodbye to the clients (1001), then the JVM exits with 130.
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "wsc-serve-stop"));
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
        return ExitCode.INTERRUPTED;
    }
}
