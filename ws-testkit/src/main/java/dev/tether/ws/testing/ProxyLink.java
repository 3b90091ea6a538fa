package dev.tether.ws.testing;

import dev.tether.ws.testing.FaultProxy.BlackholeMode;
import dev.tether.ws.testing.FaultProxy.Direction;
import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection through a {@link FaultProxy}: the client and server sockets and the two
 * {@link ProxyLeg}s pumping between them. One lock guards both legs' state, so a fault for
 * either direction can land from any thread: the test's, or a leg's when a byte count is reached.
 */
final class ProxyLink {
    /** Guards this link's and both legs' state. Taken after the proxy's lock, never before. */
    final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever a waiting leg may go on: resumed, healed, closed. */
    final Condition changed = lock.newCondition();
    final ProxyLeg upstream;
    final ProxyLeg downstream;
    private final Socket client;
    private final Socket server;

    // Guarded by lock.
    private boolean closed;
    private BlackholeMode blackhole;  // null: not blackholed
    private int legsRunning = 2;
    /** Futures of faults that took effect, completed once the lock is released (see unlock). */
    private final List<CompletableFuture<Void>> fired = new ArrayList<>();

    ProxyLink(Socket client, Socket server, LongAdder upstreamBytes, LongAdder downstreamBytes) {
        this.client = client;
        this.server = server;
        this.upstream = new ProxyLeg(this, client, server, upstreamBytes);
        this.downstream = new ProxyLeg(this, server, client, downstreamBytes);
    }

    /**
     * Releases the lock; the outermost release then completes the futures of faults that fired.
     * Completing outside the lock keeps test callbacks from running under it, where a call back
     * into the proxy would take the proxy's lock in the wrong order.
     */
    void unlock() {
        List<CompletableFuture<Void>> done = List.of();
        if (lock.getHoldCount() == 1 && !fired.isEmpty()) {
            done = List.copyOf(fired);
            fired.clear();
        }
        lock.unlock();
        done.forEach(f -> f.complete(null));
    }

    /** Lock held. */
    void fired(CompletableFuture<Void> future) {
        fired.add(future);
    }

    /** Applies {@code rule} now, or arms it on the leg that counts its bytes. */
    void arm(Fault.Rule rule) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (rule.afterBytes() == 0) {
                apply(rule);
            } else {
                leg(rule.counted()).arm(rule);
            }
        } finally {
            unlock();
        }
    }

    /** Makes {@code rule} take effect. Lock held. */
    void apply(Fault.Rule rule) {
        boolean effective = true;
        switch (rule.fault()) {
            case Fault.Drop drop -> close(false);
            case Fault.Reset reset -> close(true);
            case Fault.Blackhole hole -> blackhole = hole.mode();
            default -> {
                for (Direction direction : rule.directions()) {
                    effective &= leg(direction).apply(rule.fault(), rule.fired());
                }
            }
        }
        changed.signalAll();
        if (effective) {
            fired(rule.fired());
        }
    }

    void heal() {
        lock.lock();
        try {
            upstream.heal();
            downstream.heal();
            changed.signalAll();
        } finally {
            unlock();
        }
    }

    void resume(Set<Direction> directions) {
        lock.lock();
        try {
            directions.forEach(d -> leg(d).resume());
            changed.signalAll();
        } finally {
            unlock();
        }
    }

    /** Lock held. */
    BlackholeMode blackhole() {
        return blackhole;
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            unlock();
        }
    }

    /** Waits {@code millis}, or less if the link closes meanwhile. */
    void pause(long millis) throws InterruptedException {
        lock.lock();
        try {
            for (long nanos = TimeUnit.MILLISECONDS.toNanos(millis); nanos > 0 && !closed; ) {
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            unlock();
        }
    }

    /** A leg ran out: end of stream ({@code failed} false) or an I/O error. */
    void legEnded(boolean failed) {
        lock.lock();
        try {
            legsRunning--;
            if (closed || blackhole != null) {
                return;  // a blackhole never closes, whatever the peers do
            }
            if (failed) {
                close(true);  // pass the failure on as abruptly as it came
            } else if (legsRunning == 0) {
                close(false);  // both FINs went through
            }
        } finally {
            unlock();
        }
    }

    /** Closes both sockets; {@code reset}: abortively, so both peers get an RST. Idempotent. */
    void close(boolean reset) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signalAll();
            if (reset) {
                abort(client);
                abort(server);
            } else {
                closeQuietly(client);
                closeQuietly(server);
            }
        } finally {
            unlock();
        }
    }

    private ProxyLeg leg(Direction direction) {
        return direction == Direction.UPSTREAM ? upstream : downstream;
    }

    /** Close with SO_LINGER 0: the kernel sends RST instead of FIN. */
    static void abort(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed: nothing left to reset
        }
        closeQuietly(socket);
    }

    static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
