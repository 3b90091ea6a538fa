package dev.tether.ws.codec.deflate;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * zlib streams shared between connections that negotiated no context takeover. Such a stream is
 * reset after every message, so it need not stay with one connection between messages: a JDK
 * {@link Deflater} holds about 256 KiB of native memory and an {@link Inflater} about 40 KiB, and
 * lent per message a few serve thousands of mostly idle connections. At most {@value #MAX_IDLE}
 * idle streams are kept per kind; the rest are ended at once.
 */
final class ZlibPool {
    private static final int MAX_IDLE = 16;

    /** Idle deflaters by compression level; each is reset and has the default strategy. */
    private static final ConcurrentHashMap<Integer, ConcurrentLinkedQueue<Deflater>> DEFLATERS = new ConcurrentHashMap<>();
    private static final ConcurrentLinkedQueue<Inflater> INFLATERS = new ConcurrentLinkedQueue<>();

    private ZlibPool() {
    }

    static Deflater takeDeflater(int level) {
        Deflater d = DEFLATERS.computeIfAbsent(level, k -> new ConcurrentLinkedQueue<>()).poll();
        return d != null ? d : new Deflater(level, true);
    }

    /** Takes back a deflater that was reset; ends it if enough are idle. */
    static void giveDeflater(int level, Deflater d) {
        d.setStrategy(Deflater.DEFAULT_STRATEGY);
        ConcurrentLinkedQueue<Deflater> idle = DEFLATERS.computeIfAbsent(level, k -> new ConcurrentLinkedQueue<>());
        if (idle.size() < MAX_IDLE) {
            idle.add(d);
        } else {
            d.end();
        }
    }

    static Inflater takeInflater() {
        Inflater i = INFLATERS.poll();
        return i != null ? i : new Inflater(true);
    }

    /** Takes back an inflater that was reset; ends it if enough are idle. */
    static void giveInflater(Inflater i) {
        if (INFLATERS.size() < MAX_IDLE) {
            INFLATERS.add(i);
        } else {
            i.end();
        }
    }
}
