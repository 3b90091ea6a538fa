package dev.tether.ws.codec;

/**
 * Size limits on what a peer may send. Past either one the decoder reports 1009 (RFC 6455
 * section 7.4.1, "message too big") before any byte of the offending frame is delivered.
 *
 * @param maxFrameSize largest payload of a single frame, in bytes
 * @param maxMessageSize largest total payload of a (possibly fragmented) data message
 */
public record DecoderLimits(long maxFrameSize, long maxMessageSize) {

    /** 64 MiB per frame and per message. */
    public static final DecoderLimits DEFAULT = new DecoderLimits(64L << 20, 64L << 20);

    public DecoderLimits {
        if (maxFrameSize < 125 || maxMessageSize < 125) {
            throw new IllegalArgumentException("limits must allow at least 125 bytes (a full "
                    + "control frame): frame " + maxFrameSize + ", message " + maxMessageSize);
        }
    }
}
