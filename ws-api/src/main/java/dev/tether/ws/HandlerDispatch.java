package dev.tether.ws;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The handlers of one {@link WebSocket} and how they are called: one at a time, in event order,
 * on a {@link SerialExecutor} (a virtual thread), never on a transport's thread. A handler may
 * call anything on its WebSocket ({@code send}, {@code close}, {@code connect}, {@code exit}):
 * the engine never waits for a handler from inside another ({@link #inHandler}).
 *
 * <p>Backlog: the reader waits while the {@link Event#MESSAGE} handler is more than
 * {@code maxBacklogBytes} behind ({@link #deliver}), so a slow handler holds the reader, and
 * through TCP the server, instead of its backlog growing in memory.
 */
final class HandlerDispatch {
    private static final System.Logger LOG = System.getLogger(WebSocket.class.getName());

    private final String url;
    private final long maxBacklogBytes;
    private final AtomicReferenceArray<Object> handlers = new AtomicReferenceArray<>(Event.ALL.size());
    private final SerialExecutor executor;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever the MESSAGE handler has finished with a message. */
    private final Condition progress = lock.newCondition();
    /** Guarded by lock: bytes of messages handed to the MESSAGE handler and not handled yet. */
    private long backlog;
    private volatile Throwable lastError;

    HandlerDispatch(String url, long maxBacklogBytes) {
        this.url = url;
        this.maxBacklogBytes = maxBacklogBytes;
        this.executor = new SerialExecutor("tether-events " + url);
    }

    <H> void set(Event<H> event, H handler) {
        handlers.set(event.index, handler);
    }

    boolean has(Event<?> event) {
        return handlers.get(event.index) != null;
    }

    /** True on the thread that runs this WebSocket's handlers. */
    boolean inHandler() {
        return executor.inExecutor();
    }

    /** Runs the handler for {@code event}, if any, after those already queued. */
    <H> void fire(Event<H> event, Consumer<H> call) {
        if (has(event)) {
            executor.execute(() -> invoke(event, call));
        }
    }

    /** OPEN, then {@code after} (also when there is no handler, or it throws). */
    void fireOpen(Runnable after) {
        executor.execute(() -> {
            try {
                invoke(Event.OPEN, Runnable::run);
            } finally {
                after.run();
            }
        });
    }

    /**
     * MESSAGE, on the reading thread: waits first while the handler is too far behind, unless
     * {@code over} says the connection has ended. A message larger than the bound alone still
     * goes through.
     */
    void deliver(Message m, BooleanSupplier over) {
        lock.lock();
        try {
            while (backlog > 0 && backlog + m.size() > maxBacklogBytes && !over.getAsBoolean()) {
                progress.await(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();  // stop waiting; the message is still delivered
        } finally {
            backlog += m.size();
            lock.unlock();
        }
        executor.execute(() -> {
            try {
                invoke(Event.MESSAGE, h -> h.accept(m));
            } finally {
                handled(m.size());
            }
        });
    }

    private void handled(int size) {
        lock.lock();
        try {
            backlog -= size;
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Remembers {@code t} for {@code lastError()} and fires ERROR. */
    void error(Throwable t) {
        lastError = t;
        LOG.log(System.Logger.Level.DEBUG, () -> url + ": " + t, t);
        fire(Event.ERROR, h -> h.accept(t));
    }

    Throwable lastError() {
        return lastError;
    }

    /** Waits, at most {@code nanos}, until the handlers have run for every event fired so far. */
    void awaitHandlers(long nanos) {
        if (inHandler()) {
            return;  // waiting here would wait for ourselves
        }
        CountDownLatch done = new CountDownLatch(1);
        executor.execute(done::countDown);
        try {
            done.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On the handler thread: a throwing handler goes to ERROR, and the connection carries on. */
    @SuppressWarnings("unchecked")
    private <H> void invoke(Event<H> event, Consumer<H> call) {
        H h = (H) handlers.get(event.index);
        if (h == null) {
            return;
        }
        try {
            call.accept(h);
        } catch (RuntimeException | Error e) {
            if (event == Event.ERROR) {
                LOG.log(System.Logger.Level.WARNING, "the ERROR handler of " + url + " threw", e);
                return;
            }
            lastError = e;
            Consumer<Throwable> onError = (Consumer<Throwable>) handlers.get(Event.ERROR.index);
            if (onError == null) {
                LOG.log(System.Logger.Level.WARNING, "the " + event + " handler of " + url + " threw", e);
                return;
            }
            try {
                onError.accept(e);
            } catch (RuntimeException | Error e2) {
                LOG.log(System.Logger.Level.WARNING, "the ERROR handler of " + url + " threw", e2);
            }
        }
    }
}
