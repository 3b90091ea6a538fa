package dev.tether.ws.testing;

import dev.tether.ws.testing.FaultProxy.BlackholeMode;
import dev.tether.ws.testing.FaultProxy.Direction;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Where and when a {@link FaultProxy} fault lands: which directions, after how many more bytes,
 * and on which connections. Immutable; each method ending in a fault sends the command and
 * returns a future that completes when the fault first takes effect.
 *
 * <p>Connections: by default the ones open now and every later one until {@link FaultProxy#heal()}
 * (a broken network stays broken); {@link #onlyOpen()} and {@link #onlyNext()} narrow that.
 * Bytes are counted from the command on open connections, and from the first byte on later ones.
 * On a connection that is moving data when the command lands, counting starts after the segment
 * in flight: give positional faults to a quiet connection, or arm them before it opens.
 */
public final class FaultTarget {
    /** Which connections a command reaches. */
    enum Scope { OPEN, ONE_OPEN, NEXT, OPEN_AND_LATER }

    private final FaultProxy proxy;
    private final Set<Direction> directions;
    private final long afterBytes;
    private final Scope scope;

    FaultTarget(FaultProxy proxy, Set<Direction> directions, long afterBytes, Scope scope) {
        this.proxy = proxy;
        this.directions = Set.copyOf(directions);
        this.afterBytes = afterBytes;
        this.scope = scope;
    }

    /** Fire after {@code n} more bytes have been forwarded in this target's direction. */
    public FaultTarget afterBytes(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative byte count: " + n);
        }
        if (directions.size() != 1) {
            throw new IllegalStateException("afterBytes counts one direction: use proxy.on(direction)");
        }
        return new FaultTarget(proxy, directions, n, scope);
    }

    /** Only the connections open now. */
    public FaultTarget onlyOpen() {
        return new FaultTarget(proxy, directions, afterBytes, Scope.OPEN);
    }

    /** One of the connections open now, chosen at random: for soaks that break one link at a time. */
    public FaultTarget onlyOneOpen() {
        return new FaultTarget(proxy, directions, afterBytes, Scope.ONE_OPEN);
    }

    /** Only the next connection the proxy accepts. */
    public FaultTarget onlyNext() {
        return new FaultTarget(proxy, directions, afterBytes, Scope.NEXT);
    }

    /** Hold each forwarded segment for {@code delay} (per segment, so it also slows throughput). */
    public CompletableFuture<Void> delay(Duration delay) {
        return send(new Fault.Delay(delay.toMillis()));
    }

    /** Forward one byte per TCP segment, each flushed alone. */
    public CompletableFuture<Void> splitIntoSingleBytes() {
        return send(new Fault.Split());
    }

    /** Stop forwarding (TCP stays open, bytes keep their order) until {@link #resume()}. */
    public CompletableFuture<Void> stall() {
        return send(new Fault.Stall());
    }

    /** Ends stalls in these directions, on open connections and for later ones. Scope and trigger are ignored. */
    public void resume() {
        proxy.resume(directions);
    }

    /** Flip every bit of the byte at the trigger offset (the next byte, without {@link #afterBytes}). */
    public CompletableFuture<Void> corruptOneByte() {
        return corruptOneByte(0xFF);
    }

    /** XOR the byte at the trigger offset with {@code mask} (not 0). */
    public CompletableFuture<Void> corruptOneByte(int mask) {
        if ((mask & 0xFF) == 0) {
            throw new IllegalArgumentException("a zero mask corrupts nothing");
        }
        return send(new Fault.Corrupt(mask & 0xFF));
    }

    /** Send FIN toward the receiver of these directions; the opposite direction keeps flowing. */
    public CompletableFuture<Void> halfClose() {
        return send(new Fault.HalfClose());
    }

    /**
     * Forward exactly {@code n} more bytes (after any {@link #afterBytes}), then FIN ({@link
     * #halfClose()}); one direction only, as it counts bytes. To cut the whole connection there
     * instead, use {@code afterBytes(n).drop()} or {@code afterBytes(n).reset()}.
     */
    public CompletableFuture<Void> truncate(long n) {
        return afterBytes(afterBytes + n).halfClose();
    }

    /** Close both sockets cleanly: each peer reads end of stream. */
    public CompletableFuture<Void> drop() {
        return send(new Fault.Drop());
    }

    /** Close both sockets abortively (SO_LINGER 0): each peer gets "Connection reset". */
    public CompletableFuture<Void> reset() {
        return send(new Fault.Reset());
    }

    /** Forward nothing in either direction and never close; stop reading ({@link BlackholeMode#STOP_READING}). */
    public CompletableFuture<Void> blackhole() {
        return blackhole(BlackholeMode.STOP_READING);
    }

    /** Forward nothing in either direction and never close, reading as {@code mode} says. */
    public CompletableFuture<Void> blackhole(BlackholeMode mode) {
        return send(new Fault.Blackhole(Objects.requireNonNull(mode)));
    }

    private CompletableFuture<Void> send(Fault fault) {
        return proxy.command(new Fault.Rule(fault, EnumSet.copyOf(directions), afterBytes, new CompletableFuture<>()), scope);
    }
}
