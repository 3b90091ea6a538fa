package dev.tether.ws.cli.demo;

import dev.tether.ws.Event;
import dev.tether.ws.Opcode;
import dev.tether.ws.Received;
import dev.tether.ws.WebSocket;
import dev.tether.ws.cli.Errors;
import dev.tether.ws.cli.ExitCode;
import dev.tether.ws.cli.UsageException;
import dev.tether.ws.cli.serve.EchoServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeoutException;

/**
 * {@code wsc demo}: the seed's examples (the LuatOS {@code websocket} module's documentation),
 * run in Java against an {@link EchoServer} in this process, each step printed beside the Lua
 * it stands for. It shows the retrying connect loop by starting the server only after the first
 * attempt, and the {@code start} loop surviving a server restart. Takes about ten seconds.
 */
public final class Demo {
    private static final Duration EVENT_WAIT = Duration.ofSeconds(10);

    private final Narrator say = new Narrator();

    private Demo() {
    }

    public static int run(String... args) throws UsageException {
        if (args.length > 0) {
            throw new UsageException("wsc demo takes no arguments, got '" + args[0] + "'");
        }
        return new Demo().play();
    }

    private int play() {
        EchoServer server;
        try {
            server = new EchoServer("127.0.0.1", freePort()).log(say::server);
        } catch (IOException e) {
            System.err.println("wsc demo: no free port on 127.0.0.1: " + e.getMessage());
            return ExitCode.CONNECT_FAILED;
        }
        try {
            steps(server);
            say.title("");
            say.title(String.format("Demo finished in %.1f s.", say.elapsedSeconds()));
            return ExitCode.OK;
        } catch (TimeoutException | IOException | IllegalStateException e) {
            System.err.println("wsc demo: failed: " + Errors.describe(e));
            return ExitCode.CONNECT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.INTERRUPTED;
        } finally {
            server.stop();
        }
    }

    private void steps(EchoServer server) throws IOException, InterruptedException, TimeoutException {
        String url = "ws://127.0.0.1:" + server.port() + "/";
        say.title("Tether demo: the seed's websocket examples in Java, against wsc's echo server.");
        say.title("The echo server (the codec's server role) will listen on " + url
                + ", but it is not started yet.");

        say.step("1.", "local ws = websocket.new(\"" + url + "\")", "Create the WebSocket: no I/O yet.");
        WebSocket ws = WebSocket.create(url);
        say.code("WebSocket ws = WebSocket.create(\"" + url + "\");");
        say.result("state() = " + ws.state() + ", transport = " + ws.transport());

        say.step("2.", "ws:on(\"open\", f), ws:on(\"message\", f), ...", "Register the event handlers.");
        say.code("ws.on(Event.OPEN, () -> ...);");
        say.code("ws.on(Event.MESSAGE, m -> ...);");
        say.code("ws.on(Event.CLOSE, (code, reason) -> ...);");
        say.code("ws.on(Event.ERROR, e -> ...);");
        say.code("ws.on(Event.PONG, payload -> ...);");
        ws.on(Event.OPEN, () -> say.event("open", ""));
        ws.on(Event.MESSAGE, m -> say.event("message", m.isText() ? "\"" + m.text() + "\""
                : "binary " + HexFormat.of().formatHex(m.bytes())));
        ws.on(Event.CLOSE, (code, reason) -> say.event("close", (code + " " + reason).strip()));
        ws.on(Event.ERROR, e -> say.event("error", Errors.describe(e)));
        ws.on(Event.PONG, payload -> say.event("pong", payload.hasRemaining()
                ? "\"" + StandardCharsets.UTF_8.decode(payload) + "\"" : "(empty: a keep-alive ping's answer)"));

        connectWithRetries(ws, server);
        sendAndReceive(ws);
        closeLikeTheSeed(ws);
        startAndSurviveRestart(ws, server, url);
    }

    /** Step 3: {@code while not ws:connect(20000) do sys.wait(2000) end}, with the server coming up late. */
    private void connectWithRetries(WebSocket ws, EchoServer server) throws IOException, InterruptedException {
        say.step("3.", "while not ws:connect(20000) do sys.wait(2000) end",
                "Connect, retrying until the server is there.");
        say.code("while (!ws.connect(20_000)) Thread.sleep(2000);");
        int attempt = 1;
        while (!ws.connect(20_000)) {
            say.result("attempt " + attempt + ": connect() = false, state() = " + ws.state());
            if (attempt == 1) {
                server.start();
                say.note("the echo server starts now, during the 2 s wait");
            } else if (attempt == 5) {
                throw new IOException("the echo server did not accept a connection after " + attempt + " attempts");
            }
            attempt++;
            Thread.sleep(2000);
        }
        say.result("attempt " + attempt + ": connect() = true, state() = " + ws.state()
                + ", online() = " + ws.online());
    }

