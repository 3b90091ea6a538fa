package dev.tether.ws.testing;

/**
 * Bytes for large-message tests, the same on every side that makes them: JSON-like lines with a
 * running counter, so they compress as real traffic does (neither all alike nor random).
 * Not thread-safe: one per stream.
 */
public final class StreamPattern {
    private long line;
    private byte[] current = new byte[0];
    private int offset;

    /** Fills {@code b[off, off + len)} with the next bytes of the pattern. */
    public void fill(byte[] b, int off, int len) {
        int end = off + len;
        while (off < end) {
            if (offset == current.length) {
                current = ("{\"seq\":" + line + ",\"sensor\":\"t-" + (line % 97) + "\",\"value\":"
                        + (line * 7919 % 10007) / 100.0 + ",\"ok\":" + (line % 5 != 0) + "}\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                offset = 0;
                line++;
            }
            int n = Math.min(end - off, current.length - offset);
            System.arraycopy(current, offset, b, off, n);
            offset += n;
            off += n;
        }
    }
}
