package dev.tether.ws;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * The handlers of one {@link WebSocket} and how they are called: one at a time, in event order,
 * on a {@link SerialExecutor} (a virtual thread), never on a transport's thread. A handler may
 * call anything on its WebSocket ({@code send}, {@code close}, {@code connect}, {@code exit}):
 * the engine never waits for a handler from inside another ({@link #inHandler}).
 *
 * <p>With {@code inline} ({@link WebSocket.Builder#inlineHandlers}), a MESSAGE is handled on the
 * reading thread itself whenever no other handler runs or waits ({@link SerialExecutor#runIfIdle}),
 * and a lent message is valid only during that call.
 *
 * <p>Backlog: the connection stops reading while the {@link Event#MESSAGE} handler is
 * {@code maxBacklogBytes} behind ({@link #behind}, {@link ReadGate}), so a slow handler holds
 * the reader, and through TCP the server, instead of its backlog growing in memory.
 */
final class HandlerDispatch {
    private static final System.Logger LOG = System.getLogger(WebSocket.class.getName());
    private static final java.lang.invoke.VarHandle BACKLOG;

    static {
        try {
            BACKLOG = java.lang.invoke.MethodHandles.lookup().findVarHandle(HandlerDispatch.class, "backlog", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** Set on a reading thread while it runs a handler inline: it must not wait for the network. */
    private static final ThreadLocal<Boolean> READER_IN_HANDLER = new ThreadLocal<>();

    private final String url;
    private final long maxBacklogBytes;
    private final Runnable relief;
    private final boolean inline;
    private final AtomicReferenceArray<Object> handlers = new AtomicReferenceArray<>(Event.ALL.size());
    private final SerialExecutor executor;
    /**
     * Bytes of messages handed to the MESSAGE handler and not handled yet; updated atomically
     * through {@link #BACKLOG} (a field, not an AtomicLong or a lock: ten thousand idle
     * connections each keep one).
     */
    private volatile long backlog;
    private volatile Throwable lastError;

    /** @param relief called after each handled message, to let a paused reader go on */
    HandlerDispatch(String url, long maxBacklogBytes, boolean inline, Runnable relief) {
        this.url = url;
        this.inline = inline;
        this.maxBacklogBytes = maxBacklogBytes;
        this.relief = relief;
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

    /** True where a handler runs inline on a reading thread (of any WebSocket): nothing may wait. */
    static boolean onReaderInHandler() {
        return READER_IN_HANDLER.get() != null;
    }

    /** Throws when {@code what} would wait for the network on a reading thread (inline handlers). */
    static void refuseOnReader(String what) {
        if (onReaderInHandler()) {
            throw new IllegalStateException(what + " waits for the network and may not be called from a handler"
                    + " running on the thread that reads (inlineHandlers): call it from another thread");
        }
    }

    /** True when MESSAGE handlers run inline and lend messages: the reader may hand out views. */
    boolean lends() {
        return inline && has(Event.MESSAGE);
    }

    /** Runs the handler for {@code event}, if any, after those already queued. */
    <H> void fire(Event<H> event, Consumer<H> call) {
        if (has(event)) {
            executor.execute(() -> invoke(event, call));
        }
    }

    /** OPEN, then {@code after} (also when there is no handler, or it throws). */
    void fireOpen(Runnable after) {
        if (!has(Event.OPEN) && executor.runIfIdle(after)) {
            return;  // nothing to run: no thread to start (opening many connections pays for each)
        }
        executor.execute(() -> {
            try {
                invoke(Event.OPEN, Runnable::run);
            } finally {
                after.run();
            }
        });
    }

    /**
     * MESSAGE, from the reading thread; never waits (the reader may be an event loop). While the
     * handler is more than the bound behind, {@link #behind} says so and the reader pauses
     * ({@link ReadGate}).
     */
    void deliver(Message m) {
        if (inline && executor.enterIfIdle()) {
            // No task object: this runs for every message, and a lambda capturing m would be one.
            try {
                invokeOnReader(m);
            } finally {
                executor.exitInline();
            }
            m.endLoan();
            return;
        }
        // Queued behind a running handler: a lent message must now outlive the read buffer.
        Message queued = m.owned();
        m.endLoan();
        enqueue(queued);
    }

    private void invokeOnReader(Message m) {
        READER_IN_HANDLER.set(Boolean.TRUE);
        try {
            invokeMessage(m);
        } finally {
            // Not remove(): the thread's entry stays, so the next message sets it without a new one.
            READER_IN_HANDLER.set(null);
        }
    }

    private void enqueue(Message m) {
        BACKLOG.getAndAdd(this, (long) m.size());
        executor.execute(() -> {
            try {
                invoke(Event.MESSAGE, h -> h.accept(m));
            } finally {
                handled(m.size());
            }
        });
    }

    /**
     * STREAM, from the reading thread as a message starts; never waits. The stream is closed
     * when the handler returns (what it left unread is discarded), or at once when there is no
     * handler by the time it would run, so the reader never pauses for a stream nobody reads.
     */
    void deliver(MessageStream stream) {
        executor.execute(() -> {
            try (stream) {
                invoke(Event.STREAM, h -> {
                    try {
                        h.onStream(stream);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
        });
    }

    /** Bytes of messages delivered to the MESSAGE handler and not yet handled. */
    long backlogBytes() {
        return backlog;
    }

    /** True while the MESSAGE handler is at least the bound behind. */
    boolean behind() {
        long b = backlog;
        return b > 0 && b >= maxBacklogBytes;
    }

    private void handled(int size) {
        BACKLOG.getAndAdd(this, (long) -size);
        relief.run();
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
        if (inHandler() || onReaderInHandler()) {
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

    /** {@link #invoke} for MESSAGE without a lambda capturing the message (one per message). */
    @SuppressWarnings("unchecked")
    private void invokeMessage(Message m) {
        Consumer<Message> h = (Consumer<Message>) handlers.get(Event.MESSAGE.index);
        if (h == null) {
            return;
        }
        try {
            h.accept(m);
        } catch (RuntimeException | Error e) {
            handlerThrew(Event.MESSAGE, e);
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
            handlerThrew(event, e);
        }
    }

    /** A handler threw: remembered, and given to ERROR (or logged when there is none, or ERROR threw). */
    @SuppressWarnings("unchecked")
    private void handlerThrew(Event<?> event, Throwable e) {
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
