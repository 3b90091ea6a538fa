package dev.tether.ws.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No {@code synchronized} in the shipped library modules, unless reviewed below.
 *
 * <p>Why: on JDK 21 a virtual thread that blocks inside a {@code synchronized} block or method
 * pins its carrier thread (JEP 444; JDK 24's JEP 491 lifted this, but Tether supports 21), and
 * Tether runs its readers, handlers and {@code startAsync} tasks on virtual threads. Nothing can
 * tell from the source alone that a block never blocks, so every {@code synchronized} is refused
 * unless it is in {@link #REVIEWED} with the reason it cannot block. Use a
 * {@code ReentrantLock} (which virtual threads unmount from) instead.
 *
 * <p>The scan reads the sources, skipping comments, string and character literals and text
 * blocks, so a word in a comment does not count and a method modifier or a block does.
 */
class NoSynchronizedInLibrariesTest {

    /** The modules whose jars users run. */
    private static final List<String> LIBRARIES = List.of(
            "ws-codec", "ws-api", "ws-transport-blocking", "ws-transport-nio", "ws-tls", "tether");

    /**
     * Reviewed uses: "module/relative/path/File.java:line" to the reason it never blocks.
     * Empty: the libraries have none today.
     */
    private static final Map<String, String> REVIEWED = Map.of();

    @Test
    void libraryModulesHoldNoSynchronizedOutsideTheReviewedList() throws IOException {
        Path root = Path.of(System.getProperty("tether.root", "..")).toAbsolutePath().normalize();
        List<String> found = new ArrayList<>();
        int files = 0;
        for (String module : LIBRARIES) {
            Path sources = root.resolve(module).resolve("src/main/java");
            assertThat(sources).as("sources of %s", module).isDirectory();
            try (Stream<Path> walk = Files.walk(sources)) {
                for (Path file : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    String code = Files.readString(file);
                    for (int line : JavaTokens.linesOfKeyword(code, "synchronized")) {
                        String where = root.relativize(file).toString().replace('\\', '/') + ":" + line;
                        if (!REVIEWED.containsKey(where)) found.add(where);
                    }
                }
            }
        }
        assertThat(files).as("Java files scanned").isGreaterThan(50);
        assertThat(found)
                .as("synchronized in a library module pins a virtual thread's carrier on JDK 21 when it"
                        + " blocks: use a ReentrantLock, or review it into REVIEWED with the reason it"
                        + " cannot block")
                .isEmpty();
    }

    @Test
    void theScanSeesModifiersAndBlocksButNotCommentsOrLiterals() {
        String code = """
                class A {
                    // synchronized in a comment
                    /* synchronized
                       synchronized */
                    String s = "synchronized";
                    char c = '"';
                    String t = \"""
                        synchronized in a text block
                        \""";
                    synchronized void m() {}
                    void n() { synchronized (this) { } }
                    int synchronizedCount;
                }
                """;
        assertThat(JavaTokens.linesOfKeyword(code, "synchronized")).containsExactly(10, 11);
    }

    /** A small lexer: enough of Java's to tell code from comments and literals. */
    static final class JavaTokens {
        private JavaTokens() {}

        static List<Integer> linesOfKeyword(String code, String keyword) {
            List<Integer> lines = new ArrayList<>();
            int line = 1;
            int i = 0;
            int n = code.length();
            while (i < n) {
                char c = code.charAt(i);
                if (c == '\n') {
                    line++;
                    i++;
                } else if (code.startsWith("//", i)) {
                    while (i < n && code.charAt(i) != '\n') i++;
                } else if (code.startsWith("/*", i)) {
                    int end = code.indexOf("*/", i + 2);
                    end = end < 0 ? n : end + 2;
                    line += count(code, i, end);
                    i = end;
                } else if (code.startsWith("\"\"\"", i)) {
                    int end = i + 3;
                    while (end < n && !code.startsWith("\"\"\"", end)) end += code.charAt(end) == '\\' ? 2 : 1;
                    end = Math.min(n, end + 3);
                    line += count(code, i, end);
                    i = end;
                } else if (c == '"' || c == '\'') {
                    int end = i + 1;
                    while (end < n && code.charAt(end) != c && code.charAt(end) != '\n') {
                        end += code.charAt(end) == '\\' ? 2 : 1;
                    }
                    i = Math.min(n, end + 1);
                } else if (Character.isJavaIdentifierStart(c)) {
                    int end = i + 1;
                    while (end < n && Character.isJavaIdentifierPart(code.charAt(end))) end++;
                    if (code.substring(i, end).equals(keyword)) lines.add(line);
                    i = end;
                } else {
                    i++;
                }
            }
            return lines;
        }

        private static int count(String code, int from, int to) {
            int newlines = 0;
            for (int k = from; k < to; k++) if (code.charAt(k) == '\n') newlines++;
            return newlines;
        }
    }
}
