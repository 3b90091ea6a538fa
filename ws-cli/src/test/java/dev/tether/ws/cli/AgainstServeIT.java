package dev.tether.ws.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.cli.WscProcess.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client as a process against {@code wsc serve} as a process: both ends of the CLI. */
class AgainstServeIT {
    static final Pattern URL = Pattern.compile("listening on (wss?://\\S+)");

    private static WscProcess server;
    private static String url;

    @BeforeAll
    static void startServer() throws Exception {
        server = WscProcess.start("serve", "--port", "0");
        url = server.awaitLine(URL, WscProcess.DEFAULT_WAIT);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void executeSendsEachMessageAndPrintsTheEchoes() throws Exception {
        Result r = WscProcess.run("-x", "hello", "-x", "wörld ✓", "--wait", "0.3", url);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.outLines()).containsExactly("hello", "wörld ✓");
        assertThat(r.err()).contains("connected to " + url, "closed");
    }

    @Test
    void pipedLinesAreSentAndTheirEchoesPrinted() throws Exception {
        Result r = WscProcess.runWithInput("one\ntwo\n\nthree\n", "--wait", "0.3", url);
        assertThat(r.exit()).as(r.toString()).isZero();
        // From a pipe every line is a message, the empty one too; no prompt, no "< ".
        assertThat(r.outLines()).containsExactly("one", "two", "", "three");
    }

    @Test
    void quietPrintsOnlyMessages() throws Exception {
        Result r = WscProcess.runWithInput("a\nb\n", "-q", "--wait", "0.3", url);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.outLines()).containsExactly("a", "b");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void bothTransportsCarryTheSameConversation() throws Exception {
        for (String transport : new String[] {"nio", "blocking"}) {
            Result r = WscProcess.run("--transport", transport, "-x", "via " + transport, "--wait", "0.3", url);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.outLines()).containsExactly("via " + transport);
            assertThat(r.err()).contains("(" + transport + " transport)");
        }
    }

    @Test
    void theServerAgreesToTheOfferedSubprotocol() throws Exception {
        Result r = WscProcess.run("-s", "chat,superchat", "-H", "X-Trace: 42", "-x", "hi", "--wait", "0.3", url);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).contains("subprotocol chat");
        assertThat(r.outLines()).containsExactly("hi");
    }

    @Test
    void aRefusedPortIsAConnectFailureWithTheReason() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Result r = WscProcess.run("-x", "hi", "ws://127.0.0.1:" + port + "/");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.CONNECT_FAILED);
        assertThat(r.err()).contains("wsc: cannot connect to ws://127.0.0.1:" + port + "/", "refused");
    }

    @Test
    void aServerThatNeverAnswersTimesOutWithinTheConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread accepting = Thread.ofVirtual().start(() -> {
                try (Socket s = silent.accept()) {
                    s.getInputStream().readAllBytes();  // read the request, answer nothing
                } catch (IOException e) {
                    // the client gave up
                }
            });
            long start = System.nanoTime();
            Result r = WscProcess.run("--connect-timeout", "1", "-x", "hi",
                    "ws://127.0.0.1:" + silent.getLocalPort() + "/");
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.CONNECT_FAILED);
            assertThat(r.err()).contains("wsc: cannot connect to", "within the connect timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
            accepting.interrupt();
        }
    }

    @Test
    void aTerminatedClientClosesWithGoingAway() throws Exception {
        try (WscProcess client = WscProcess.start(url)) {
            client.awaitErr("connected to", WscProcess.DEFAULT_WAIT);
            client.write("still here\n");
            assertThat(client.awaitLine(Pattern.compile("(still here)"), WscProcess.DEFAULT_WAIT)).isNotNull();
            client.terminate();  // SIGTERM runs the same shutdown hook as Ctrl-C
            client.await(WscProcess.DEFAULT_WAIT);
        }
        server.awaitErr("closed by the client: 1001", WscProcess.DEFAULT_WAIT);
    }

    @Test
    void aServerStoppedUnderAClientEndsItWithGoingAwayWhichIsNormal() throws Exception {
        try (WscProcess own = WscProcess.start("serve", "--port", "0", "-q");
             WscProcess client = WscProcess.start(own.awaitLine(URL, WscProcess.DEFAULT_WAIT))) {
            client.awaitErr("connected to", WscProcess.DEFAULT_WAIT);
            own.terminate();  // the server says goodbye with 1001
            Result r = client.await(WscProcess.DEFAULT_WAIT);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.err()).contains("closed by the server: 1001 (going away) server stopping");
        }
    }
}
