package dev.tether.ws.examples.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The reproducible-build check: every jar a library module's {@code target/} holds after the
 * reactor build must be byte-for-byte the jar a second, independent build of the same sources
 * made (in {@code examples-check/target/repro}). Prints each jar with its size and SHA-256, and
 * throws, failing the build, on any difference or missing jar. Runs in Maven's JVM (exec:java).
 *
 * <p>Usage: {@code CompareBuilds firstRoot secondRoot module...}
 */
public final class CompareBuilds {
    private CompareBuilds() {}

    public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
        Path first = Path.of(args[0]);
        Path second = Path.of(args[1]);
        List<String> problems = new ArrayList<>();
        int compared = 0;
        for (int i = 2; i < args.length; i++) {
            String module = args[i];
            List<Path> jars = jars(first.resolve(module).resolve("target"));
            if (jars.isEmpty()) {
                problems.add(module + ": the first build made no jar");
            }
            for (Path jar : jars) {
                Path other = second.resolve(module).resolve("target").resolve(jar.getFileName());
                String a = sha256(jar);
                if (!Files.exists(other)) {
                    problems.add(module + "/" + jar.getFileName() + ": the second build made no such jar");
                    continue;
                }
                String b = sha256(other);
                compared++;
                System.out.printf("%-52s %8d bytes  sha256 %s%s%n", jar.getFileName(), Files.size(jar), a,
                        a.equals(b) ? "" : "  DIFFERS: second build " + b);
                if (!a.equals(b)) {
                    problems.add(module + "/" + jar.getFileName() + " differs between the two builds");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("not reproducible: " + String.join("; ", problems));
        }
        System.out.println(compared + " jars identical in two builds");
    }

    private static List<Path> jars(Path target) throws IOException {
        if (!Files.isDirectory(target)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
