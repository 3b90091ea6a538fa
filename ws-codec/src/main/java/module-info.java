/**
 * RFC 6455 (and, later, RFC 7692) over {@link java.nio.ByteBuffer}s: frame parsing and writing,
 * masking, UTF-8 validation, close-frame rules and the opening handshake, for both roles.
 * No I/O, no threads, no dependencies beyond {@code java.base}.
 */
module dev.tether.ws.codec {
    // Optional: UTF-8 validation uses the Vector API only when the application resolves it
    // (--add-modules jdk.incubator.vector); nothing is required at run time.
    requires static jdk.incubator.vector;

    exports dev.tether.ws.codec;
    exports dev.tether.ws.codec.handshake;
    exports dev.tether.ws.codec.deflate;
}
