package dev.tether.ws.cli.client;

import dev.tether.ws.cli.Args;
import dev.tether.ws.cli.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's command line, parsed and checked against itself (not yet against the network
 * or the files it names): {@code wsc [options] URL}. {@code --help} lists the options.
 */
public record ClientOptions(
        String url,
        List<String[]> headers,
        List<String> subprotocols,
        String origin,
        boolean compress,
        Duration keepAlive,
        Duration reconnect,
        Path caCert,
        Path cert,
        Path key,
        char[] password,
        boolean insist,
        boolean insecure,
        String transport,
        Duration connectTimeout,
        List<String> execute,
        Duration replyWait,
        boolean quiet,
        BinaryFormat binary) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(1);

    public static ClientOptions parse(String... argv) throws UsageException {
        Args args = new Args(argv);
        String url = null;
        List<String[]> headers = new ArrayList<>();
        List<String> subprotocols = new ArrayList<>();
        String origin = null;
        boolean compress = false;
        Duration keepAlive = null;
        Duration reconnect = null;
        Path caCert = null;
        Path cert = null;
        Path key = null;
        char[] password = null;
        boolean insist = false;
        boolean insecure = false;
        String transport = null;
        Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        List<String> execute = new ArrayList<>();
        Duration wait = DEFAULT_WAIT;
        boolean quiet = false;
        BinaryFormat binary = BinaryFormat.HEX;
        while (args.hasNext()) {
            String arg = args.next();
            if (args.positional()) {
                url = args.only(url, "URL");
                continue;
            }
            switch (arg) {
                case "-H", "--header" -> headers.add(header(args.value()));
                case "-s", "--subprotocol" -> subprotocols.addAll(list(args.value(), arg));
                case "-o", "--origin" -> origin = args.value();
                case "--compress" -> compress = args.flag();
                case "--keepalive" -> keepAlive = nonZero(args.seconds(0));
                case "--reconnect" -> reconnect = args.seconds(0.01);
                case "--cacert" -> caCert = args.path();
                case "--cert" -> cert = args.path();
                case "--key" -> key = args.path();
                case "--password" -> password = args.value().toCharArray();
                case "--insist" -> insist = args.flag();
                case "-k", "--insecure" -> insecure = args.flag();
                case "--transport" -> transport = args.choice("nio", "blocking");
                case "--connect-timeout" -> connectTimeout = args.seconds(0.001);
                case "-x", "--execute" -> execute.add(args.value());
                case "-w", "--wait" -> wait = args.seconds(0);
                case "-q", "--quiet" -> quiet = args.flag();
                case "--binary" -> binary = BinaryFormat.of(args.choice("hex", "base64"));
                default -> throw args.unknown();
            }
        }
        if (url == null) {
            throw new UsageException("no URL given: wsc [options] ws://host[:port]/path (or wss://...)");
        }
        if (!url.contains("://")) {
            throw new UsageException("'" + url + "' is not a WebSocket URL: did you mean ws://" + url + " ?");
        }
        if (reconnect != null && !execute.isEmpty()) {
            throw new UsageException("-x sends and exits, --reconnect keeps reconnecting: give one of them");
        }
        if (insecure && caCert != null) {
            throw new UsageException("--insecure trusts any certificate, --cacert trusts one CA: give one of them");
        }
        if ((cert == null) != (key == null)) {
            throw new UsageException(cert == null ? "--key needs --cert (the certificate for that key)"
                    : "--cert needs --key (the private key of that certificate)");
        }
        if (password != null && key == null) {
            throw new UsageException("--password is the password of the --key file; no --key given");
        }
        return new ClientOptions(url, List.copyOf(headers), List.copyOf(subprotocols), origin, compress,
                keepAlive, reconnect, caCert, cert, key, password, insist, insecure, transport,
                connectTimeout, List.copyOf(execute), wait, quiet, binary);
    }

    /** Whether any TLS option was given. */
    public boolean tlsOptionsGiven() {
        return caCert != null || cert != null || insist || insecure;
    }

    /** {@code name:value}, as curl takes it. */
    private static String[] header(String spec) throws UsageException {
        int colon = spec.indexOf(':');
        if (colon <= 0) {
            throw new UsageException("-H expects name:value, got '" + spec + "'");
        }
        return new String[] {spec.substring(0, colon).strip(), spec.substring(colon + 1).strip()};
    }

    /** {@code chat} or {@code chat,superchat}. */
    private static List<String> list(String value, String option) throws UsageException {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            if (part.isBlank()) {
                throw new UsageException(option + " expects a name or a comma-separated list, got '" + value + "'");
            }
            out.add(part.strip());
        }
        return out;
    }

    private static Duration nonZero(Duration d) {
        return d.isZero() ? null : d;
    }

    @Override
    public String toString() {
        return "ClientOptions[" + url + (password == null ? "" : ", password set") + "]";
    }
}
