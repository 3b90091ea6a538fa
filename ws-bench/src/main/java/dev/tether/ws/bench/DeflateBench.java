package dev.tether.ws.bench;

import dev.tether.ws.codec.deflate.MessageDeflater;
import dev.tether.ws.codec.deflate.MessageInflater;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Group "deflate": permessage-deflate of one JSON-like text message of {@code length} bytes
 * with context takeover (the RFC 7692 default), Tether's MessageDeflater/MessageInflater next
 * to the JDK's raw Deflater/Inflater doing the same work (SYNC_FLUSH, tail stripped and
 * re-appended) into reused buffers: the floor any JVM stack built on java.util.zip can reach.
 */
@State(Scope.Thread)
public class DeflateBench extends BenchDefaults {

    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    @Param({"1024", "65536"})
    public int length;

    private ByteBuffer message;
    private byte[] messageBytes;
    private ByteBuffer compressed;
    private byte[] compressedWithTail;

    private MessageDeflater tetherDeflater;
    /** Under a 512-byte window (client_max_window_bits=9): Tether's own LZ77 and Huffman coder. */
    private MessageDeflater tetherWindow9Deflater;
    private MessageInflater tetherInflater;
    private Deflater jdkDeflater;
    private Inflater jdkInflater;
    private byte[] jdkOut;
    /** Made once: a lambda capturing the Blackhole in the benchmark method was the 16 B per
     * message that -prof gc charged to Tether's inflater. */
    private MessageInflater.Sink tetherSink;

    static byte[] json(int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < length; i++) {
            sb.append("{\"id\":").append(i).append(",\"symbol\":\"BTC-USD\",\"price\":")
                    .append(40000 + (i * 7919) % 1000).append('.').append(i % 100)
                    .append(",\"size\":").append((i * 31) % 17).append("},");
        }
        sb.setLength(length);
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Setup
    public void setup(Blackhole bh) {
        tetherSink = b -> bh.consume(b.remaining());
        messageBytes = json(length);
        message = ByteBuffer.wrap(messageBytes);
        tetherDeflater = new MessageDeflater(15, false, Deflater.DEFAULT_COMPRESSION);
        tetherWindow9Deflater = new MessageDeflater(9, false, Deflater.DEFAULT_COMPRESSION);
        tetherInflater = new MessageInflater(false, 64L << 20);
        jdkDeflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        jdkInflater = new Inflater(true);
        jdkOut = new byte[length * 2 + 64];

        // A message as the first one on a fresh stream: valid to inflate again and again.
        MessageDeflater once = new MessageDeflater(15, false, Deflater.DEFAULT_COMPRESSION);
        ByteBuffer c = once.deflate(message.duplicate(), true);
        compressed = ByteBuffer.allocate(c.remaining()).put(c).flip();
        once.end();
        compressedWithTail = new byte[compressed.remaining() + 4];
        compressed.duplicate().get(compressedWithTail, 0, compressed.remaining());
        System.arraycopy(TAIL, 0, compressedWithTail, compressed.remaining(), 4);
    }

    @TearDown
    public void tearDown() {
        tetherDeflater.end();
        tetherWindow9Deflater.end();
        tetherInflater.end();
        jdkDeflater.end();
        jdkInflater.end();
    }

    @Benchmark
    public int deflateTether() {
        message.rewind();
        return tetherDeflater.deflate(message, true).remaining();
    }

    /**
     * The same message under a 9-bit window, which zlib cannot be held to through
     * java.util.zip: its CPU cost, next to zlib's at the full window (the JDK row).
     */
    @Benchmark
    public int deflateTetherWindow9() {
        message.rewind();
        return tetherWindow9Deflater.deflate(message, true).remaining();
    }

    @Benchmark
    public int deflateJdk() {
        jdkDeflater.setInput(messageBytes);
        int n = 0;
        while (true) {
            n += jdkDeflater.deflate(jdkOut, n, jdkOut.length - n, Deflater.SYNC_FLUSH);
            if (n < jdkOut.length && jdkDeflater.needsInput()) {
                break;
            }
        }
        return n - 4;
    }

    @Benchmark
    public void inflateTether() throws Exception {
        compressed.rewind();
        tetherInflater.inflate(compressed, tetherSink);
        tetherInflater.finish(tetherSink);
    }

    @Benchmark
    public int inflateJdk() throws DataFormatException {
        jdkInflater.setInput(compressedWithTail);
        int n = 0;
        while (!jdkInflater.needsInput()) {
            n += jdkInflater.inflate(jdkOut, n, jdkOut.length - n);
        }
        return n;
    }
}
