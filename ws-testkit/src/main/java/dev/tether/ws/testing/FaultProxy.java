package dev.tether.ws.testing;

import dev.tether.ws.testing.FaultTarget.Scope;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy on 127.0.0.1 that breaks connections on command, for tests of what a client does
 * when the network misbehaves. Each accepted connection is forwarded to 127.0.0.1:targetPort;
 * faults apply per direction ({@link Direction#UPSTREAM} client to server, {@link
 * Direction#DOWNSTREAM} server to client), at once or after a number of bytes:
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.to(server.port())) {
 *     // connect the client to proxy.port() ...
 *     proxy.on(DOWNSTREAM).afterBytes(1000).corruptOneByte().get(5, SECONDS);
 *     proxy.on(UPSTREAM).stall();  ...  proxy.on(UPSTREAM).resume();
 *     proxy.now().reset();         // RST both ways, and on every new connection...
 *     proxy.heal();                // ...until healed
 * }
 * }</pre>
 *
 * <p>{@link SplittingProxy} is the simple always-splitting form. Every thread is virtual, and
 * {@link #close()} ends them all (it fails if one outlives a bounded wait).
 */
public final class FaultProxy implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    /** Which way bytes travel through the proxy. */
    public enum Direction {
        /** Client to server. */
        UPSTREAM,
        /** Server to client. */
        DOWNSTREAM
    }

    /** What a blackholed connection does with the bytes that still arrive. */
    public enum BlackholeMode {
        /** Stop reading, so TCP pushes back on the sender as on a dead link (one chunk may be in hand). */
        STOP_READING,
        /** Keep reading and discard, like a peer that swallows everything and never answers. */
        DISCARD
    }

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Thread acceptor;
    private final AtomicInteger accepted = new AtomicInteger();
    private final LongAdder upstreamBytes = new LongAdder();
    private final LongAdder downstreamBytes = new LongAdder();
    /** Live threads but the acceptor; each removes itself as it ends. */
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    /** Orders commands against new connections, so each connection gets each rule once. */
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock (taken before any link's lock, never after).
    private final Set<ProxyLink> links = new HashSet<>();
    private final List<Standing> standing = new ArrayList<>();
    private boolean closed;

    /** A rule waiting for connections not yet accepted; {@code once}: only the next one. */
    private record Standing(Fault.Rule rule, boolean once) {
    }

    private FaultProxy(int targetPort) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.acceptor = Thread.ofVirtual().name("fault-proxy-accept-" + listener.getLocalPort()).start(this::acceptLoop);
    }

    /** A started proxy on an ephemeral port of 127.0.0.1 forwarding to 127.0.0.1:{@code targetPort}. */
    public static FaultProxy to(int targetPort) throws IOException {
        return new FaultProxy(targetPort);
    }

    public int port() {
        return listener.getLocalPort();
    }

    // ---------------------------------------------------------------- commands

    /** Faults for one direction; at once unless {@link FaultTarget#afterBytes} says otherwise. */
    public FaultTarget on(Direction direction) {
        return new FaultTarget(this, EnumSet.of(direction), 0, Scope.OPEN_AND_LATER);
    }

    /** Faults for both directions, at once. */
    public FaultTarget now() {
        return new FaultTarget(this, EnumSet.allOf(Direction.class), 0, Scope.OPEN_AND_LATER);
    }

    /** {@code now().blackhole()}: nothing passes either way and nothing closes, until {@link #close()}. */
    public CompletableFuture<Void> blackhole() {
        return now().blackhole();
    }

    /**
     * New connections are forwarded cleanly again: every pending and standing fault is dropped
     * (their futures cancelled if they never fired). Open connections lose their delays,
     * splits, stalls and armed faults; what already happened to them (reset, half-close,
     * blackhole) stays.
     */
    public void heal() {
        lock.lock();
        try {
            standing.forEach(s -> s.rule().fired().cancel(false));
            standing.clear();
            links.forEach(ProxyLink::heal);
        } finally {
            lock.unlock();
        }
    }

    CompletableFuture<Void> command(Fault.Rule rule, Scope scope) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("fault proxy closed");
            }
            links.removeIf(ProxyLink::isClosed);
            if (scope == Scope.ONE_OPEN) {
                List<ProxyLink> open = List.copyOf(links);
                if (open.isEmpty()) {
                    rule.fired().completeExceptionally(new IllegalStateException("no open connection to fault"));
                } else {
                    open.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(open.size())).arm(rule);
                }
                return rule.fired();
            }
            if (scope != Scope.NEXT) {
                // A copy: a reset closes links while we go.
                List.copyOf(links).forEach(link -> link.arm(rule));
            }
            if (scope != Scope.OPEN) {
                standing.add(new Standing(rule, scope == Scope.NEXT));
            } else if (links.isEmpty()) {
                rule.fired().completeExceptionally(new IllegalStateException("no open connection to fault"));
            }
        } finally {
            lock.unlock();
        }
        return rule.fired();
    }

    void resume(Set<Direction> directions) {
        lock.lock();
        try {
            List<Standing> kept = new ArrayList<>();
            for (Standing s : standing) {
                Fault.Rule rule = s.rule();
                if (!(rule.fault() instanceof Fault.Stall)) {
                    kept.add(s);
                    continue;
                }
                Set<Direction> left = EnumSet.allOf(Direction.class);
                left.retainAll(rule.directions());
                left.removeAll(directions);
                if (left.isEmpty()) {
                    rule.fired().cancel(false);
                } else {
                    kept.add(new Standing(new Fault.Rule(rule.fault(), left, rule.afterBytes(), rule.fired()), s.once()));
                }
            }
            standing.clear();
            standing.addAll(kept);
            links.forEach(link -> link.resume(directions));
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- counts

    /** Connections accepted since the start. */
    public int accepted() {
        return accepted.get();
    }

    /** Connections with both legs set up and not yet closed (a blackholed one never closes). */
    public int open() {
        lock.lock();
        try {
            return (int) links.stream().filter(link -> !link.isClosed()).count();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes written to the receiving side in {@code direction}, over all connections. */
    public long forwarded(Direction direction) {
        return counter(direction).sum();
    }

    /** Threads still running but the acceptor: for leak checks. */
    int liveThreads() {
        return threads.size();
    }

    // ---------------------------------------------------------------- connections

    private void acceptLoop() {
        while (true) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;  // closed
            }
            int id = accepted.incrementAndGet();
            start("fault-proxy-link-" + id, () -> connect(client, id));
        }
    }

    /** Runs on the link's own thread, which then carries the upstream leg. */
    private void connect(Socket client, int id) {
        Socket server = new Socket();
        ProxyLink link;
        try {
            client.setTcpNoDelay(true);  // so split bytes leave one per segment
            server.setTcpNoDelay(true);
            server.connect(target, CONNECT_TIMEOUT_MILLIS);
            link = new ProxyLink(client, server, upstreamBytes, downstreamBytes);
        } catch (IOException e) {
            ProxyLink.closeQuietly(server);
            ProxyLink.abort(client);  // as if the server refused
            return;
        }
        lock.lock();
        try {
            if (closed) {
                link.close(false);
                return;
            }
            links.removeIf(ProxyLink::isClosed);
            links.add(link);
            standing.forEach(s -> link.arm(s.rule()));
            standing.removeIf(Standing::once);
            start("fault-proxy-down-" + id, link.downstream::run);  // under the lock: close() sees it
        } finally {
            lock.unlock();
        }
        link.upstream.run();
    }

    private void start(String name, Runnable body) {
        Thread thread = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                body.run();
            } finally {
                threads.remove(Thread.currentThread());
            }
        });
        threads.add(thread);
        thread.start();
    }

    private LongAdder counter(Direction direction) {
        return direction == Direction.UPSTREAM ? upstreamBytes : downstreamBytes;
    }

    /**
     * Stops accepting, closes every connection (blackholed ones too) and waits, bounded, for
     * every thread to end. Idempotent.
     *
     * @throws IllegalStateException if a thread is still running after the wait: a leak
     */
    @Override
    public void close() {
        List<ProxyLink> toClose;
        lock.lock();
        try {
            closed = true;
            standing.forEach(s -> s.rule().fired().cancel(false));
            standing.clear();
            toClose = List.copyOf(links);
            links.clear();
        } finally {
            lock.unlock();
        }
        ProxyLink.closeQuietly(listener);
        toClose.forEach(link -> link.close(false));
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        try {
            // The acceptor first: it is the only thread that starts threads outside the lock.
            acceptor.join(CLOSE_WAIT);
            for (Thread thread : List.copyOf(threads)) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    thread.join(Duration.ofNanos(left));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (acceptor.isAlive() || !threads.isEmpty()) {
            throw new IllegalStateException("fault proxy threads still running after " + CLOSE_WAIT + ": " + threads);
        }
    }
}
