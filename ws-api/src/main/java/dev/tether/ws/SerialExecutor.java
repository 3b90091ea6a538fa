package dev.tether.ws;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs tasks one at a time, in submission order, on a virtual thread started when work arrives
 * and ended when the queue is empty. This is how one WebSocket's handlers never overlap and keep
 * wire order, while a handler that blocks stalls only its own connection.
 */
final class SerialExecutor implements Executor {
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}. */
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
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
        drainThread = Thread.currentThread();
        try {
            while (true) {
                Runnable next;
                lock.lock();
                try {
                    next = tasks.poll();
                    if (next == null) {
                        draining = false;
                        return;
                    }
                } finally {
                    lock.unlock();
                }
                next.run();
            }
        } finally {
            drainThread = null;
        }
    }
}
