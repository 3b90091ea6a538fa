package dev.tether.ws.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tether.ws.codec.deflate.DeflateOffer;
import dev.tether.ws.codec.deflate.DeflateParams;
import dev.tether.ws.codec.handshake.ClientHandshake;
import dev.tether.ws.codec.handshake.ExtensionSpec;
import dev.tether.ws.codec.handshake.HandshakeException;
import dev.tether.ws.codec.handshake.HandshakeResult;
import dev.tether.ws.codec.handshake.HttpHeadParser;
import dev.tether.ws.codec.handshake.HttpResponseHead;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server's answer to our upgrade request, as a client reads it: {@link HttpHeadParser},
 * then {@link ClientHandshake#validate}, then the permessage-deflate negotiation ws-api does
 * (one answer at most, {@link DeflateParams#accept}). Whatever the bytes, the outcome is a
 * result or a {@link HandshakeException}, the same whether the bytes came whole or one piece at a
 * time, and every {@code Sec-WebSocket-Extensions}-shaped value that parses prints back to the
 * same extensions. Time is bounded by Jazzer's per-input timeout.
 *
 * <p>Input: {@code options}, {@code piece size} (0: the bytes in one piece), then the response.
 * Options: bit 0 offer permessage-deflate, bits 1-2 which offer, bit 3 offer the subprotocols
 * {@code chat} and {@code superchat}, bit 4 a 256-byte head limit instead of 16 KiB. The key is
 * RFC 6455 section 1.3's, so the accept value to send is {@code s3pPLMBiTxaQ9kYGzzhZRbK+xOo=}.
 */
class HandshakeFuzzTest {
    private static final DeflateOffer[] OFFERS = {
        DeflateOffer.DEFAULT,
        new DeflateOffer(10, 12, true, true),
        new DeflateOffer(-1, -1, false, false),
        new DeflateOffer(15, -1, false, true),
    };

    /** By offer (none, then {@link #OFFERS}) and subprotocols (none, chat and superchat); immutable. */
    private static final ClientHandshake[][] HANDSHAKES = new ClientHandshake[OFFERS.length + 1][2];

    static {
        SecureRandom nonce = new RfcNonce();
        for (int o = 0; o <= OFFERS.length; o++) {
            for (int p = 0; p < 2; p++) {
                ClientHandshake.Builder builder = ClientHandshake.builder("example.com", 80, false).random(nonce);
                if (o > 0) {
                    builder.extensions(List.of(OFFERS[o - 1].toHeaderValue()));
                }
                if (p > 0) {
                    builder.subprotocols(List.of("chat", "superchat"));
                }
                HANDSHAKES[o][p] = builder.build();
            }
        }
    }

    @FuzzTest
    void response(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        int options = in.u8();
        int pieceSize = in.u8();
        byte[] response = in.rest();
        DeflateOffer offer = (options & 1) != 0 ? OFFERS[options >>> 1 & 3] : null;
        int maxHead = (options & 16) != 0 ? 256 : HttpHeadParser.DEFAULT_MAX_HEAD_BYTES;

        ClientHandshake handshake = HANDSHAKES[(options & 1) != 0 ? 1 + (options >>> 1 & 3) : 0][options >>> 3 & 1];

        String whole = outcome(handshake, offer, maxHead, List.of(ByteBuffer.wrap(response)));
        if (pieceSize > 0) {
            String pieces = outcome(handshake, offer, maxHead,
                    FuzzInput.split(response, new int[] {pieceSize}, FuzzInput.Shape.HEAP_SLICE));
            if (!whole.equals(pieces)) {
                throw new AssertionError("the outcome depends on how the response was split\n  whole:  "
                        + whole + "\n  pieces: " + pieces);
            }
        }
    }

    /** "need more", "ok ..." or "refused ..." for the response fed in these pieces. */
    private static String outcome(ClientHandshake handshake, DeflateOffer offer, int maxHead, List<ByteBuffer> pieces) {
        HttpHeadParser<HttpResponseHead> parser = HttpHeadParser.forResponses(maxHead);
        try {
            Optional<HttpResponseHead> head = Optional.empty();
            int consumed = 0;
            for (ByteBuffer piece : pieces) {
                int before = piece.position();
                head = parser.parse(piece);
                consumed += piece.position() - before;
                if (head.isPresent()) {
                    break;
                }
            }
            if (head.isEmpty()) {
                return "need more after " + consumed;
            }
            head.get().headers().forEach((name, value) -> checkExtensionSyntax(value));
            HandshakeResult result = handshake.validate(head.get());
            DeflateParams params = negotiate(offer, result);
            return "ok after " + consumed + ": " + result.subprotocol() + " " + result.extensions() + " " + params;
        } catch (HandshakeException e) {
            return "refused: " + e.getMessage() + " (" + e.statusCode() + ")";
        }
    }

    /** ws-api's Compression.negotiate: at most one permessage-deflate answer, then its parameters. */
    private static DeflateParams negotiate(DeflateOffer offer, HandshakeResult result) throws HandshakeException {
        List<ExtensionSpec> answers = new ArrayList<>();
        for (ExtensionSpec e : result.extensions()) {
            if (e.name().equals(DeflateOffer.EXTENSION)) {
                answers.add(e);
            }
        }
        if (offer == null || answers.isEmpty()) {
            return null;
        }
        if (answers.size() > 1) {
            throw new HandshakeException("permessage-deflate accepted " + answers.size() + " times");
        }
        return DeflateParams.accept(offer, answers.get(0));
    }

    /**
     * The extension header grammar on any field value: a list, or IllegalArgumentException; a
     * list prints to a value that parses to the same list.
     */
    private static void checkExtensionSyntax(String value) {
        List<ExtensionSpec> parsed;
        try {
            parsed = ExtensionSpec.parseHeader(value);
        } catch (IllegalArgumentException e) {
            return;
        }
        String printed = ExtensionSpec.toHeaderValue(parsed);
        List<ExtensionSpec> again = ExtensionSpec.parseHeader(printed);
        if (!again.equals(parsed)) {
            throw new AssertionError("\"" + value + "\" parses to " + parsed + ", which prints as \""
                    + printed + "\" and parses back to " + again);
        }
    }

    /** Always the RFC 6455 section 1.3 nonce, "the sample nonce". */
    private static final class RfcNonce extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private static final byte[] NONCE = "the sample nonce".getBytes(StandardCharsets.US_ASCII);

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(NONCE, 0, bytes, 0, bytes.length);
        }
    }
}
