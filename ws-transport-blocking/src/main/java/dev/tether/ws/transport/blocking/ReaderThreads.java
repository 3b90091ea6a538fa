package dev.tether.ws.transport.blocking;

import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.concurrent.Semaphore;

/**
 * Which kind of thread reads a connection. A virtual reader that finds no data parks on the JDK's
 * poller, and each message then wakes the poller and a carrier thread before the reader runs;
 * a platform reader blocked in {@code read} is woken by the kernel directly. That hop is most of
 * a small message's round trip (about 0.6 of the NIO transport's with virtual readers, about
 * 1.0 with platform ones, ws-bench NOTES), while a platform thread costs an OS thread and its
 * stack. So by default ({@link Kind#AUTO}) the first connections read on platform threads, up to
 * a limit counted JVM-wide over the readers alive, and the rest on virtual threads: a program
 * with a few connections gets the short path, one with thousands stays cheap.
 */
final class ReaderThreads {
    private static final System.Logger LOG = System.getLogger(ReaderThreads.class.getName());

    /**
     * System property, read when the transport is made: {@code auto} (the default),
     * {@code virtual} or {@code platform}.
     */
    static final String KIND_PROPERTY = "tether.ws.blocking.readerThreads";
    /**
     * System property: how many connections at once read on platform threads under {@code auto},
     * JVM-wide; read once, when the first transport under {@code auto} is made.
     */
    static final String LIMIT_PROPERTY = "tether.ws.blocking.platformReaders";
    static final int DEFAULT_LIMIT = 32;

    enum Kind { AUTO, VIRTUAL, PLATFORM }

    /** The JVM-wide budget of {@code auto}, shared by every transport instance ServiceLoader makes. */
    private static final class Shared {
        static final Semaphore PLATFORM_SLOTS = new Semaphore(limit(System.getProperty(LIMIT_PROPERTY)));
    }

    private final Kind kind;
    /** Under {@link Kind#AUTO}: one permit per platform reader that may still start. */
    private final Semaphore platformSlots;

    ReaderThreads(Kind kind, Semaphore platformSlots) {
        this.kind = kind;
        this.platformSlots = platformSlots;
    }

    /** The policy the system properties name, with the JVM-wide budget. */
    static ReaderThreads fromProperties() {
        Kind kind = kind(System.getProperty(KIND_PROPERTY));
        return new ReaderThreads(kind, kind == Kind.AUTO ? Shared.PLATFORM_SLOTS : null);
    }

    Kind kind() {
        return kind;
    }

    /**
     * Starts {@code body} on a reader thread named {@code name}. Under {@code auto}, a platform
     * thread takes a slot while it lives; with none free, or when the system refuses another OS
     * thread, the reader is virtual.
     */
    void start(String name, Runnable body) {
        if (kind == Kind.PLATFORM) {
            platform(name).start(body);
            return;
        }
        if (kind == Kind.AUTO && platformSlots.tryAcquire()) {
            try {
                platform(name).start(() -> {
                    try {
                        body.run();
                    } finally {
                        platformSlots.release();
                    }
                });
                return;
            } catch (OutOfMemoryError e) {
                // "unable to create native thread": the process is at its thread limit, which a
                // virtual reader does not add to.
                platformSlots.release();
                LOG.log(Level.WARNING, "no platform thread for {0} ({1}); reading on a virtual thread", name, e.toString());
            }
        }
        Thread.ofVirtual().name(name).start(body);
    }

    private static Thread.Builder platform(String name) {
        return Thread.ofPlatform().daemon().name(name);  // a reader never keeps the JVM alive
    }

    static Kind kind(String value) {
        if (value == null) {
            return Kind.AUTO;
        }
        try {
            return Kind.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "{0}={1} is not one of auto, virtual, platform: using auto", KIND_PROPERTY, value);
            return Kind.AUTO;
        }
    }

    static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // logged below
        }
        LOG.log(Level.WARNING, "{0}={1} is not a count of threads: using {2}", LIMIT_PROPERTY, value, DEFAULT_LIMIT);
        return DEFAULT_LIMIT;
    }
}
