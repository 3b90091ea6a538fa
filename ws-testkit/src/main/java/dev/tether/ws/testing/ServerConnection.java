package dev.tether.ws.testing;

import dev.tether.ws.codec.CloseCodes;
import dev.tether.ws.codec.ClosePayload;
import dev.tether.ws.codec.DecoderLimits;
import dev.tether.ws.codec.FrameDecoder;
import dev.tether.ws.codec.FrameWriter;
import dev.tether.ws.codec.MessageHandler;
import dev.tether.ws.codec.Opcodes;
import dev.tether.ws.codec.ProtocolException;
import dev.tether.ws.codec.Role;
import dev.tether.ws.codec.handshake.HandshakeException;
import dev.tether.ws.codec.handshake.HttpHeadParser;
import dev.tether.ws.codec.handshake.HttpRequestHead;
import dev.tether.ws.codec.handshake.ServerHandshake;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client connection to a {@link CodecServer}, seen from the server: what the client sent
 * ({@link #received()}), and levers to make the server misbehave on purpose.
 *
 * <p>Its own virtual thread reads the socket: the opening handshake, then frames through the
 * codec's {@link FrameDecoder} in the {@link Role#SERVER} role. By default it echoes each
 * message as one frame of the same type, answers a ping with a pong, and answers a close with a
 * close carrying the same code before closing TCP (RFC 6455 sections 5.5.2, 5.5.1, 7.1.1).
 * Test threads may send at any time; writes are serialised by a lock.
 */
public final class ServerConnection {
    private static final System.Logger LOG = System.getLogger(ServerConnection.class.getName());
    /** Generous enough for 16 MiB+ messages in tests, still bounded. */
    static final DecoderLimits LIMITS = new DecoderLimits(64L << 20, 64L << 20);
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);
    /** How long to wait for the client's TCP close after the close handshake (section 7.1.1). */
    private static final int LINGER_MILLIS = 5_000;

    private final CodecServer server;
    private final Socket socket;
    private final int id;
    private final BlockingQueue<ServerEvent> received = new LinkedBlockingQueue<>();
    private final AtomicBoolean published = new AtomicBoolean();

    /** Serialises frames from the reading thread (echo, pong, close) and from test threads. */
    private final Object writeLock = new Object();
    /** Guarded by writeLock. */
    private final OutputStream out;
    /** Guarded by writeLock. Used for the well-formed replies; raw sends bypass it. */
    private final FrameWriter writer = new FrameWriter(Role.SERVER);
    /** Guarded by writeLock. */
    private final ByteBuffer header = ByteBuffer.allocate(FrameWriter.MAX_HEADER_SIZE);
    /** Guarded by writeLock: a close frame went out (section 5.5.1: no data frames after it). */
    private boolean closeSent;

    // Switches: written by test threads, read by the reading thread.
    private volatile boolean echo = true;
    private volatile boolean answerPings = true;
    private volatile boolean answerClose = true;

    // Written once by the reading thread during the handshake, read by test threads after.
    private volatile HttpRequestHead request;
    private volatile Optional<String> subprotocol = Optional.empty();

    ServerConnection(CodecServer server, Socket socket, int id) throws IOException {
        this.server = server;
        this.socket = socket;
        this.id = id;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    // ---------------------------------------------------------------- switches

    /** Echo each message back (default true). */
    public ServerConnection echo(boolean on) {
        echo = on;
        return this;
    }

    /** Answer pings with pongs (default true); false simulates a dead link for keep-alive tests. */
    public ServerConnection answerPings(boolean on) {
        answerPings = on;
        return this;
    }

    /** Answer the client's close with a close and end TCP (default true); false leaves it hanging. */
    public ServerConnection answerClose(boolean on) {
        answerClose = on;
        return this;
    }

    // ---------------------------------------------------------------- what the client sent

    /** Everything seen so far and from now on, in order; take from it as a test goes. */
    public BlockingQueue<ServerEvent> received() {
        return received;
    }

    /** The next event, within 10 s. */
    public ServerEvent next() {
        return next(DEFAULT_WAIT);
    }

    public ServerEvent next(Duration wait) {
        ServerEvent e = poll(wait);
        if (e == null) {
            throw new AssertionError("connection " + id + ": no event from the client within " + wait);
        }
        return e;
    }

    /** The next event of {@code type} within 10 s, dropping any other events before it. */
    public <T extends ServerEvent> T await(Class<T> type) {
        return await(type, DEFAULT_WAIT);
    }

    public <T extends ServerEvent> T await(Class<T> type, Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        List<ServerEvent> skipped = new ArrayList<>();
        while (true) {
            ServerEvent e = poll(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
            if (e == null) {
                throw new AssertionError("connection " + id + ": no " + type.getSimpleName()
                        + " from the client within " + wait + "; saw " + skipped);
            }
            if (type.isInstance(e)) {
                return type.cast(e);
            }
            skipped.add(e);
        }
    }

    private ServerEvent poll(Duration wait) {
        try {
            return received.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The client's opening handshake request; null until it has been read. */
    public HttpRequestHead request() {
        return request;
    }

    /** The subprotocol the server picked from the client's offer. */
    public Optional<String> subprotocol() {
        return subprotocol;
    }

    /** E.g. {@code /127.0.0.1:51234}. */
    public String remote() {
        return String.valueOf(socket.getRemoteSocketAddress());
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends one frame exactly as given, unmasked, with no rule checked: any fin, any opcode
     * (reserved ones included), any payload size (control frames over 125 bytes included).
     */
    public ServerConnection sendFrame(boolean fin, int opcode, byte[] payload) {
        return sendFrame(fin, 0, opcode, payload);
    }

    /** As {@link #sendFrame(boolean, int, byte[])}, with RSV bits (4 = RSV1, 2 = RSV2, 1 = RSV3). */
    public ServerConnection sendFrame(boolean fin, int rsv, int opcode, byte[] payload) {
        return sendRaw(RawFrames.frame(fin, rsv, opcode, payload));
    }

    /** Sends arbitrary bytes: half a frame, two frames at once, an HTTP line, garbage. */
    public ServerConnection sendRaw(byte[] bytes) {
        synchronized (writeLock) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("connection " + id + ": send failed", e);
            }
        }
        return this;
    }

    public ServerConnection sendText(String text) {
        return sendFrame(true, Opcodes.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public ServerConnection sendBinary(byte[] data) {
        return sendFrame(true, Opcodes.BINARY, data);
    }

    public ServerConnection sendPing(byte[] data) {
        return sendFrame(true, Opcodes.PING, data);
    }

    public ServerConnection sendPong(byte[] data) {
        return sendFrame(true, Opcodes.PONG, data);
    }

    /**
     * Starts the close handshake from the server (section 7.1.2). Any code is written as given,
     * even ones a close frame must not carry (1005, 1006, 999...), to test the client's checks;
     * the reason is cut to nothing only if it is null. When the client answers, the server
     * closes TCP (section 7.1.1).
     */
    public ServerConnection sendClose(int code, String reason) {
        byte[] payload = new ClosePayload(code, reason == null ? "" : reason).toBytes();
        synchronized (writeLock) {
            closeSent = true;
            return sendFrame(true, Opcodes.CLOSE, payload);
        }
    }

    /** A close frame with no body (the client will see code 1005, section 7.1.5). */
    public ServerConnection sendClose() {
        return sendClose(CloseCodes.NO_STATUS, "");
    }

    /** Closes TCP without a close frame: the client sees an abnormal closure (1006). */
    public void closeTcp() {
        quietly(socket::close);
    }

    /** Resets TCP (SO_LINGER 0 makes close send RST): the client's read fails, not just ends. */
    public void resetTcp() {
        quietly(() -> {
            socket.setSoLinger(true, 0);
            socket.close();
        });
    }

    // ---------------------------------------------------------------- the reading thread

    /** Runs on the connection's own virtual thread until the socket closes. */
    void run() {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).flip();  // read mode, empty
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            CodecServer.HandshakeMode mode = server.handshakeMode();
            if (mode instanceof CodecServer.HandshakeMode.Silent) {
                publish();  // a silent server has no handshake to wait for
            }
            boolean silent = mode instanceof CodecServer.HandshakeMode.Silent;
            HttpRequestHead head = readHead(in, buffer, !silent);
            if (head == null) {
                return;
            }
            request = head;
            switch (mode) {
                case CodecServer.HandshakeMode.Silent quiet -> drain(in);
                case CodecServer.HandshakeMode.Raw raw -> {
                    sendRaw(raw.response().apply(head).getBytes(StandardCharsets.ISO_8859_1));
                    publish();
                    if (raw.thenClose()) {
                        halfClose();
                    }
                    drain(in);
                }
                case CodecServer.HandshakeMode.WebSocket ws -> {
                    if (accept(head, in)) {
                        publish();
                        runHook();
                        readFrames(in, buffer);
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            received.add(new ServerEvent.Disconnected(e.toString()));
        } finally {
            publish();
            server.forget(this);
        }
    }

    /**
     * Reads until the request head is complete; null if the client left first or sent a
     * malformed head (answered with 400 or 431 if {@code answerErrors}, then drained).
     */
    private HttpRequestHead readHead(InputStream in, ByteBuffer buffer, boolean answerErrors)
            throws IOException {
        HttpHeadParser<HttpRequestHead> parser = HttpHeadParser.forRequests();
        while (true) {
            try {
                Optional<HttpRequestHead> head = parser.parse(buffer);
                if (head.isPresent()) {
                    return head.get();  // bytes after the head stay in the buffer
                }
            } catch (HandshakeException e) {
                if (answerErrors) {
                    refuse(e, in);
                } else {
                    received.add(new ServerEvent.BadHandshake(e.statusCode(), e.getMessage()));
                    drain(in);
                }
                return null;
            }
            if (!fill(in, buffer)) {
                received.add(new ServerEvent.Disconnected("end of stream before the request head was complete"));
                return null;
            }
        }
    }

    /** Validates the upgrade request (section 4.2.1) and answers 101 (section 4.2.2). */
    private boolean accept(HttpRequestHead head, InputStream in) throws IOException {
        try {
            ServerHandshake handshake = ServerHandshake.validate(head);
            subprotocol = handshake.selectSubprotocol(server.subprotocols());
            ByteBuffer response = handshake.acceptResponse(subprotocol, List.of());
            sendRaw(toArray(response));
            return true;
        } catch (HandshakeException e) {
            refuse(e, in);
            return false;
        }
    }

    /** Answers a bad request with its 4xx (RFC 6455 section 4.2.1 "MUST ... respond with") and drains. */
    private void refuse(HandshakeException e, InputStream in) throws IOException {
        received.add(new ServerEvent.BadHandshake(e.statusCode(), e.getMessage()));
        sendRaw(toArray(ServerHandshake.errorResponse(e)));
        halfClose();
        drain(in);
    }

    private void runHook() {
        try {
            server.onConnect().accept(this);
        } catch (RuntimeException | AssertionError e) {
            LOG.log(Level.ERROR, "codec server: onConnect hook failed for connection " + id + "; closing it", e);
            closeTcp();
        }
    }

    private void readFrames(InputStream in, ByteBuffer buffer) throws IOException {
        FrameDecoder decoder = new FrameDecoder(Role.SERVER, LIMITS, new Replies());
        try {
            do {
                decoder.decode(buffer);
                buffer.clear().flip();
            } while (fill(in, buffer));
            received.add(new ServerEvent.Disconnected("end of stream"));
        } catch (ProtocolException e) {
            // Section 7.1.7: fail the connection, with the close code the violation maps to.
            received.add(new ServerEvent.Violation(e.closeCode(), e.getMessage()));
            synchronized (writeLock) {
                if (!closeSent) {
                    sendClose(e.closeCode(), truncate(e.getMessage()));
                }
            }
            halfClose();
            drain(in);
        } catch (SocketTimeoutException e) {
            received.add(new ServerEvent.Disconnected("the client did not close TCP within "
                    + LINGER_MILLIS + " ms of the close handshake"));
        }
    }

    /** Reads more into {@code buffer} (read mode before and after); false at end of stream. */
    private static boolean fill(InputStream in, ByteBuffer buffer) throws IOException {
        buffer.compact();
        try {
            int n = in.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            if (n < 0) {
                return false;
            }
            buffer.position(buffer.position() + n);
            return true;
        } finally {
            buffer.flip();
        }
    }

    /** Reads and discards until the client closes (or the socket is closed here). */
    private void drain(InputStream in) throws IOException {
        byte[] sink = new byte[8192];
        try {
            while (in.read(sink) >= 0) {
                // discard
            }
            received.add(new ServerEvent.Disconnected("end of stream"));
        } catch (SocketTimeoutException e) {
            received.add(new ServerEvent.Disconnected("the client did not close TCP within "
                    + LINGER_MILLIS + " ms"));
        }
    }

    /**
     * Ends the server's direction with a FIN, keeping the read side open so that the client's
     * last bytes are read rather than answered with RST (which could destroy our close frame
     * before the client reads it). The server closes TCP first, as section 7.1.1 asks.
     */
    private void halfClose() throws IOException {
        socket.setSoTimeout(LINGER_MILLIS);
        synchronized (writeLock) {
            if (socket.isOutputShutdown() || socket.isClosed()) {
                return;
            }
            out.flush();
            try {
                socket.shutdownOutput();
            } catch (UnsupportedOperationException e) {
                socket.close();  // an SSLSocket that cannot half-close
            }
        }
    }

    private void publish() {
        if (published.compareAndSet(false, true)) {
            server.published(this);
        }
    }

    /** The codec's callbacks: record, then answer as the switches say. */
    private final class Replies implements MessageHandler {
        // Owned by the reading thread.
        private int opcode;
        private ByteArrayOutputStream message;

        @Override
        public void onMessageStart(int opcode) {
            this.opcode = opcode;
            this.message = new ByteArrayOutputStream();
        }

        @Override
        public void onMessageData(ByteBuffer chunk) {
            message.writeBytes(bytes(chunk));
        }

        @Override
        public void onMessageEnd() {
            byte[] data = message.toByteArray();
            message = null;
            received.add(new ServerEvent.Message(opcode, data));
            if (echo) {
                reply(opcode, data);
            }
        }

        @Override
        public void onPing(ByteBuffer payload) {
            byte[] data = bytes(payload);
            received.add(new ServerEvent.Ping(data));
            if (answerPings) {
                reply(Opcodes.PONG, data);  // section 5.5.2: "Application data" of the ping
            }
        }

        @Override
        public void onPong(ByteBuffer payload) {
            received.add(new ServerEvent.Pong(bytes(payload)));
        }

        @Override
        public void onClose(int code, String reason) {
            received.add(new ServerEvent.Close(code, reason));
            boolean finish;
            synchronized (writeLock) {
                finish = closeSent;
                if (!closeSent && answerClose) {
                    // Section 5.5.1: reply with a close, "typically echoing the status code
                    // it received"; an empty close (1005) is answered with an empty one.
                    sendClose(code, reason);
                    finish = true;
                }
            }
            if (finish) {
                try {
                    halfClose();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        /** A well-formed reply through the codec's writer; skipped once a close went out. */
        private void reply(int opcode, byte[] data) {
            synchronized (writeLock) {
                if (closeSent) {
                    return;
                }
                try {
                    header.clear();
                    writer.writeHeader(header, true, 0, opcode, data.length);
                    out.write(header.array(), 0, header.position());
                    out.write(data);
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException("connection " + id + ": reply failed", e);
                }
            }
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    private static byte[] toArray(ByteBuffer b) {
        return bytes(b.duplicate());
    }

    /** Close reasons carry at most 123 UTF-8 bytes (section 5.5); cut on a character boundary. */
    private static String truncate(String reason) {
        String r = reason == null ? "" : reason;
        while (r.getBytes(StandardCharsets.UTF_8).length > CloseCodes.MAX_REASON_BYTES) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }

    private void quietly(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "codec server: connection " + id + ": " + e);
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    @Override
    public String toString() {
        return "ServerConnection[" + id + ", " + remote() + "]";
    }
}
