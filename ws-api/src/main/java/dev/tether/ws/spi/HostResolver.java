package dev.tether.ws.spi;

import dev.tether.ws.internal.IpLiteral;
import dev.tether.ws.Resolver;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Name resolution within the connect deadline. A resolver has no timeout of its own (the system
 * resolver's retries can take far longer than a caller wants), so it runs on a virtual thread and
 * the caller waits at most the time left, or until the connect is called off. A lookup that
 * overruns keeps running on its own thread until the resolver gives up; its result is dropped.
 * IP literals are not looked up.
 */
public final class HostResolver {
    private HostResolver() {
    }

    public static List<InetAddress> resolve(String host, Resolver resolver, Deadline deadline, ConnectAbort abort)
            throws IOException {
        if (IpLiteral.is(host)) {
            return List.of(InetAddress.getByName(host));  // parsed, never sent to a resolver
        }
        CompletableFuture<List<InetAddress>> lookup = new CompletableFuture<>();
        Thread.ofVirtual().name("tether-resolve-" + host).start(() -> {
            try {
                List<InetAddress> found = resolver.resolve(host);
                if (found == null || found.isEmpty()) {
                    throw new UnknownHostException("the resolver returned no addresses");
                }
                lookup.complete(List.copyOf(found));
            } catch (Throwable e) {
                lookup.completeExceptionally(e);
            }
        });
        Closeable callOff = () -> lookup.cancel(false);
        abort.closeOnAbort(callOff);
        try {
            long nanos = deadline.remainingNanos();
            if (nanos <= 0) {
                throw deadline.expired("resolving host " + host);
            }
            return lookup.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw deadline.expired("resolving host " + host);
        } catch (java.util.concurrent.CancellationException e) {
            abort.check();
            throw new InterruptedIOException("resolving host " + host + " was called off");
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
        } finally {
            abort.release(callOff);
        }
    }
}
