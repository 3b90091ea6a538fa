package dev.tether.ws.codec.internal;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Computes {@code Sec-WebSocket-Accept} (RFC 6455 section 4.2.2 item 5.4: base64 of the SHA-1 of
 * the key and the GUID) as octets, into arrays it reuses. Looking up a SHA-1 {@link MessageDigest}
 * allocates several times more than hashing 60 bytes does, so one instance is kept spare for the
 * next handshake: {@link #take()} it, use it, {@link #release()} it. A handshake on another
 * thread at the same moment finds the slot empty and makes its own.
 *
 * <p>Not thread-safe: owned by the thread that took it until it releases it.
 */
public final class AcceptDigest {
    private static final byte[] GUID = WebSocketKeys.GUID.getBytes(StandardCharsets.US_ASCII);
    private static final int SHA1_BYTES = 20;
    private static final int ACCEPT_CHARS = 28;
    private static final AtomicReference<AcceptDigest> SPARE = new AtomicReference<>();

    private final MessageDigest sha1;
    private final byte[] digest = new byte[SHA1_BYTES];
    private final byte[] accept = new byte[ACCEPT_CHARS];

    private AcceptDigest() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-1 (MessageDigest's documentation).
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    /** The spare instance, or a new one when another thread holds it. */
    public static AcceptDigest take() {
        AcceptDigest spare = SPARE.getAndSet(null);
        return spare != null ? spare : new AcceptDigest();
    }

    /** Gives the instance back; the caller must not use it, nor an array it returned, again. */
    public void release() {
        SPARE.set(this);
    }

    /**
     * The accept value for a key given as its ASCII octets: 28 base64 characters as octets, in
     * an array valid until the next call or {@link #release()}.
     */
    public byte[] acceptFor(byte[] key) {
        sha1.update(key);
        sha1.update(GUID);
        try {
            sha1.digest(digest, 0, SHA1_BYTES);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-1 digest is not 20 bytes", e);
        }
        Base64.getEncoder().encode(digest, accept);
        return accept;
    }
}
