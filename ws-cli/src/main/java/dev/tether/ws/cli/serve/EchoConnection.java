package dev.tether.ws.cli.serve;

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
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client of the {@link EchoServer}, on its own virtual thread: the opening handshake
 * (RFC 6455 section 4.2), then frames through the codec's {@link FrameDecoder} in the
 * {@link Role#SERVER} role. Each message goes back whole as one frame of its type, a ping gets
 * its pong (section 5.5.2), a close gets a close with the same code, after which the server
 * ends TCP first (sections 5.5.1, 7.1.1). A protocol violation closes with its code.
 */
final class EchoConnection {
    /** A client has this long to send its request head. */
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** After the close handshake, how long to wait for the client's TCP close (section 7.1.1). */
    private static final int LINGER_MILLIS = 5_000;

    private final EchoServer server;
    private final Socket socket;
    private final int id;
    private final String peer;
    private final CountDownLatch done = new CountDownLatch(1);

    /** Serialises frames from the reading thread (echo, pong, close) and from stop (going away). */
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Guarded by writeLock; null until the handshake is answered. */
    private OutputStream out;
    /** Guarded by writeLock. */
    private final FrameWriter writer = new FrameWriter(Role.SERVER);
    /** Guarded by writeLock. */
    private final ByteBuffer header = ByteBuffer.allocate(FrameWriter.MAX_HEADER_SIZE);
    /** Guarded by writeLock: a close frame went out; no data frames may follow (section 5.5.1). */
    private boolean closeSent;

    EchoConnection(EchoServer server, Socket socket, int id) {
        this.server = server;
        this.socket = socket;
        this.id = id;
        this.peer = String.valueOf(socket.getRemoteSocketAddress()).replaceFirst("^.*/", "");
    }

    int id() {
        return id;
    }

    /** Runs on the connection's thread until the socket closes. */
    void run() {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).flip();  // read mode, empty
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            InputStream in = socket.getInputStream();
            HttpRequestHead head = readHead(in, buffer);
            if (head != null && accept(head)) {
                socket.setSoTimeout(0);
                readFrames(in, buffer);
            }
        } catch (SocketTimeoutException e) {
            server.log("#" + id + " " + peer + " timed out");
        } catch (IOException e) {
            server.log("#" + id + " " + peer + " ended: " + e.getMessage());
        } catch (UncheckedIOException e) {
            server.log("#" + id + " " + peer + " ended: " + e.getCause().getMessage());
        } finally {
            server.ended(this);
            done.countDown();
        }
    }

    /** Beyond the connection limit: 503, and no WebSocket. */
    void refuseBusy() {
        try (socket) {
            socket.getOutputStream().write(("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            server.log("#" + id + " " + peer + " refused: too many connections");
        } catch (IOException e) {
            // the client is gone already
        } finally {
            done.countDown();
        }
    }

    /** Reads the request head; null (after answering a malformed one with 400 or 431) if there is none. */
    private HttpRequestHead readHead(InputStream in, ByteBuffer buffer) throws IOException {
        HttpHeadParser<HttpRequestHead> parser = HttpHeadParser.forRequests();
        while (true) {
            try {
                Optional<HttpRequestHead> head = parser.parse(buffer);
                if (head.isPresent()) {
                    return head.get();  // bytes after the head stay in the buffer for the decoder
                }
            } catch (HandshakeException e) {
                refuse(e);
                return null;
            }
            if (!fill(in, buffer)) {
                return null;
            }
        }
    }

    /** Validates the upgrade request (section 4.2.1) and answers 101 (section 4.2.2), or 4xx. */
    private boolean accept(HttpRequestHead head) throws IOException {
        try {
            ServerHandshake handshake = ServerHandshake.validate(head);
            List<String> supported = server.supportedSubprotocols();
            Optional<String> subprotocol = supported.isEmpty()
                    ? handshake.offeredSubprotocols().stream().findFirst()
                    : handshake.selectSubprotocol(supported);
            write(handshake.acceptResponse(subprotocol, List.of()));
            server.log("#" + id + " " + peer + " open " + handshake.resource()
                    + subprotocol.map(p -> " (subprotocol " + p + ")").orElse(""));
            return true;
        } catch (HandshakeException e) {
            refuse(e);
            return false;
        }
    }

    private void refuse(HandshakeException e) throws IOException {
        write(ServerHandshake.errorResponse(e));
        server.log("#" + id + " " + peer + " refused: " + e.statusCode() + " " + e.getMessage());
    }

    private void write(ByteBuffer bytes) throws IOException {
        writeLock.lock();
        try {
            if (out == null) {
                out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            }
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    private void readFrames(InputStream in, ByteBuffer buffer) throws IOException {
        long max = Math.max(125, server.maxMessageSize());
        Echo echo = new Echo();
        FrameDecoder decoder = new FrameDecoder(Role.SERVER, new DecoderLimits(max, max), echo);
        try {
            do {
                decoder.decode(buffer);
                buffer.clear().flip();
                if (echo.closed) {
                    lingerForClientClose(in);
                    return;
                }
            } while (fill(in, buffer));
            server.log("#" + id + " " + peer + " dropped: no close frame (1006)");
        } catch (ProtocolException e) {
            // Section 7.1.7: fail the connection with the code the violation maps to.
            server.log("#" + id + " " + peer + " protocol error " + e.closeCode() + ": " + e.getMessage());
            sendClose(e.closeCode(), e.getMessage());
            lingerForClientClose(in);
        }
    }

    /** From {@link EchoServer#stop()}: a close with 1001; the reading thread finishes the handshake. */
    void goAway() {
        server.log("#" + id + " " + peer + " going away: sending close 1001");
        try {
            sendClose(CloseCodes.GOING_AWAY, "server stopping");
        } catch (IOException e) {
            abort();
        }
    }

    void awaitEnd(long nanos) throws InterruptedException {
        done.await(nanos, TimeUnit.NANOSECONDS);
    }

    void abort() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Sends a close frame unless one went out already; the reason is cut to fit (section 5.5). */
    private void sendClose(int code, String reason) throws IOException {
        writeLock.lock();
        try {
            if (closeSent || out == null) {
                return;
            }
            closeSent = true;
            byte[] payload = code == CloseCodes.NO_STATUS ? new byte[0]
                    : new ClosePayload(code, fit(reason)).toBytes();
            frame(Opcodes.CLOSE, payload);
        } finally {
            writeLock.unlock();
        }
    }

    /** Guarded by writeLock (held by the caller). */
    private void frame(int opcode, byte[] payload) throws IOException {
        header.clear();
        writer.writeHeader(header, true, 0, opcode, payload.length);
        out.write(header.array(), 0, header.position());
        out.write(payload);
        out.flush();
    }

    /**
     * The server ends TCP first (section 7.1.1): half-close, then read until the client's FIN
     * (bounded), so that the client reads our close frame rather than a reset.
     */
    private void lingerForClientClose(InputStream in) throws IOException {
        socket.setSoTimeout(LINGER_MILLIS);
        writeLock.lock();
        try {
            out.flush();
            if (!socket.isOutputShutdown()) {
                socket.shutdownOutput();
            }
        } catch (UnsupportedOperationException e) {
            return;  // an SSLSocket cannot half-close; closing it sends close_notify
        } finally {
            writeLock.unlock();
        }
        byte[] sink = new byte[4096];
        while (in.read(sink) >= 0) {
            // the client should send nothing more; discard what it does
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

    private static String fit(String reason) {
        String r = reason == null ? "" : reason;
        while (r.getBytes(StandardCharsets.UTF_8).length > CloseCodes.MAX_REASON_BYTES) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }

    /** The codec's callbacks, on the reading thread: gather each message and send it back. */
    private final class Echo implements MessageHandler {
        private int opcode;
        private final ByteArrayOutputStream message = new ByteArrayOutputStream();
        private boolean closed;

        @Override
        public void onMessageStart(int opcode) {
            this.opcode = opcode;
            message.reset();
        }

        @Override
        public void onMessageData(ByteBuffer chunk) {
            if (chunk.hasArray()) {
                message.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
                chunk.position(chunk.limit());
            } else {
                byte[] bytes = new byte[chunk.remaining()];
                chunk.get(bytes);
                message.writeBytes(bytes);
            }
        }

        @Override
        public void onMessageEnd() {
            reply(opcode, message.toByteArray());
            message.reset();
        }

        @Override
        public void onPing(ByteBuffer payload) {
            byte[] data = new byte[payload.remaining()];
            payload.get(data);
            reply(Opcodes.PONG, data);
        }

        @Override
        public void onPong(ByteBuffer payload) {
            // an unsolicited pong is a heartbeat; nothing to answer (section 5.5.3)
        }

        @Override
        public void onClose(int code, String reason) {
            closed = true;
            boolean answer;
            writeLock.lock();
            try {
                answer = !closeSent;
            } finally {
                writeLock.unlock();
            }
            server.log("#" + id + " " + peer + (answer ? " closed by the client: " : " close answered: ")
                    + code + (reason.isEmpty() ? "" : " " + reason));
            try {
                sendClose(code, reason);  // an empty close (1005) is answered with an empty one
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A frame back to the client; an I/O failure leaves through {@link #run()}. */
        private void reply(int opcode, byte[] data) {
            writeLock.lock();
            try {
                if (!closeSent) {
                    frame(opcode, data);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                writeLock.unlock();
            }
        }
    }
}
