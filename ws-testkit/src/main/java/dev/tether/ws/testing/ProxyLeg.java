package dev.tether.ws.testing;

import dev.tether.ws.testing.FaultProxy.BlackholeMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * One direction of a {@link ProxyLink}: reads its source, applies the faults in force, writes
 * its sink. It reads a chunk only when the last one is handled, so a stall keeps at most one
 * chunk in hand and TCP holds the rest: order is kept without a buffer of our own.
 */
final class ProxyLeg {
    private static final int CHUNK = 16 * 1024;

    private final ProxyLink link;
    private final Socket source;
    private final Socket sink;
    private final LongAdder forwarded;

    /** A fault waiting for this leg's position to reach {@code at}. */
    private record Armed(Fault.Rule rule, long at) {
    }

    // Guarded by link.lock; written by this leg's thread and by whoever applies a fault.
    /** Bytes taken from the source to forward or discard, in flight included: where triggers count. */
    private long position;
    private final List<Armed> armed = new ArrayList<>();
    private long delayMillis;
    private boolean split;
    private boolean stalled;
    private boolean outputShut;
    private int corruptMask;  // 0: none pending
    private CompletableFuture<Void> corruptFired;

    ProxyLeg(ProxyLink link, Socket source, Socket sink, LongAdder forwarded) {
        this.link = link;
        this.source = source;
        this.sink = sink;
        this.forwarded = forwarded;
    }

    /** The leg's thread: pumps until end of stream, an I/O error or the link closing. */
    void run() {
        boolean failed = false;
        try {
            InputStream in = source.getInputStream();
            OutputStream out = sink.getOutputStream();
            byte[] buffer = new byte[CHUNK];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                for (int off = 0; off < n; ) {
                    off += forward(buffer, off, n - off, out);
                }
            }
            passEndOfStream();
        } catch (IOException | InterruptedException e) {
            failed = true;  // nobody interrupts these threads; a closed link lands here too
        } finally {
            link.legEnded(failed);
        }
    }

    /** Forwards (or discards) a prefix of {@code b[off, off+len)}, as the faults say; returns its length. */
    private int forward(byte[] b, int off, int len, OutputStream out) throws IOException, InterruptedException {
        int n;
        long delay;
        CompletableFuture<Void> corrupted = null;
        link.lock.lock();
        try {
            fireDue();
            awaitFlowing();
            n = (int) Math.min(len, nextTrigger() - position);  // stop at the next trigger
            if (outputShut || link.blackhole() == BlackholeMode.DISCARD) {
                position += n;  // discarded: counts for triggers, not as forwarded
                fireDue();
                return n;
            }
            if (split) {
                n = 1;
            }
            if (corruptMask != 0) {
                b[off] ^= (byte) corruptMask;
                corruptMask = 0;
                corrupted = corruptFired;
                corruptFired = null;
            }
            delay = delayMillis;
            // Counted before the write: once the receiver has these bytes, a command counts
            // from after them, as a test that saw them arrive expects.
            position += n;
        } finally {
            link.unlock();
        }
        if (delay > 0) {
            link.pause(delay);
        }
        try {
            out.write(b, off, n);
            out.flush();
            forwarded.add(n);
        } catch (IOException e) {
            if (!isOutputShut()) {
                throw e;
            }
            // a half-close from another thread raced this write: these bytes are discarded
        }
        link.lock.lock();
        try {
            if (corrupted != null) {
                link.fired(corrupted);
            }
            fireDue();  // now, not at the next byte: "after N bytes" fires as soon as N went
        } finally {
            link.unlock();
        }
        return n;
    }

    /** Passes the source's FIN on, unless a stall holds it or a blackhole swallows it. */
    private void passEndOfStream() throws IOException, InterruptedException {
        link.lock.lock();
        try {
            awaitFlowing();
            if (link.blackhole() == null) {
                shutOutput();
            }
        } finally {
            link.unlock();
        }
    }

    /** Waits out a stall or a non-reading blackhole. Lock held. */
    private void awaitFlowing() throws IOException, InterruptedException {
        while (!link.isClosed() && mustWait()) {
            link.changed.await();
        }
        if (link.isClosed()) {
            throw new SocketException("proxy link closed");
        }
    }

    private boolean mustWait() {
        BlackholeMode hole = link.blackhole();
        return hole == BlackholeMode.STOP_READING || (stalled && hole == null);
    }

    private void fireDue() {
        for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
            Armed a = it.next();
            if (a.at() <= position) {
                it.remove();
                link.apply(a.rule());
            }
        }
    }

    private long nextTrigger() {
        long next = Long.MAX_VALUE;
        for (Armed a : armed) {
            next = Math.min(next, a.at());
        }
        return next;
    }

    private boolean isOutputShut() {
        link.lock.lock();
        try {
            return outputShut;
        } finally {
            link.unlock();
        }
    }

    /** FIN toward the sink; from then on this leg drains its source and discards. Lock held. */
    private void shutOutput() {
        if (outputShut) {
            return;
        }
        outputShut = true;
        try {
            sink.shutdownOutput();
        } catch (IOException e) {
            // the socket is closed already: nothing to shut
        }
    }

    // ---------------------------------------------------------------- faults (lock held)

    void arm(Fault.Rule rule) {
        armed.add(new Armed(rule, position + rule.afterBytes()));
    }

    /** Applies a one-direction fault; false if it takes effect later (a corruption: at the next byte). */
    boolean apply(Fault fault, CompletableFuture<Void> fired) {
        switch (fault) {
            case Fault.Delay d -> delayMillis = d.millis();
            case Fault.Split s -> split = true;
            case Fault.Stall s -> stalled = true;
            case Fault.HalfClose h -> shutOutput();
            case Fault.Corrupt c -> {
                corruptMask = c.mask();
                corruptFired = fired;
                return false;
            }
            default -> throw new IllegalArgumentException("not a one-direction fault: " + fault);
        }
        return true;
    }

    /** Back to clean forwarding; what already happened (a half-close) stays. */
    void heal() {
        armed.forEach(a -> a.rule().fired().cancel(false));
        armed.clear();
        delayMillis = 0;
        split = false;
        stalled = false;
        corruptMask = 0;
        if (corruptFired != null) {
            corruptFired.cancel(false);
            corruptFired = null;
        }
    }

    void resume() {
        stalled = false;
        for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
            Armed a = it.next();
            if (a.rule().fault() instanceof Fault.Stall) {
                it.remove();
                a.rule().fired().cancel(false);
            }
        }
    }
}
