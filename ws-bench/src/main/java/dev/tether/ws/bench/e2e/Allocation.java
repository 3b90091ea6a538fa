package dev.tether.ws.bench.e2e;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;

/**
 * What this JVM has allocated on its heap, for the end-to-end allocation row: HotSpot's
 * per-thread allocation counters (exact up to the current TLAB's use), summed over every thread.
 */
final class Allocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /**
     * {@code getTotalThreadAllocatedMemory()}, or null: javac's {@code --release 21} view of
     * jdk.management does not have it, though the JDKs this runs on do; it counts threads that
     * have ended too (a stack's short-lived workers).
     */
    private static final MethodHandle TOTAL = totalHandle();

    private Allocation() {
    }

    private static MethodHandle totalHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(com.sun.management.ThreadMXBean.class,
                    "getTotalThreadAllocatedMemory", MethodType.methodType(long.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /**
     * Bytes allocated by all threads since the JVM started; where the JVM cannot say (no method,
     * or -1: unsupported), the sum over the threads alive now.
     */
    static long total() {
        if (TOTAL != null) {
            try {
                long total = (long) TOTAL.invokeExact(THREADS);
                if (total >= 0) {
                    return total;
                }
            } catch (Throwable e) {
                throw new IllegalStateException("getTotalThreadAllocatedMemory failed", e);
            }
        }
        long sum = 0;
        for (long bytes : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
            sum += Math.max(0, bytes);
        }
        return sum;
    }
}
