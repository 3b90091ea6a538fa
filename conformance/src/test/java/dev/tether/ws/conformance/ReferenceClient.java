package dev.tether.ws.conformance;

import dev.tether.ws.codec.ClosePayload;
import dev.tether.ws.codec.CloseCodes;
import dev.tether.ws.codec.DecoderLimits;
import dev.tether.ws.codec.FrameDecoder;
import dev.tether.ws.codec.FrameWriter;
import dev.tether.ws.codec.MessageHandler;
import dev.tether.ws.codec.Opcodes;
import dev.tether.ws.codec.ProtocolException;
import dev.tether.ws.codec.Role;
import dev.tether.ws.codec.deflate.DeflateOffer;
import dev.tether.ws.codec.deflate.DeflateParams;
import dev.tether.ws.codec.deflate.MessageDeflater;
import dev.tether.ws.codec.deflate.MessageInflater;
import dev.tether.ws.codec.handshake.ClientHandshake;
import dev.tether.ws.codec.handshake.ExtensionSpec;
import dev.tether.ws.codec.handshake.HandshakeException;
import dev.tether.ws.codec.handshake.HandshakeResult;
import dev.tether.ws.codec.handshake.HttpHeadParser;
import dev.tether.ws.codec.handshake.HttpResponseHead;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.Deflater;

/**
 * A minimal echo client made of the codec alone (client role), with switchable flaws, so the
 * fuzzing peer and its judge can be checked without any transport: with no flaw it should pass
 * every case; each flaw should be caught by the cases that test it.
 *
 * <p>One thread does everything: read, decode, answer. It answers a close with a close (same
 * code), fails the connection with the codec's close code on a violation, and then waits for
 * the server to close TCP (RFC 6455 section 7.1.1).
 *
 * <p>Given a permessage-deflate offer it negotiates the extension with the codec's
 * {@link DeflateParams}, inflates with a {@link MessageInflater} and compresses every echo,
 * however small, with a {@link MessageDeflater} keeping to the agreed window and context
 * takeover (unless a flaw says otherwise).
 */
final class ReferenceClient implements MessageHandler {

    enum Flaw {
        /** Never answers a ping. */
        IGNORE_PINGS,
        /** Echoes text messages as binary. */
        TEXT_AS_BINARY,
        /** Closes with 1000 whatever the violation was. */
        ALWAYS_CLOSE_NORMAL,
        /** Drops TCP on a violation instead of sending a close frame. */
        DROP_ON_VIOLATION,
        /** Goes silent on a violation: no close, no drop (a client that never notices). */
        SILENT_ON_VIOLATION,
        /** Never answers the server's close frame. */
        IGNORE_CLOSE,
        /** Does not offer permessage-deflate, whatever it was given. */
        NO_DEFLATE,
        /** Compresses with the full 32 KiB window whatever client_max_window_bits was agreed. */
        DEFLATE_FULL_WINDOW,
        /** Keeps its compression context between messages though client_no_context_takeover was agreed. */
        DEFLATE_KEEP_CONTEXT,
        /** Marks every compressed echo's first block with the reserved block type 3 (RFC 1951). */
        DEFLATE_CORRUPT
    }

