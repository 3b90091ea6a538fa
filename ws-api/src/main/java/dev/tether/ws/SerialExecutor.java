package dev.tether.ws;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs tasks one at a time, in submission order, on a virtual thread started when work arrives.
 * This is how one WebSocket's handlers never overlap and keep wire order, while a handler that
 * blocks stalls only its own connection.
 *
 * <p>When the queue empties, the thread may linger briefly for more work before it ends: in a
 * request/response exchange the next message is usually a round trip away, and waking a parked
 * thread is cheaper than starting one per message. It waits with no timeout of its own, and
 * {@link LingerSweeper} ends it after 5 to 10 ms idle. An idle WebSocket holds no thread.
 *
 * <p>A thread lingers only when the work it was started for came within a sweep period of the
 * executor's last idle moment: tasks that come close together. Where they come further apart
 * (a server pushing each of many connections a message every 50 ms), a linger would never be
 * met, and would only cost: the parked thread's stack copied into a new heap chunk, and a
 * registration with the sweeper, for every message: over a third of what queued handlers
 * allocated there (1,000 connections, 20 messages/s each, 2026-12-04), and an eighth of their CPU.
 *
 * <p>A caller may also run a task on its own thread while nothing else runs or waits
 * ({@link #runIfIdle}): inline handlers, with the same one-at-a-time order.
 */
final class SerialExecutor implements Executor {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    /**
     * Guarded by {@code lock}. Made when a task is queued and dropped when the drain thread ends:
     * an idle connection keeps no room for a backlog.
     */
    private ArrayDeque<Runnable> tasks;
    /** Guarded by {@code lock}: a drain thread is running or lingering, or about to start. */
    private boolean draining;
    /** Guarded by {@code lock}: a task runs, on the drain thread or inline ({@link #runIfIdle}). */
    private boolean busy;
    /**
     * Guarded by {@code lock}: the drain thread's wait for work, as sweeps see it: {@link
     * #RUNNING}, {@link #WAITING}, {@link #WAITING_SEEN}, {@link #RELEASED}. A byte, not an enum:
     * every WebSocket has an executor, and this keeps it at the size it had before the sweeps.
     */
    private byte waitState;
    /** The drain thread runs a task (or there is none). */
    private static final byte RUNNING = 0;
    /** It waits for work. */
    private static final byte WAITING = 1;
    /** A sweep found it waiting, and it has waited since. */
    private static final byte WAITING_SEEN = 2;
    /** A second sweep found it still waiting: it ends unless work came meanwhile. */
    private static final byte RELEASED = 3;
    /** A tick is 2^20 ns, about 1.05 ms: an int of them wraps after 52 days, and gaps are differences. */
    private static final int TICK_SHIFT = 20;
    /**
     * Work that comes within this many ticks of the last idle moment would have found a thread
     * lingering: a sweep period, rounded up (5 ticks, 5.2 ms).
     */
    private static final int LINGER_GAP_TICKS = (int) ((LingerSweeper.PERIOD_NANOS + (1 << TICK_SHIFT) - 1) >> TICK_SHIFT);
    /**
     * Guarded by {@code lock}: when a drain thread last found nothing to do (or the executor was
     * made: the first thread does not linger), in ticks; whether the next drain thread lingers
     * depends on how long ago that was. An int rather than a long: every WebSocket has an
     * executor.
     */
    private int idleSince = tick() - 2 * LINGER_GAP_TICKS;
    /** The drain thread while it runs; read to detect re-entrant calls. */
    private volatile Thread drainThread;
    /** The thread running a task inline, while it does. */
    private volatile Thread inlineThread;
    private final String name;

    SerialExecutor(String name) {
        this.name = name;
    }

    @Override
    public void execute(Runnable task) {
        boolean linger;
        lock.lock();
        try {
            if (tasks == null) {
                tasks = new ArrayDeque<>(4);
            }
            tasks.add(task);
            if (draining) {
                work.signal();
                return;
            }
            if (busy) {
                return;  // a task runs inline: its caller hands the queue to a drain thread after it
            }
            draining = true;
            linger = lingerNext();
        } finally {
            lock.unlock();
        }
        startDrain(linger);
    }

    /** Holds lock: whether a drain thread starting now should linger once its work is done. */
    private boolean lingerNext() {
        return tick() - idleSince <= LINGER_GAP_TICKS;
    }

    private static int tick() {
        return (int) (System.nanoTime() >>> TICK_SHIFT);
    }

    private void startDrain(boolean linger) {
        Thread.ofVirtual().name(name).start(() -> drain(linger));
    }

    /**
     * Runs {@code task} on the calling thread when no task runs or waits (a lingering drain
     * thread is idle, and waits meanwhile), with {@link #inExecutor} true during it; what was
     * queued meanwhile then goes to a drain thread. Returns false, having run nothing, when the
     * executor is busy: the caller queues the task instead, behind what runs, and order holds.
     */
    boolean runIfIdle(Runnable task) {
        if (!enterIfIdle()) {
            return false;
        }
        try {
            task.run();
        } finally {
            exitInline();
        }
        return true;
    }

    /**
     * {@link #runIfIdle} in two steps, for a caller that runs its task itself (a message
     * delivered inline, with no task object made per message): true when the calling thread
     * may run now, and must then call {@link #exitInline} once done, in a finally block.
     */
    boolean enterIfIdle() {
        lock.lock();
        try {
            if (busy || hasTasks()) {
                return false;
            }
            busy = true;
            inlineThread = Thread.currentThread();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Ends what {@link #enterIfIdle} began: what was queued meanwhile goes to a drain thread. */
    void exitInline() {
        boolean startDrain = false;
        boolean linger = false;
        lock.lock();
        try {
            busy = false;
            inlineThread = null;
            if (hasTasks()) {
                if (draining) {
                    work.signal();
                } else {
                    draining = true;
                    startDrain = true;
                    linger = lingerNext();
                }
            }
        } finally {
            lock.unlock();
        }
        if (startDrain) {
            startDrain(linger);
        }
    }

    /** Holds lock. */
    private boolean hasTasks() {
        return tasks != null && !tasks.isEmpty();
    }

    /** True when called from inside one of this executor's tasks. */
    boolean inExecutor() {
        Thread current = Thread.currentThread();
        return current == drainThread || current == inlineThread;
    }

    private void drain(boolean linger) {
        // Set here and cleared under the lock together with draining (in nextTask): a new drain
        // thread can only start after that, so an old thread never clears a newer one's mark.
        drainThread = Thread.currentThread();
        if (linger) {
            LingerSweeper.enter(this);  // it waits before it ends; leaves in takeOrStop
        }
        Runnable next = nextTask(false, linger);
        while (next != null) {
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                // Handlers' exceptions are caught where they run; this one escaped the engine.
                // Keep draining: the tasks behind it still have to run.
                System.getLogger(SerialExecutor.class.getName()).log(System.Logger.Level.ERROR, name + " task failed", e);
            }
            next = nextTask(true, linger);
        }
    }

    /**
     * The next task; when there is none (or a task runs inline), a lingering thread waits for one
     * until the sweeper ends the wait. Null when the thread should end.
     *
     * @param ranOne this thread just finished a task: it is no longer busy
     */
    private Runnable nextTask(boolean ranOne, boolean linger) {
        lock.lock();
        try {
            if (ranOne) {
                busy = false;
            }
            if (!hasTasks() || busy) {
                idleSince = tick();
                if (linger) {
                    waitState = WAITING;
                    while ((!hasTasks() || busy) && waitState != RELEASED) {
                        work.await();
                    }
                }
            }
            return takeOrStop(linger);
        } catch (InterruptedException e) {
            // Not expected (the thread is ours); end it, handing the queue to a fresh thread if needed.
            return takeOrStop(linger);
        } finally {
            waitState = RUNNING;
            lock.unlock();
        }
    }

    /**
     * From the sweeper, once per sweep: a drain thread found waiting by two sweeps in a row, with
     * no task between them, has lingered at least a sweep period and ends.
     */
    void sweep() {
        lock.lock();
        try {
            if (waitState == WAITING) {
                waitState = WAITING_SEEN;
            } else if (waitState == WAITING_SEEN) {
                waitState = RELEASED;
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Holds lock. The next task; or none, and this drain thread is done. While a task runs
     * inline, the thread ends too: the inline caller starts a new one for what is queued.
     */
    private Runnable takeOrStop(boolean linger) {
        if (busy || !hasTasks()) {
            draining = false;
            drainThread = null;
            if (!hasTasks()) {
                tasks = null;
            }
            if (linger) {
                LingerSweeper.leave(this);
            }
            return null;
        }
        busy = true;
        return tasks.poll();
    }
}
