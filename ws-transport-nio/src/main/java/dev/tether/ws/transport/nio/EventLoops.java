package dev.tether.ws.transport.nio;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event loops shared by every NIO connection in the JVM: one per available processor by
 * default, each serving thousands of connections; set with {@code -Dtether.ws.nio.loops=N}.
 * Started on first use.
 */
final class EventLoops {
    /** The system property that sets how many selector threads serve connections. */
    static final String PROPERTY = "tether.ws.nio.loops";

    private static final class Holder {
        static final EventLoop[] LOOPS = start();
    }

    private static final AtomicInteger NEXT = new AtomicInteger();

    private EventLoops() {
    }

    private static EventLoop[] start() {
        // The loops decode what they read (the engine never blocks them), so one per core keeps
        // every core busy under many connections, as Netty's default does (two per core).
        int n = Integer.getInteger(PROPERTY, Runtime.getRuntime().availableProcessors());
        if (n < 1) {
            throw new IllegalStateException(PROPERTY + " must be at least 1, not " + n);
        }
        EventLoop[] loops = new EventLoop[n];
        for (int i = 0; i < n; i++) {
            loops[i] = new EventLoop("tether-nio-loop-" + i);
        }
        return loops;
    }

    /** The loop for a new connection, round robin. */
    static EventLoop next() {
        EventLoop[] loops = Holder.LOOPS;
        return loops[Math.floorMod(NEXT.getAndIncrement(), loops.length)];
    }

    static int count() {
        return Holder.LOOPS.length;
    }
}
