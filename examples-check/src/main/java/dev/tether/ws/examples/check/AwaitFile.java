package dev.tether.ws.examples.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Waits, at most the given seconds, for a file to exist: the build's way to start the examples
 * only once {@link ExamplePeers} listens. Throws (failing the build: it runs in Maven's JVM
 * through exec:java) when the file does not come.
 *
 * <p>Usage: {@code AwaitFile path seconds}
 */
public final class AwaitFile {
    private AwaitFile() {}

    public static void main(String[] args) throws InterruptedException {
        Path file = Path.of(args[0]);
        Instant end = Instant.now().plus(Duration.ofSeconds(Long.parseLong(args[1])));
        while (!Files.exists(file)) {
            if (Instant.now().isAfter(end)) {
                throw new IllegalStateException(file + " did not appear within " + args[1]
                        + " s: the example peers did not start (see their output above)");
            }
            Thread.sleep(100);
        }
    }
}
