package dev.tether.ws.testing;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this process holds, for the measurements that compare it before and after opening
 * connections: heap after a full collection, resident memory, and threads virtual ones included.
 */
public final class Footprint {
    private Footprint() {
    }

    /** Used heap after three full collections with a pause for reference processing after each. */
    public static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * The process's resident set from {@code /proc/self/status} (Linux): heap pages touched,
     * thread stacks, direct buffers and native allocations such as zlib's.
     *
     * @throws IOException when there is no {@code VmRSS} line to read (not Linux)
     */
    public static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }

    /** Every thread, virtual ones included, counted in a JSON thread dump (JDK 21+). */
    public static int allThreads() throws IOException {
        Path dump = Files.createTempFile("tether-threads", ".json");
        Files.delete(dump);
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        String json = Files.readString(dump);
        Files.delete(dump);
        Matcher m = Pattern.compile("\"tid\"").matcher(json);
        int count = 0;
        while (m.find()) {
            count++;
        }
        return count;
    }
}
