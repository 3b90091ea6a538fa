package dev.tether.ws.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.cli.WscProcess.Result;
import org.junit.jupiter.api.Test;

/**
 * Mistakes on the command line, with wsc as a process: exit code 2 and a message that names the
 * mistake. No network. (More of them, in this JVM: {@link WscTest}.)
 */
class UsageIT {

    @Test
    void helpListsTheOptionsAndTheExitCodes() throws Exception {
        Result r = WscProcess.run("--help");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("wsc [options] URL", "wsc serve", "wsc demo", "--execute", "--reconnect",
                "--cacert", "--insecure", "--transport", "exit codes:", "130");
    }

    @Test
    void noArgumentsIsAUsageError() throws Exception {
        Result r = WscProcess.run();
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("usage: wsc [options] URL");
    }

    @Test
    void aUrlWithAnotherSchemeIsRefusedBeforeAnyConnection() throws Exception {
        Result r = WscProcess.run("-x", "hi", "http://127.0.0.1:9/");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("wsc: bad URL: unsupported scheme in http://127.0.0.1:9/", "use ws:// or wss://");
    }

    @Test
    void anUnknownOptionIsNamed() throws Exception {
        Result r = WscProcess.run("--frobnicate", "ws://127.0.0.1:9/");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("unknown option --frobnicate", "wsc --help");
    }

    @Test
    void serveRefusesAnArgument() throws Exception {
        Result r = WscProcess.run("serve", "--port", "http");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--port expects a whole number, got 'http'");
    }
}
