package dev.tether.ws.bench.soak;

import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.FaultProxy;
import dev.tether.ws.testing.FaultProxy.Direction;
import dev.tether.ws.testing.FaultTarget;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The far side of the soak, in its own process so that the soak's own file descriptors, threads
 * and heap are Tether's alone: the codec's echo server behind a {@link FaultProxy}. Prints
 * {@code port N} (the proxy's), then takes one command a line on standard input: a fault name,
 * applied to one open connection chosen at random in a random direction, or {@code stats}.
 * Ends when standard input closes.
 */
public final class SoakPeer {
    /** The faults the soak draws from: every kind the proxy has. */
    static final String[] FAULTS = {"delay", "stall", "split", "truncate", "corrupt", "half-close", "reset", "blackhole"};

    private SoakPeer() {
    }

    public static void main(String[] args) throws Exception {
        try (CodecServer server = new CodecServer().start(); FaultProxy proxy = FaultProxy.to(server.port())) {
            System.out.println("port " + proxy.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("stats")) {
                    System.out.println("stats accepted=" + proxy.accepted() + " open=" + proxy.open());
                    System.out.flush();
                    continue;
                }
                Direction d = ThreadLocalRandom.current().nextBoolean() ? Direction.UPSTREAM : Direction.DOWNSTREAM;
                FaultTarget one = proxy.on(d).onlyOneOpen();
                CompletableFuture<Void> fired = switch (line) {
                    case "delay" -> one.delay(Duration.ofMillis(200));
                    case "stall" -> one.stall();
                    case "split" -> one.splitIntoSingleBytes();
                    case "truncate" -> one.truncate(ThreadLocalRandom.current().nextInt(1, 200));
                    case "corrupt" -> one.corruptOneByte(0x80);
                    case "half-close" -> one.halfClose();
                    case "reset" -> one.reset();
                    case "blackhole" -> one.blackhole();
                    default -> CompletableFuture.failedFuture(new IllegalArgumentException("unknown fault " + line));
                };
                fired.exceptionally(e -> null);  // "no open connection" is fine: the next one comes
            }
        }
    }
}
