package dev.tether.ws;

import dev.tether.ws.codec.FrameDecoder;
import dev.tether.ws.codec.FrameWriter;
import dev.tether.ws.codec.Opcodes;
import dev.tether.ws.codec.Role;
import dev.tether.ws.codec.deflate.DeflateOffer;
import dev.tether.ws.codec.deflate.DeflateParams;
import dev.tether.ws.codec.deflate.MessageDeflater;
import dev.tether.ws.codec.deflate.MessageInflater;
import dev.tether.ws.codec.handshake.ExtensionSpec;
import dev.tether.ws.codec.handshake.HandshakeException;
import dev.tether.ws.codec.handshake.HandshakeResult;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * permessage-deflate as a connection uses it: the offer from the builder, what the server
 * agreed to, and the compressor and decompressor that follow from it.
 *
 * @param offer what we ask for in the handshake
 * @param threshold messages smaller than this go uncompressed
 * @param level zlib level for our compressor
 */
record Compression(DeflateOffer offer, int threshold, int level) {
    static final int DEFAULT_THRESHOLD = 64;

    /**
     * The agreed parameters from the server's answer, or null when it declined (no
     * permessage-deflate in its answer: section 7.1 lets it).
     *
     * @throws HandshakeException when it answered more than once or with parameters we did not allow
     */
    DeflateParams negotiate(HandshakeResult result) throws HandshakeException {
        List<ExtensionSpec> answers = result.extensions().stream()
                .filter(e -> e.name().equals(DeflateOffer.EXTENSION)).toList();
        if (answers.isEmpty()) {
            return null;
        }
        if (answers.size() > 1) {
            throw new HandshakeException("the server accepted permessage-deflate " + answers.size()
                    + " times; one offer can be accepted once (RFC 7692 section 5)");
        }
        return DeflateParams.accept(offer, answers.get(0));
    }

    /** A connection's two halves of the extension; each owned by one side's thread. */
    static final class Codec {
        private final MessageDeflater deflater;
        private final MessageInflater inflater;
        private final int threshold;
        /** Guarded by the session's write lock: the message being sent is compressed. */
        private boolean compressing;

        Codec(DeflateParams params, Compression config, long maxMessageSize) {
            this.deflater = new MessageDeflater(params.sendWindowBits(Role.CLIENT),
                    params.sendNoContextTakeover(Role.CLIENT), config.level());
            this.inflater = new MessageInflater(params.receiveNoContextTakeover(Role.CLIENT), maxMessageSize);
            this.threshold = config.threshold();
        }

        /** Lets the codec's reader and writer see RSV1 (RFC 7692 section 6). */
        void install(FrameDecoder decoder, FrameWriter writer) {
            decoder.enableDeflate(inflater);
            writer.allowRsv(0x4);
        }

        /**
         * Whether this frame's payload is compressed: a data message is, from its first frame
         * (unless a whole message under the threshold), and so are all its continuations.
         * Holds the write lock.
         */
        boolean compresses(boolean fin, int opcode, int length) {
            if (opcode == Opcodes.TEXT || opcode == Opcodes.BINARY) {
                compressing = !fin || length >= threshold;
                return compressing;
            }
            return opcode == Opcodes.CONTINUATION && compressing;
        }

        /** Holds the write lock. */
        ByteBuffer deflate(ByteBuffer payload, boolean fin) {
            ByteBuffer out = deflater.deflate(payload, fin);
            if (fin) {
                compressing = false;
            }
            return out;
        }

        /** Under the write lock, when the connection ends. */
        void endDeflater() {
            deflater.end();
        }

        /** On the reader thread, when the connection ends. */
        void endInflater() {
            inflater.end();
        }
    }
}
