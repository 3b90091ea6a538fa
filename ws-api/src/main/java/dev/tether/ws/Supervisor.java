package dev.tether.ws;

import dev.tether.ws.codec.CloseCodes;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * What the seed's {@code start} runs for one {@link WebSocket}: connect, hand messages to
 * {@code proc}, and after any end wait and connect again, until {@code exit()} or an interrupt.
 *
 * <p>Exit is a flag set before {@code exit()} closes the connection it finds; a connect started
 * after that finds the flag ({@link WebSocket#connect(Duration, Duration, java.util.function.BooleanSupplier)}
 * checks it once its session is in place). So an exit is never lost: not while connecting, not
 * between two attempts, not before the task's thread has begun ({@link #claim} clears the flag
 * in the caller's thread, before {@code startAsync} returns).
 */
final class Supervisor {
    private final WebSocket ws;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition exitSignal = lock.newCondition();
    /** Guarded by lock. */
    private boolean exitRequested;
    /** Guarded by lock: the thread running {@code start}, or null. */
    private Thread running;

    Supervisor(WebSocket ws) {
        this.ws = ws;
    }

    /** The seed's {@code reconnTime}: null for the default; zero or less is refused. */
    static Duration reconnectTime(Duration reconnTime) {
        if (reconnTime == null) {
            return Config.RECONNECT_TIME;
        }
        if (reconnTime.isZero() || reconnTime.isNegative()) {
            throw new IllegalArgumentException("reconnTime must be positive: " + reconnTime
                    + " (reconnecting at once after every failure would hammer the server)");
        }
        return reconnTime;
    }

    /** Registers {@code thread} as the one running {@code start}, and forgets an earlier exit. */
    void claim(Thread thread) {
        lock.lock();
        try {
            if (running != null) {
                throw new IllegalStateException("start() is already running on " + running);
            }
            running = thread;
            exitRequested = false;
        } finally {
            lock.unlock();
        }
    }

    /** True while {@code start} runs and no exit was asked for: sends may wait in the outbox. */
    boolean active() {
        lock.lock();
        try {
            return running != null && !exitRequested;
        } finally {
            lock.unlock();
        }
    }

    void requestExit() {
        lock.lock();
        try {
            exitRequested = true;
            exitSignal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The loop, on the claimed thread; releases the claim when it ends. */
    void run(Duration keepAlive, Consumer<Message> proc, Duration reconnTime) {
        Config config = ws.config();
        Duration ping = keepAlive != null ? keepAlive : config.pingInterval();
        ws.inbox().consumerSeen();
        try {
            int failures = 0;
            while (!exiting()) {
                if (ws.connect(config.connectTimeout(), ping, this::exiting)) {
                    failures = 0;
                    ws.drainOutbox();  // what waited while offline goes out first
                    pump(proc);
                } else {
                    failures++;
                }
                if (exiting()) {
                    break;
                }
                long delay = config.backoff().delayNanos(reconnTime, failures);
                ReconnectEvent.emit(config.url().text(), failures, delay);
                if (!waitBeforeReconnect(delay)) {
                    break;
                }
            }
        } finally {
            lock.lock();
            try {
                running = null;
            } finally {
                lock.unlock();
            }
            ws.discardOutbox();  // no connection will come for what is still queued
            if (ws.state() == State.OPEN || ws.state() == State.CONNECTING) {
                // Interrupted: close cleanly, with the interrupt flag kept for the caller.
                boolean interrupted = Thread.interrupted();
                ws.close(CloseCodes.GOING_AWAY, "interrupted");
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Hands messages to {@code proc} until the connection ends, exit, or an interrupt. */
    private void pump(Consumer<Message> proc) {
        while (!exiting()) {
            Received r;
            try {
                r = ws.inbox().take(-1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!r.ok()) {
                return;
            }
            if (proc != null) {
                try {
                    proc.accept(r.data());
                } catch (RuntimeException e) {
                    ws.error(e);
                }
            }
        }
    }

    private boolean exiting() {
        lock.lock();
        try {
            return exitRequested || Thread.currentThread().isInterrupted();
        } finally {
            lock.unlock();
        }
    }

    /** Sleeps before the next attempt; false when exit or an interrupt cut it short. */
    private boolean waitBeforeReconnect(long nanos) {
        lock.lock();
        try {
            long left = nanos;
            while (!exitRequested && left > 0) {
                left = exitSignal.awaitNanos(left);
            }
            return !exitRequested;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }
}
