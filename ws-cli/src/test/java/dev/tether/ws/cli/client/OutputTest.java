package dev.tether.ws.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.Message;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Output output(boolean interactive, boolean quiet) {
        return new Output(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), interactive, quiet, BinaryFormat.HEX);
    }

    @Test
    void fromAPipeMessagesAreBareAndNewsGoesToStderr() {
        Output o = output(false, false);
        o.prompt();
        o.message(Message.text("héllo"));
        o.message(Message.binary(new byte[] {(byte) 0xCA, (byte) 0xFE}));
        o.status("closed");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("héllo\ncafe\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("closed\n");
    }

    @Test
    void quietDropsTheNewsButNotTheErrors() {
        Output o = output(false, true);
        o.status("connected");
        o.error("wsc: broken");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("wsc: broken\n");
    }

    @Test
    void onATerminalAMessageClearsThePromptLineAndPutsThePromptBack() {
        Output o = output(true, false);
        o.prompt();
        o.message(Message.text("incoming"));
        o.message(Message.binary(new byte[] {1}));
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("> \r\u001b[2K< incoming\n> \r\u001b[2K< [binary, 1 bytes] 01\n> ");
        o.lineEntered();
        o.prompt();
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("01\n> > ");
    }
}
