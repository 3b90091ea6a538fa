package dev.tether.ws;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs tasks one at a time, in submission order, on a virtual thread started when work arrives.
 * This is how one WebSocket's handlers never overlap and keep wire order, while a handler that
 * blocks stalls only its own connection.
 *
 * <p>When the queue empties, the thread lingers briefly for more work before it ends: in a
 * request/response exchange the next message is usually a round trip away, and waking a parked
 * thread is cheaper than starting one per message. An idle WebSocket holds no thread.
 */
final class SerialExecutor implements Executor {
    /** How long an idle drain thread waits for more work before it ends. */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    /**
     * Guarded by {@code lock}. Small at first (it grows as needed): an idle connection keeps no
     * room for a backlog.
     */
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(4);
    /** Guarded by {@code lock}: a drain thread is running or about to. */
    private boolean draining;
    /** The drain thread while it runs; read to detect re-entrant calls. */
    private volatile Thread drainThread;
    private final String name;

    SerialExecutor(String name) {
        this.name = name;
    }

    @Override
    public void execute(Runnable task) {
        lock.lock();
        try {
            tasks.add(task);
            if (draining) {
                work.signal();
                return;
            }
            draining = true;
        } finally {
            lock.unlock();
        }
        Thread.ofVirtual().name(name).start(this::drain);
    }

    /** True when called from inside one of this executor's tasks. */
    boolean inExecutor() {
        return Thread.currentThread() == drainThread;
    }

    private void drain() {
        // Set here and cleared under the lock together with draining (in nextTask): a new drain
        // thread can only start after that, so an old thread never clears a newer one's mark.
        drainThread = Thread.currentThread();
        Runnable next;
        while ((next = nextTask()) != null) {
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                // Handlers' exceptions are caught where they run; this one escaped the engine.
                // Keep draining: the tasks behind it still have to run.
                System.getLogger(SerialExecutor.class.getName()).log(System.Logger.Level.ERROR, name + " task failed", e);
            }
        }
    }

    /** The next task, waiting up to the linger time for one; null when the thread should end. */
    private Runnable nextTask() {
        lock.lock();
        try {
            long left = LINGER_NANOS;
            while (tasks.isEmpty() && left > 0) {
                left = work.awaitNanos(left);
            }
            return pollOrStop();
        } catch (InterruptedException e) {
            // Not expected (the thread is ours); end it, handing the queue to a fresh thread if needed.
            return pollOrStop();
        } finally {
            lock.unlock();
        }
    }

    /** Holds lock. The next task; or none, and this drain thread is done. */
    private Runnable pollOrStop() {
        Runnable next = tasks.poll();
        if (next == null) {
            draining = false;
            drainThread = null;
        }
        return next;
    }
}