    private final Set<Flaw> flaws;
    private final Socket socket;
    private final OutputStream out;
    private final FrameWriter writer = new FrameWriter(Role.CLIENT);
    private final FrameDecoder decoder = new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, this);
    /** Set when permessage-deflate was negotiated. */
    private MessageDeflater deflater;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private int messageOpcode;
    private boolean closeSent;
    private boolean decoding = true;

    private ReferenceClient(Socket socket, Set<Flaw> flaws) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.flaws = flaws;
    }

    /** Runs one connection to {@code base + resource} until the server closes it. */
    static void run(URI base, String resource, Set<Flaw> flaws) throws IOException, HandshakeException {
        run(base, resource, flaws, null);
    }

    /** The same, offering permessage-deflate with {@code offer} unless it is null. */
    static void run(URI base, String resource, Set<Flaw> flaws, DeflateOffer offer) throws IOException, HandshakeException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(30_000);
            ReferenceClient client = new ReferenceClient(s, flaws.isEmpty() ? EnumSet.noneOf(Flaw.class) : EnumSet.copyOf(flaws));
            try {
                client.serve(base, resource, client.flaws.contains(Flaw.NO_DEFLATE) ? null : offer);
            } finally {
                if (client.deflater != null) {
                    client.deflater.end();
                }
            }
        }
    }

    private void serve(URI base, String resource, DeflateOffer offer) throws IOException, HandshakeException {
        ClientHandshake handshake = ClientHandshake.builder(base.getHost(), base.getPort(), false)
                .resource(resource).extensions(offer == null ? List.of() : List.of(offer.toHeaderValue())).build();
        ByteBuffer request = handshake.requestBytes();
        byte[] requestBytes = new byte[request.remaining()];
        request.duplicate().get(requestBytes);
        out.write(requestBytes);
        InputStream in = socket.getInputStream();
        HttpHeadParser<HttpResponseHead> parser = HttpHeadParser.forResponses();
        byte[] buf = new byte[64 * 1024];
        Optional<HttpResponseHead> head = Optional.empty();
        ByteBuffer chunk = ByteBuffer.allocate(0);
        while (head.isEmpty()) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("no handshake response");
            }
            chunk = ByteBuffer.wrap(buf, 0, n);
            head = parser.parse(chunk);
        }
        HandshakeResult result = handshake.validate(head.get());
        for (ExtensionSpec answer : result.extensions()) {
            if (offer != null && answer.name().equals(DeflateOffer.EXTENSION)) {
                DeflateParams params = DeflateParams.accept(offer, answer);
                decoder.enableDeflate(new MessageInflater(params.receiveNoContextTakeover(Role.CLIENT),
                        DecoderLimits.DEFAULT.maxMessageSize()));
                writer.allowRsv(0x4);
                deflater = new MessageDeflater(flaws.contains(Flaw.DEFLATE_FULL_WINDOW) ? 15 : params.sendWindowBits(Role.CLIENT),
                        params.sendNoContextTakeover(Role.CLIENT) && !flaws.contains(Flaw.DEFLATE_KEEP_CONTEXT),
                        Deflater.DEFAULT_COMPRESSION);
            }
        }
        try {
            feed(chunk);
            int n;
            while ((n = in.read(buf)) >= 0) {
                feed(ByteBuffer.wrap(buf, 0, n));
            }
        } catch (SocketTimeoutException | SocketException e) {
            // Gave up waiting, or the server reset the connection: it judges what it saw.
        }
    }

    private void feed(ByteBuffer data) throws IOException {
        if (!decoding || !data.hasRemaining()) {
            return;
        }
        try {
            decoder.decode(data);
        } catch (ProtocolException e) {
            decoding = false;
            if (closeSent) {
                return;  // whatever follows our close is ignored
            }
            if (flaws.contains(Flaw.SILENT_ON_VIOLATION)) {
                return;
            }
            if (flaws.contains(Flaw.DROP_ON_VIOLATION)) {
                socket.close();
                return;
            }
            sendClose(flaws.contains(Flaw.ALWAYS_CLOSE_NORMAL) ? CloseCodes.NORMAL : e.closeCode());
        }
    }

    @Override
    public void onMessageStart(int opcode) {
        messageOpcode = opcode;
        message.reset();
    }

    @Override
    public void onMessageData(ByteBuffer chunk) {
        byte[] b = new byte[chunk.remaining()];
        chunk.get(chunk.position(), b);
        message.writeBytes(b);
    }

    @Override
    public void onMessageEnd() {
        int opcode = messageOpcode == Opcodes.TEXT && flaws.contains(Flaw.TEXT_AS_BINARY) ? Opcodes.BINARY : messageOpcode;
        if (deflater == null) {
            send(opcode, message.toByteArray());
            return;
        }
        ByteBuffer z = deflater.deflate(ByteBuffer.wrap(message.toByteArray()), true);
        byte[] compressed = new byte[z.remaining()];
        z.get(compressed);
        if (flaws.contains(Flaw.DEFLATE_CORRUPT)) {
            compressed[0] |= 0x06;  // BTYPE = 11
        }
        send(opcode, 0x4, compressed);
    }

    @Override
    public void onPing(ByteBuffer payload) {
        if (!flaws.contains(Flaw.IGNORE_PINGS)) {
            byte[] b = new byte[payload.remaining()];
            payload.get(payload.position(), b);
            send(Opcodes.PONG, b);
        }
    }

    @Override
    public void onPong(ByteBuffer payload) {
    }

    @Override
    public void onClose(int code, String reason) {
        if (!closeSent && !flaws.contains(Flaw.IGNORE_CLOSE)) {
            sendClose(code);
        }
    }

    private void sendClose(int code) {
        closeSent = true;
        send(Opcodes.CLOSE, (code == CloseCodes.NO_STATUS ? ClosePayload.EMPTY : new ClosePayload(code, "")).toBytes());
    }

    private void send(int opcode, byte[] payload) {
        send(opcode, 0, payload);
    }

    private void send(int opcode, int rsv, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(FrameWriter.headerSize(payload.length, true) + payload.length);
        writer.writeFrame(frame, true, rsv, opcode, ByteBuffer.wrap(payload));
        try {
            out.write(frame.array(), 0, frame.position());
        } catch (IOException e) {
            // The server has gone; it judges what it saw.
        }
    }
}
