package dev.tether.ws.transport.nio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * One selector thread: waits for channels to become connectable, readable or writable, and runs
 * tasks handed to it from other threads. Nothing that runs here may block: listeners never do
 * (they pause reading instead), TLS's slow steps go to virtual threads, and writes only go as far
 * as the socket takes them.
 */
final class EventLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    /**
     * False only while the loop waits in select. Writers look at it: while the loop is awake
     * anyway, a write queued for it goes out with the others in one gathering write instead of
     * costing its writer a system call of its own.
     */
    private volatile boolean awake = true;
    /** Made once: a method reference passed to every select would be an object per wakeup. */
    private final Consumer<SelectionKey> handler = this::handle;

    EventLoop(String name) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the NIO transport", e);
        }
        thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this);
        thread.start();
    }

    Selector selector() {
        return selector;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** True unless the loop is waiting in select (then a write queued for it would wait for a wakeup). */
    boolean awake() {
        return awake;
    }

    /** Runs {@code task} on the loop thread, soon; from the loop itself it runs after the current step. */
    void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop()) {
            selector.wakeup();
        }
    }

    @Override
    public void run() {
        while (true) {
            try {
                awake = false;
                selector.select(handler);
                awake = true;
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    task.run();
                }
            } catch (Throwable e) {
                // One connection's failure must not stop the loop that serves all the others.
                LOG.log(System.Logger.Level.ERROR, "NIO event loop step failed", e);
            }
        }
    }

    private void handle(SelectionKey key) {
        awake = true;  // select calls this once it has waited
        NioConnection connection = (NioConnection) key.attachment();
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isConnectable()) {
                connection.onConnectable();
                return;
            }
            if (key.isWritable()) {
                connection.onWritable();
            }
            if (key.isValid() && key.isReadable()) {
                connection.onReadable();
            }
        } catch (RuntimeException e) {
            connection.fail(new IOException("NIO event handling failed: " + e, e));
        }
    }
}
