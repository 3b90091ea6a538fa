package dev.tether.ws.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.cli.WscProcess.Result;
import dev.tether.ws.testing.JettyEchoServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client as a process against a real, independent server: Jetty 12, in this JVM. */
class AgainstJettyIT {
    private static JettyEchoServer jetty;

    @BeforeAll
    static void startJetty() throws Exception {
        jetty = new JettyEchoServer();
    }

    @AfterAll
    static void stopJetty() {
        if (jetty != null) {
            jetty.close();
        }
    }

    @Test
    void executeAgainstJetty() throws Exception {
        Result r = WscProcess.run("-x", "hello jetty", "--wait", "0.3", jetty.uri("/echo?id=x").toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.outLines()).containsExactly("hello jetty");
        assertThat(jetty.awaitClose("/echo?id=x", Duration.ofSeconds(10)).code()).isEqualTo(1000);
    }

    @Test
    void compressedExecuteAgainstJetty() throws Exception {
        String line = "compress this line please ".repeat(40).strip();
        Result r = WscProcess.run("--compress", "-x", line, "--wait", "0.3", jetty.uri("/echo?id=deflate").toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.outLines()).containsExactly(line);
        assertThat(jetty.awaitClose("/echo?id=deflate", Duration.ofSeconds(10)).code()).isEqualTo(1000);
    }

    @Test
    void pipedInputAgainstJetty() throws Exception {
        Result r = WscProcess.runWithInput("first\nsecond\nthird\n", "-q", "--wait", "0.3",
                jetty.uri("/echo?id=pipe").toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.outLines()).containsExactly("first", "second", "third");
        assertThat(jetty.awaitClose("/echo?id=pipe", Duration.ofSeconds(10)).code()).isEqualTo(1000);
    }

    @Test
    void aServerCloseWithAnApplicationCodeIsAnAbnormalEnd() throws Exception {
        Result r = WscProcess.run("-x", "hi", jetty.uri("/close?code=4000&reason=bye").toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.CLOSED_ABNORMALLY);
        assertThat(r.err()).contains("wsc: connection ended: 4000 (application code 4000) bye");
    }

    @Test
    void aNormalCloseByTheServerIsSuccess() throws Exception {
        Result r = WscProcess.run("-x", "hi", jetty.uri("/close?code=1000&reason=done").toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).contains("closed by the server: 1000 (normal closure) done");
    }

    @Test
    void aRefusedHandshakeIsAConnectFailureWithTheStatus() throws Exception {
        Result r = WscProcess.run("-x", "hi", jetty.uri("/nowhere").toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.CONNECT_FAILED);
        assertThat(r.err()).contains("wsc: cannot connect to", "404");
    }
}
