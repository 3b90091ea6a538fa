package dev.tether.ws.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.cli.WscProcess.Result;
import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.ServerConnection;
import dev.tether.ws.testing.ServerEvent;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The client as a process against the testkit's scriptable server: what an echo server cannot show. */
class AgainstCodecServerIT {

    @Test
    void binaryMessagesPrintAsHexOrBase64() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            server.onConnect(c -> c.echo(false).sendBinary(new byte[] {0, 1, (byte) 0xAB, (byte) 0xFF}).sendText("text"));
            Result hex = WscProcess.run("--wait", "0.3", server.uri().toString());
            assertThat(hex.exit()).as(hex.toString()).isZero();
            assertThat(hex.outLines()).containsExactly("0001abff", "text");

            Result base64 = WscProcess.run("--binary", "base64", "--wait", "0.3", server.uri().toString());
            assertThat(base64.outLines()).containsExactly("AAGr/w==", "text");
        }
    }

    @Test
    void headersSubprotocolsAndOriginReachTheServer() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            server.subprotocols("v2");
            Result r = WscProcess.run("-H", "Authorization: Bearer abc", "-H", "X-Trace:7", "-s", "v1,v2",
                    "-o", "https://example.test", "-x", "hi", "--wait", "0.3", server.uri("/path?q=1").toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.err()).contains("subprotocol v2");
            ServerConnection c = server.nextConnection();
            assertThat(c.request().target()).isEqualTo("/path?q=1");
            assertThat(c.request().headers().first("Authorization")).contains("Bearer abc");
            assertThat(c.request().headers().first("X-Trace")).contains("7");
            assertThat(c.request().headers().first("Origin")).contains("https://example.test");
        }
    }

    @Test
    void aDroppedConnectionIsAnAbnormalEnd() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            server.onConnect(ServerConnection::closeTcp);
            Result r = WscProcess.runWithInput("", "--wait", "5", server.uri().toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.CLOSED_ABNORMALLY);
            assertThat(r.err()).contains("wsc: connection ended: 1006 (abnormal closure)");
        }
    }

    @Test
    void reconnectSurvivesAServerRestartAndSendsWhatWasTypedMeanwhile() throws Exception {
        try (CodecServer server = CodecServer.started();
             WscProcess client = WscProcess.start("--reconnect", "0.2", "--wait", "0.3", server.uri().toString())) {
            client.awaitErr("connected to", WscProcess.DEFAULT_WAIT);
            client.write("before\n");
            client.awaitLine(Pattern.compile("(before)"), WscProcess.DEFAULT_WAIT);

            server.stop();
            client.awaitErr("disconnected: 1006", WscProcess.DEFAULT_WAIT);
            client.write("meanwhile\n");  // waits for the next connection
            server.start();
            client.awaitLine(Pattern.compile("(meanwhile)"), WscProcess.DEFAULT_WAIT);

            client.closeInput();
            Result r = client.await(WscProcess.DEFAULT_WAIT);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.err()).contains("not connected: the line will be sent after the reconnect");
        }
    }

    @Test
    void keepAlivePingsTheServer() throws Exception {
        try (CodecServer server = CodecServer.started();
             WscProcess client = WscProcess.start("--keepalive", "0.2", server.uri().toString())) {
            ServerConnection c = server.nextConnection();
            assertThat(c.await(ServerEvent.Ping.class, Duration.ofSeconds(10))).isNotNull();
            client.closeInput();
            assertThat(client.await(WscProcess.DEFAULT_WAIT).exit()).isZero();
        }
    }
}
