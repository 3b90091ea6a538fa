package dev.tether.ws.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Wsc#run} in this JVM, for the mistakes that end before any I/O: exit code 2 and the message. */
class WscTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream realOut;
    private PrintStream realErr;

    @BeforeEach
    void capture() {
        realOut = System.out;
        realErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(realOut);
        System.setErr(realErr);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpAnywhereBeforeDoubleDash() {
        assertThat(Wsc.run("serve", "--port", "1", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("wsc serve [options]", "exit codes:");
    }

    @Test
    void versionNamesTheJava() {
        assertThat(Wsc.run("--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("wsc ").contains("(Java ");
    }

    @Test
    void aBadPortInTheUrl() {
        assertThat(Wsc.run("ws://127.0.0.1:99999/")).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("wsc: bad URL:", "99999");
    }

    @Test
    void aUrlWithAFragment() {
        assertThat(Wsc.run("ws://127.0.0.1/#top")).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("wsc: bad URL:", "fragment");
    }

    @Test
    void anAddressWithoutASchemeGetsAHint() {
        assertThat(Wsc.run("127.0.0.1:8080")).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("did you mean ws://127.0.0.1:8080");
    }

    @Test
    void anUnknownTransportIsNamed() {
        assertThat(Wsc.run("--transport", "carrier-pigeon", "ws://127.0.0.1:9/")).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("--transport must be one of nio, blocking, got 'carrier-pigeon'");
    }

    @Test
    void aHeaderThatCannotBeSent() {
        assertThat(Wsc.run("-H", "Bad Name: x", "ws://127.0.0.1:9/")).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("Bad Name");
    }

    @Test
    void compressionIsAcceptedAndAnUnreachableServerIsStillAConnectFailure() {
        assertThat(Wsc.run("--compress", "--connect-timeout", "2", "-x", "hi", "ws://127.0.0.1:9/"))
                .isEqualTo(ExitCode.CONNECT_FAILED);
    }

    @Test
    void executeAndReconnectContradictEachOther() {
        assertThat(Wsc.run("-x", "hi", "--reconnect", "1", "ws://127.0.0.1:9/")).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("-x sends and exits, --reconnect keeps reconnecting");
    }

    @Test
    void serveOptionsAreChecked() {
        assertThat(Wsc.run("serve", "--port", "70000")).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("--port must be between 0 and 65535, got 70000");
        assertThat(Wsc.run("serve", "--tls-keystore", "missing.p12", "--tls-password", "x")).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("--tls-keystore missing.p12: no such file");
        assertThat(Wsc.run("serve", "--tls-password", "x")).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("no --tls-keystore given");
    }

    @Test
    void demoTakesNoArguments() {
        assertThat(Wsc.run("demo", "fast")).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("wsc demo takes no arguments, got 'fast'");
    }
}
