package dev.tether.ws.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Defaults every group shares; {@code run.sh} and the smoke test override them from the command
 * line. Throughput in operations per second: one operation is one frame (mask), one buffer of
 * frames (parse, see {@link ParseBench}), one buffer of messages (deliver, see
 * {@link ParseDeliverBench}), one text (utf8), one handshake, one message (deflate).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public abstract class BenchDefaults {
}
