package dev.tether.ws.internal;

import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What one connection's handshake showed, for explaining its failure: the chain the server
 * presented and whether it asked for a client certificate. The trust and key managers are
 * shared by every connection of a configuration (so that they share one SSLContext and its
 * session cache); they find the connection's notes by the SSLSocket or SSLEngine the JDK hands
 * them.
 */
final class HandshakeNotes {
    /** Guards {@link #BY_CONNECTION}; held for a map operation only. */
    private static final ReentrantLock LOCK = new ReentrantLock();
    /**
     * The notes of each socket or engine whose handshake may still run, guarded by {@link #LOCK}.
     * Weak keys: a connection given up mid-handshake leaves nothing behind.
     */
    private static final Map<Object, HandshakeNotes> BY_CONNECTION = new WeakHashMap<>();
    /** For a socket or engine we did not make (never expected): notes that nobody reads. */
    private static final HandshakeNotes NOBODY = new HandshakeNotes();

    /** Written by the handshaking thread, read after the handshake ended (the socket or engine orders them). */
    private volatile X509Certificate[] chain;
    private volatile boolean certificateRequested;

    /** Notes for the handshake of {@code socketOrEngine}, found by the managers while it runs. */
    static HandshakeNotes watch(Object socketOrEngine) {
        HandshakeNotes notes = new HandshakeNotes();
        LOCK.lock();
        try {
            BY_CONNECTION.put(socketOrEngine, notes);
        } finally {
            LOCK.unlock();
        }
        return notes;
    }

    /** The handshake of {@code socketOrEngine} is over; its notes stay with their ClientTls. */
    static void forget(Object socketOrEngine) {
        if (socketOrEngine == null) {
            return;
        }
        LOCK.lock();
        try {
            BY_CONNECTION.remove(socketOrEngine);
        } finally {
            LOCK.unlock();
        }
    }

    static HandshakeNotes of(Object socketOrEngine) {
        if (socketOrEngine == null) {
            return NOBODY;
        }
        LOCK.lock();
        try {
            HandshakeNotes notes = BY_CONNECTION.get(socketOrEngine);
            return notes == null ? NOBODY : notes;
        } finally {
            LOCK.unlock();
        }
    }

    void chain(X509Certificate[] chain) {
        if (this != NOBODY) {
            this.chain = chain.clone();
        }
    }

    /** The chain the server presented, leaf first; empty before its Certificate message arrived. */
    X509Certificate[] chain() {
        X509Certificate[] c = chain;
        return c == null ? new X509Certificate[0] : c.clone();
    }

    void certificateRequested() {
        if (this != NOBODY) {
            certificateRequested = true;
        }
    }

    boolean wasCertificateRequested() {
        return certificateRequested;
    }
}
