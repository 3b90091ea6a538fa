package dev.tether.ws.spi;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Name resolution within the connect deadline. {@code InetAddress.getAllByName} has no timeout
 * of its own (the system resolver's retries can take far longer than a caller wants), so it runs
 * on a virtual thread and the caller waits at most the time left. A lookup that overruns keeps
 * running on its own thread until the resolver gives up; its result is dropped.
 */
public final class HostResolver {
    private HostResolver() {
    }

    public static InetAddress[] resolve(String host, Deadline deadline) throws IOException {
        CompletableFuture<InetAddress[]> lookup = new CompletableFuture<>();
        Thread.ofVirtual().name("tether-resolve-" + host).start(() -> {
            try {
                lookup.complete(InetAddress.getAllByName(host));
            } catch (Throwable e) {
                lookup.completeExceptionally(e);
            }
        });
        try {
            long nanos = deadline.remainingNanos();
            if (nanos <= 0) {
                throw deadline.expired("resolving host " + host);
            }
            return lookup.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw deadline.expired("resolving host " + host);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while resolving host " + host);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnknownHostException) {
                // The JDK's message varies by platform and does not always name the host.
                UnknownHostException named = new UnknownHostException("unknown host " + host
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
                named.initCause(cause);
                throw named;
            }
            throw new IOException("resolving host " + host + " failed: " + cause, cause);
        }
    }
}
