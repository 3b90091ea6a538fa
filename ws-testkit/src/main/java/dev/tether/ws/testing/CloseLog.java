package dev.tether.ws.testing;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What an {@link EchoServer}'s endpoints saw end: close frames and errors, filled by the
 * server's own threads and read by test threads.
 */
final class CloseLog {
    private final String server;
    final BlockingQueue<EchoServer.CloseSeen> closes = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();

    CloseLog(String server) {
        this.server = server;
    }

    void close(String resource, int code, String reason) {
        closes.add(new EchoServer.CloseSeen(resource, code, reason == null ? "" : reason));
    }

    void error(Throwable t) {
        errors.add(t);
    }

    EchoServer.CloseSeen awaitClose(String resource, Duration wait) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            EchoServer.CloseSeen c = closes.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (c == null) {
                throw new AssertionError(server + " saw no close on " + resource + " within " + wait
                        + "; errors: " + errors);
            }
            if (c.resource().equals(resource)) {
                return c;
            }
        }
    }
}