    /** Steps 4 and 5: sendFrame, recv, fragments, binary, ping. */
    private void sendAndReceive(WebSocket ws) throws InterruptedException, TimeoutException {
        say.step("4.", "ws:sendFrame(true, 0x1, \"www.openluat.com\"); local result, data = ws:recv()",
                "Send a text frame; receive the echo.");
        // recv() with a timeout, before anything was sent: it shows a failed result, and from
        // this first call on the inbox keeps messages for recv beside the MESSAGE handler.
        Received none = ws.recv(Duration.ofMillis(200));
        say.code("Received r = ws.recv(Duration.ofMillis(200));   // nothing sent yet");
        say.result("r.ok() = " + none.ok() + ", r.error() = " + Errors.describe(none.error()));
        say.code("ws.sendFrame(true, Opcode.TEXT, \"www.openluat.com\");");
        ws.sendFrame(true, Opcode.TEXT, "www.openluat.com");
        Received r = ws.recv(EVENT_WAIT);
        say.code("r = ws.recv();");
        say.result("r.ok() = " + r.ok() + ", r.data().text() = \"" + text(r) + "\"");

        say.step("5.", "ws:sendFrame(false, 0x1, ...); ws:sendFrame(true, 0x0, ...)",
                "A message in two fragments, a binary frame, and a ping.");
        say.code("ws.sendFrame(false, Opcode.TEXT, \"Hello, \");");
        say.code("ws.sendFrame(true, Opcode.CONTINUATION, \"fragments!\");");
        ws.sendFrame(false, Opcode.TEXT, "Hello, ");
        ws.sendFrame(true, Opcode.CONTINUATION, "fragments!");
        say.result("recv(): \"" + text(ws.recv(EVENT_WAIT)) + "\" (joined into one message)");
        say.code("ws.sendFrame(true, Opcode.BINARY, new byte[] {1, 2, 3, (byte) 0xFF});");
        ws.sendFrame(true, Opcode.BINARY, new byte[] {1, 2, 3, (byte) 0xFF});
        Received binary = ws.recv(EVENT_WAIT);
        say.result("recv(): " + (binary.ok() ? "binary " + HexFormat.of().formatHex(binary.data().bytes())
                : Errors.describe(binary.error())));
        say.clearEvents();
        say.code("ws.ping(\"are you there?\");");
        ws.ping("are you there?");
        say.await("pong", EVENT_WAIT);
    }

    /** Step 6: {@code ws:close(1002, "协议错误")}. */
    private void closeLikeTheSeed(WebSocket ws) throws InterruptedException, TimeoutException {
        say.step("6.", "ws:close(1002, \"协议错误\")", "Close, with the seed's code and reason.");
        say.clearEvents();
        say.code("ws.close(1002, \"协议错误\");");
        ws.close(1002, "协议错误");
        say.await("close", EVENT_WAIT);
        say.result("state() = " + ws.state() + ", online() = " + ws.online());
    }

    /** Steps 7 to 9: {@code sys.taskInit(ws.start, ws, 30, proc)}, a server restart, {@code websocket.exit(ws)}. */
    private void startAndSurviveRestart(WebSocket ws, EchoServer server, String url)
            throws IOException, InterruptedException, TimeoutException {
        say.step("7.", "sys.taskInit(ws.start, ws, 30, function(msg) u1:send(msg) end)",
                "Let start() run the connection: keep-alive pings, proc for each message, reconnects.");
        say.code("ws.on(Event.MESSAGE, null);   // proc gets the messages from now on");
        say.code("Thread task = ws.startAsync(Duration.ofSeconds(1), msg -> ..., Duration.ofSeconds(1));");
        say.note("keep-alive every second here rather than the seed's 30, so that its pongs show");
        say.clearEvents();
        ws.on(Event.MESSAGE, null);
        Thread task = ws.startAsync(Duration.ofSeconds(1),
                msg -> say.event("proc", "got \"" + msg.text() + "\""), Duration.ofSeconds(1));
        say.await("open", EVENT_WAIT);
        say.code("ws.send(\"via start\");");
        ws.send("via start");
        say.await("proc", EVENT_WAIT);
        say.await("pong", EVENT_WAIT);
        ws.on(Event.PONG, null);  // enough keep-alive news

        say.step("8.", "(the server goes away; start reconnects reconnTime after the drop)",
                "Restart the echo server: start() reconnects by itself.");
        say.code("server.stop();");
        say.clearEvents();
        server.stop();
        say.await("close", EVENT_WAIT);
        say.await("error", EVENT_WAIT);  // a reconnect attempt, refused while the server is down
        say.code("server.start();   // the same port: " + url);
        server.start();
        say.await("open", EVENT_WAIT);
        say.code("ws.send(\"back again\");");
        ws.send("back again");
        say.await("proc", EVENT_WAIT);

        say.step("9.", "websocket.exit(ws)", "End the task: close normally, no more reconnects.");
        say.code("WebSocket.exit(ws);");
        say.code("task.join();");
        say.clearEvents();
        WebSocket.exit(ws);
        task.join(EVENT_WAIT);
        if (task.isAlive()) {
            throw new TimeoutException("start() did not return within " + EVENT_WAIT.toSeconds() + " s of exit");
        }
        say.result("start() returned; state() = " + ws.state() + ", online() = " + ws.online());
    }

    private static String text(Received r) {
        return r.ok() ? r.data().text() : "(no message: " + Errors.describe(r.error()) + ")";
    }

    /** A port nothing listens on right now, for a server that starts later. */
    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
