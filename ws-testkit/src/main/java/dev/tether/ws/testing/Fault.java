package dev.tether.ws.testing;

import dev.tether.ws.testing.FaultProxy.BlackholeMode;
import dev.tether.ws.testing.FaultProxy.Direction;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link FaultProxy} can do to a connection. Conditions (delay, split, stall) last until
 * healed or resumed; the others happen once. Built by {@link FaultTarget}, applied by
 * {@link ProxyLink}.
 */
sealed interface Fault {
    /** Hold each forwarded segment this long before writing it. */
    record Delay(long millis) implements Fault {
    }

    /** Write one byte at a time, each flushed on its own (Nagle is off on both sides). */
    record Split() implements Fault {
    }

    /** Stop forwarding; what arrives stays queued (in hand or in TCP) and goes on, in order, on resume. */
    record Stall() implements Fault {
    }

    /** XOR the next forwarded byte with {@code mask}. */
    record Corrupt(int mask) implements Fault {
    }

    /** FIN toward the receiving side ({@code shutdownOutput}); later bytes this way are discarded. */
    record HalfClose() implements Fault {
    }

    /** Close both sockets cleanly (FIN both ways). */
    record Drop() implements Fault {
    }

    /** Close both sockets with SO_LINGER 0, so both peers get an RST. */
    record Reset() implements Fault {
    }

    /** Forward nothing either way and never close, even when a peer closes. */
    record Blackhole(BlackholeMode mode) implements Fault {
    }

    /**
     * One command from a test: a fault for some directions, firing once {@code afterBytes} more
     * bytes have passed in the (single) direction given (0: at once). {@code fired} completes the
     * first time it takes effect on any connection; heal() cancels it if it never did.
     */
    record Rule(Fault fault, Set<Direction> directions, long afterBytes, CompletableFuture<Void> fired) {
        public Rule {
            directions = Set.copyOf(directions);
        }

        /** The direction whose bytes are counted; only meaningful when afterBytes > 0. */
        Direction counted() {
            return directions.iterator().next();
        }
    }
}
