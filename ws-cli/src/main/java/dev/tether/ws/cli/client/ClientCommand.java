package dev.tether.ws.cli.client;

import dev.tether.ws.Event;
import dev.tether.ws.Message;
import dev.tether.ws.WebSocket;
import dev.tether.ws.cli.Errors;
import dev.tether.ws.cli.ExitCode;
import dev.tether.ws.cli.Terminal;
import dev.tether.ws.cli.UsageException;
import dev.tether.ws.codec.CloseCodes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code wsc [options] URL}: connects, sends each line of input (or each {@code -x} message) as
 * a text message, prints each message received, and exits with a code that says how it went
 * ({@link ExitCode}). With {@code --reconnect} it runs the seed's {@code start} loop instead of
 * a single connection.
 *
 * <p>Threads: the main thread sends and decides when to stop; a daemon thread reads stdin into
 * {@link #inputs}; Tether's event thread prints messages and reports the close into
 * {@link #inputs} too, so the main loop waits on one queue for whichever comes first.
 */
public final class ClientCommand {
    /** How long a close may take here; the library's 5 s default is long for Ctrl-C. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    /** Lines read ahead of sending: bounds memory when stdin is a big file. */
    private static final int READ_AHEAD = 256;

    private final ClientOptions options;
    private final Output output;
    private final boolean interactive;
    /** Lines, the end of input, and the end of the connection, in the order they happened. */
    private final BlockingQueue<Input> inputs = new LinkedBlockingQueue<>();
    private final Semaphore readAhead = new Semaphore(READ_AHEAD);
    /** When a message was last sent or received (System.nanoTime), for --wait. */
    private volatile long lastActivity = System.nanoTime();
    /** Set once the first connection is open; errors before it are connect failures. */
    private volatile boolean connected;
    /** The error that ended the connection, if one did. */
    private volatile Throwable connectionError;
    /** Set when wsc is done with the connection; the shutdown hook (Ctrl-C) then leaves it alone. */
    private volatile boolean finished;

    private ClientCommand(ClientOptions options, boolean interactive) {
        this.options = options;
        this.interactive = interactive;
        this.output = new Output(interactive, options.quiet(), options.binary());
    }

    public static int run(String... argv) throws UsageException {
        ClientOptions options = ClientOptions.parse(argv);
        boolean interactive = options.execute().isEmpty() && Terminal.isInteractive();
        return new ClientCommand(options, interactive).run();
    }

    private int run() throws UsageException {
        WebSocket ws = build();
        try {
            return options.reconnect() == null ? once(ws) : reconnecting(ws);
        } finally {
            finished = true;
            output.endPrompt();
        }
    }

    // ---- one connection ---------------------------------------------------------------------

    private int once(WebSocket ws) {
        ws.on(Event.MESSAGE, this::received);
        ws.on(Event.CLOSE, (code, reason) -> inputs.add(new Input.Closed(code, reason)));
        ws.on(Event.ERROR, e -> {
            if (connected) {
                connectionError = e;
            }
        });
        onInterrupt(() -> ws.close(CloseCodes.GOING_AWAY, ""));
        if (!ws.connect(options.connectTimeout())) {
            output.error("wsc: cannot connect to " + options.url() + ": " + Errors.describe(ws.lastError()));
            return ExitCode.CONNECT_FAILED;
        }
        connected = true;
        lastActivity = System.nanoTime();  // --wait counts from here at the earliest
        output.status(connectedLine(ws));
        if (!options.execute().isEmpty()) {
            for (String message : options.execute()) {
                send(ws, message);
            }
            return finish(ws);
        }
        return switch (sendLines(text -> send(ws, text))) {
            case Input.Closed closed -> ended(closed, ws);
            default -> finish(ws);
        };
    }

    /**
     * Sends each line read with {@code send} until the input ends or the connection closes, and
     * returns that {@link Input.End} or {@link Input.Closed}, the prompt cleared.
     */
    private Input sendLines(Consumer<String> send) {
        readStdin();
        output.prompt();
        while (true) {
            Input in = next();
            if (!(in instanceof Input.Line line)) {
                output.endPrompt();
                return in;
            }
            output.lineEntered();
            if (!(interactive && line.text().isEmpty())) {
                send.accept(line.text());
            }
            readAhead.release();
            output.prompt();
        }
    }

    /** After the last send: wait for replies until none came for --wait, then close normally. */
    private int finish(WebSocket ws) {
        long wait = options.replyWait().toNanos();
        while (true) {
            long left = lastActivity + wait - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Input in = poll(left);
            if (in instanceof Input.Closed closed) {
                return ended(closed, ws);
            }
        }
        finished = true;
        ws.close();
        output.status("closed");
        return ExitCode.OK;
    }

    /** The server ended the connection (or it broke): 0 for a normal close, else 3. */
    private int ended(Input.Closed closed, WebSocket ws) {
        finished = true;
        String what = closed.code() + " (" + CloseCodes.describe(closed.code()) + ")"
                + (closed.reason().isEmpty() ? "" : " " + closed.reason());
        if (closed.code() == CloseCodes.NORMAL || closed.code() == CloseCodes.GOING_AWAY) {
            output.status("closed by the server: " + what);
            return ExitCode.OK;
        }
        Throwable cause = connectionError != null ? connectionError : ws.lastError();
        output.error("wsc: connection ended: " + what + (cause == null ? "" : ": " + Errors.describe(cause)));
        return ExitCode.CLOSED_ABNORMALLY;
    }

    // ---- the seed's start loop --------------------------------------------------------------

    private int reconnecting(WebSocket ws) {
        String retry = seconds(options.reconnect());
        ws.on(Event.OPEN, () -> output.status(connectedLine(ws)));
        ws.on(Event.CLOSE, (code, reason) -> output.status((finished ? "closed: " : "disconnected: ") + code
                + " (" + CloseCodes.describe(code) + ")" + (reason.isEmpty() ? "" : " " + reason)
                + (finished ? "" : "; reconnecting in " + retry)));
        ws.on(Event.ERROR, e -> output.status((ws.online() ? "error: " : "cannot connect: ")
                + Errors.describe(e) + (ws.online() ? "" : "; retrying in " + retry)));
        onInterrupt(ws::exit);
        Thread task = ws.startAsync(options.keepAlive(), this::received, options.reconnect());
        // Only once() reports closes into the queue: here the lines end only with the input.
        sendLines(text -> sendWhenOnline(ws, text));
        waitQuiet();
        finished = true;
        WebSocket.exit(ws);
        join(task);
        return ExitCode.OK;
    }

    /** A line typed while disconnected waits for the next connection, rather than being lost. */
    private void sendWhenOnline(WebSocket ws, String text) {
        boolean told = false;
        while (!send(ws, text)) {
            if (!told) {
                output.status("not connected: the line will be sent after the reconnect");
                told = true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void waitQuiet() {
        long wait = options.replyWait().toNanos();
        long left;
        while ((left = lastActivity + wait - System.nanoTime()) > 0) {
            poll(left);
        }
    }

    private void join(Thread task) {
        try {
            task.join(CLOSE_TIMEOUT.plusSeconds(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- pieces -----------------------------------------------------------------------------

    /** The WebSocket the options describe; every bad option or file is a UsageException. */
    private WebSocket build() throws UsageException {
        WebSocket.Builder builder = builder(options.url());
        boolean secure = options.url().strip().toLowerCase(Locale.ROOT).startsWith("wss:");
        if (secure) {
            builder.tls(TlsFiles.options(options, System.console()));
        } else if (options.tlsOptionsGiven()) {
            output.status("TLS options apply to wss:// URLs only; ignored for " + options.url());
        }
        for (String[] header : options.headers()) {
            builder.header(header[0], header[1]);
        }
        builder.subprotocols(options.subprotocols().toArray(String[]::new));
        if (options.origin() != null) {
            builder.origin(options.origin());
        }
        if (options.transport() != null) {
            builder.transport(options.transport());
        }
        builder.connectTimeout(options.connectTimeout()).closeTimeout(CLOSE_TIMEOUT);
        if (options.reconnect() == null) {
            builder.pingInterval(options.keepAlive());  // start() takes its keepAlive directly
        }
        // --compress offers permessage-deflate (RFC 7692) with the usual parameters.
        builder.compression(options.compress());
        try {
            return builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // A header or subprotocol that cannot be sent, or no such transport.
            throw new UsageException(e.getMessage(), e);
        }
    }

    private static WebSocket.Builder builder(String url) throws UsageException {
        try {
            return WebSocket.builder(url);
        } catch (IllegalArgumentException e) {
            throw new UsageException("bad URL: " + e.getMessage(), e);
        }
    }

    private boolean send(WebSocket ws, String text) {
        lastActivity = System.nanoTime();
        return ws.send(text);
    }

    private void received(Message m) {
        lastActivity = System.nanoTime();
        output.message(m);
    }

    private String connectedLine(WebSocket ws) {
        return "connected to " + ws.url() + ws.subprotocol().map(p -> ", subprotocol " + p).orElse("")
                + " (" + ws.transport() + " transport)"
                + (interactive ? "; type a message and press Enter, Ctrl-D to close" : "");
    }

    /** Reads stdin on a daemon thread (System.in cannot be interrupted), line by line. */
    private void readStdin() {
        Thread.ofPlatform().daemon().name("wsc-stdin").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    readAhead.acquireUninterruptibly();
                    inputs.add(new Input.Line(line));
                }
            } catch (IOException e) {
                output.error("wsc: reading input failed: " + Errors.describe(e));
            }
            inputs.add(new Input.End());
        });
    }

    /** The next line, end of input or end of connection; an interrupt counts as the end of input. */
    private Input next() {
        try {
            return inputs.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Input.End();
        }
    }

    private Input poll(long nanos) {
        try {
            return inputs.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Input.End();
        }
    }

    /**
     * Ctrl-C (SIGINT) runs shutdown hooks: close the connection properly on the way out, unless
     * wsc already did. The JVM then exits with 130.
     */
    private void onInterrupt(Runnable close) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!finished) {
                output.endPrompt();
                close.run();
            }
        }, "wsc-interrupt"));
    }

    private static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }
}
