package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ws.Event;
import dev.tether.ws.Opcode;
import dev.tether.ws.Received;
import dev.tether.ws.WebSocket;
import dev.tether.ws.codec.Opcodes;
import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.JettyStreamServer;
import dev.tether.ws.testing.ServerConnection;
import dev.tether.ws.testing.StreamPattern;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Large messages as streams, against Jetty's partial-message API: received as they arrive
 * ({@link Event#STREAM}) through a small buffer, and sent from an {@link InputStream} as
 * fragments; compressed and not; 1 GiB each way, the receiving side in a JVM whose heap is
 * capped at 256 MiB.
 */
@ParameterizedClass
@CsvSource({"blocking, false", "blocking, true", "nio, false", "nio, true"})
class StreamTest {
    private static final long GIB = 1L << 30;
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static JettyStreamServer jetty;

    @Parameter(0)
    String transport;
    @Parameter(1)
    boolean compression;

    @BeforeAll
    static void startJetty() throws Exception {
        jetty = new JettyStreamServer();
    }

    @AfterAll
    static void stopJetty() throws Exception {
        jetty.close();
    }

    /**
     * 1 GiB, but for compression on the blocking transport 128 MiB: compressing a gibibyte costs
     * about 25 s of this machine's two cores, once per direction is enough for {@code verify}.
     */
    private long large() {
        return compression && transport.equals("blocking") ? 128L << 20 : GIB;
    }

    private WebSocket.Builder builder(String url) {
        return WebSocket.builder(url).transport(transport).compression(compression);
    }

    @Test
    void aGibibyteIsReceivedByAJvmWithA256MiBHeapAndItsDigestMatches() throws Exception {
        List<String> lines = runChild(jetty.uri("/source?bytes=" + large()));
        String result = line(lines, "RESULT ");
        assertThat(result).startsWith(large() + " ");
        assertThat(result).isEqualTo(line(lines, "SENT "));
    }

    @Test
    void aStreamedMessageIsNotBoundByMaxMessageSize() throws Exception {
        WebSocket ws = builder(jetty.uri("/source?bytes=" + (48L << 20))).maxMessageSize(1 << 20).build();
        CompletableFuture<String> received = new CompletableFuture<>();
        CompletableFuture<String> sent = new CompletableFuture<>();
        BlockingQueue<Object> others = new LinkedBlockingQueue<>();
        ws.on(Event.MESSAGE, others::add);
        ws.on(Event.STREAM, in -> {
            if (in.isText()) {
                sent.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } else {
                received.complete(StreamReceiver.digest(in));
            }
        });
        assertThat(ws.connect(Duration.ofSeconds(10))).isTrue();
        assertThat(received.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(sent.get(1, TimeUnit.MINUTES));
        assertThat(others).as("a streaming connection fires STREAM only").isEmpty();
        assertThat(ws.recv(Duration.ofMillis(50)).ok()).as("nor queues for recv").isFalse();
        ws.close();
    }

    @Test
    void aGibibyteSentFromAnInputStreamReachesJettyWhole() throws Exception {
        assertSentWhole(large());
    }

    @Test
    void aFileSentAsAStreamReachesJettyWhole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("upload.bin");
        byte[] content = new byte[3 * 65536 + 17];  // three whole fragments and a short last one
        new StreamPattern().fill(content, 0, content.length);
        Files.write(file, content);
        WebSocket ws = builder(jetty.uri("/digest")).build();
        assertThat(ws.connect(Duration.ofSeconds(10))).isTrue();
        try (InputStream in = Files.newInputStream(file)) {
            assertThat(ws.sendStream(Opcode.BINARY, in)).isTrue();
        }
        assertThat(answer(ws)).isEqualTo(content.length + " " + sha256(content));
        // A source that ends exactly at a fragment boundary, and an empty one.
        byte[] exact = new byte[2 * 65536];
        assertThat(ws.sendStream(Opcode.BINARY, new ByteArrayInputStream(exact))).isTrue();
        assertThat(answer(ws)).isEqualTo(exact.length + " " + sha256(exact));
        assertThat(ws.sendStream(Opcode.TEXT, new ByteArrayInputStream(new byte[0]))).isTrue();
        assertThat(answer(ws)).isEqualTo("0 " + sha256(new byte[0]));
        ws.close();
    }

    @Test
    void aSourceThatFailsClosesTheConnectionWith1011() throws Exception {
        WebSocket ws = builder(jetty.uri("/digest")).build();
        EventRecorder events = EventRecorder.on(ws);
        assertThat(ws.connect(Duration.ofSeconds(10))).isTrue();
        InputStream failing = new InputStream() {
            private int left = 100_000;

            @Override
            public int read() throws IOException {
                if (left == 0) {
                    throw new IOException("disk gone");  // and again at every later read
                }
                left--;
                return 'x';
            }
        };
        assertThatThrownBy(() -> ws.sendStream(Opcode.BINARY, failing)).hasMessage("disk gone");
        assertThat(events.awaitEvent("close")).startsWith("close:1011");
    }

    @Test
    void aStreamFailsWithTheCloseCodeWhenTheConnectionEndsMidMessage() throws Exception {
        try (CodecServer server = CodecServer.started()) {
            WebSocket ws = WebSocket.builder(server.uri("/").toString()).transport(transport).build();
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            ws.on(Event.STREAM, in -> {
                try {
                    in.readAllBytes();
                    failure.complete(null);
                } catch (IOException e) {
                    failure.complete(e);
                }
            });
            assertThat(ws.connect(Duration.ofSeconds(10))).isTrue();
            ServerConnection c = server.nextConnection(Duration.ofSeconds(10));
            c.sendFrame(false, Opcodes.BINARY, new byte[1000]);
            c.closeTcp();
            assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class)
                    .hasMessageContaining("1006");
        }
    }

    @Test
    void aHandlerThatStopsReadingEarlyLetsTheNextMessageThrough() throws Exception {
        WebSocket ws = builder(jetty.uri("/source?bytes=" + (8L << 20))).build();
        CompletableFuture<String> summary = new CompletableFuture<>();
        ws.on(Event.STREAM, in -> {
            if (in.isText()) {
                summary.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } else {
                assertThat(in.readNBytes(10)).hasSize(10);  // and leave the other 8 MiB unread
            }
        });
        assertThat(ws.connect(Duration.ofSeconds(10))).isTrue();
        assertThat(summary.get(1, TimeUnit.MINUTES)).startsWith((8L << 20) + " ");
        ws.close();
    }

    private void assertSentWhole(long bytes) throws Exception {
        WebSocket ws = builder(jetty.uri("/digest")).build();
        assertThat(ws.connect(Duration.ofSeconds(10))).isTrue();
        PatternStream source = new PatternStream(bytes);
        assertThat(ws.sendStream(Opcode.BINARY, source)).isTrue();
        assertThat(answer(ws)).isEqualTo(bytes + " " + HexFormat.of().formatHex(source.sha.digest()));
        ws.close();
    }

    private static String answer(WebSocket ws) {
        Received r = ws.recv(WAIT);
        assertThat(r.ok()).as("the server's digest: %s", r.error()).isTrue();
        return r.data().text();
    }

    private static String sha256(byte[] data) {
        return HexFormat.of().formatHex(StreamReceiver.sha256().digest(data));
    }

    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + "line in " + lines));
    }

    /** {@link StreamReceiver} in a JVM whose heap is capped at 256 MiB. */
    private List<String> runChild(String url) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                StreamReceiver.class.getName(), url, transport, Boolean.toString(compression))
                .redirectErrorStream(true).start();
        CompletableFuture<List<String>> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (!p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the receiving JVM did not finish within " + WAIT);
        }
        List<String> lines = out.get(10, TimeUnit.SECONDS);
        assertThat(p.exitValue()).as("the receiving JVM's exit status; its output: %s", lines).isZero();
        return lines;
    }

    /** {@code bytes} of {@link StreamPattern}, hashed as they are read. */
    private static final class PatternStream extends InputStream {
        final MessageDigest sha = StreamReceiver.sha256();
        private final StreamPattern pattern = new StreamPattern();
        private long left;

        PatternStream(long bytes) {
            this.left = bytes;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            pattern.fill(b, off, n);
            sha.update(b, off, n);
            left -= n;
            return n;
        }
    }
}
