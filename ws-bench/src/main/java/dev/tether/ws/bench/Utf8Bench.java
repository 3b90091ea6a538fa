package dev.tether.ws.bench;

import com.google.common.base.Utf8;
import dev.tether.ws.codec.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Group "utf8": is this text message well-formed UTF-8? One operation checks {@code length}
 * bytes of ASCII, Chinese (3-byte sequences) or emoji (4-byte sequences). The JDK has no
 * validator, so its entry is a strict {@code CharsetDecoder} (REPORT) decoding into a reused
 * {@code CharBuffer}: it does the check and the decoding, which is what a JDK-based stack does.
 *
 * <p>{@code tether} runs the scalar kernel (the JVM does not resolve incubator modules unless
 * asked). {@code tetherVector} is the same call in forks started with {@code --add-modules
 * jdk.incubator.vector}, where the validator puts its Vector API kernel in front: an application
 * gets it the same way. Its setup fails if the module is missing, so a fork that silently ran
 * the scalar kernel cannot pass for the vector one.
 */
@State(Scope.Thread)
public class Utf8Bench extends BenchDefaults {

    @Param({"ascii", "chinese", "emoji"})
    public String text;

    @Param({"1024", "65536"})
    public int length;

    private byte[] bytes;
    private ByteBuffer buf;
    private final Utf8Validator tether = new Utf8Validator();
    private CharsetDecoder jdk;
    private CharBuffer chars;

    /** {@code length} bytes of the text: whole characters, padded with ASCII to the length. */
    static byte[] sample(String text, int length) {
        String unit = switch (text) {
            case "ascii" -> "The quick brown fox jumps over the lazy dog. ";
            case "chinese" -> "敏捷的棕色狐狸跳过了懒狗。";
            case "emoji" -> "😀🚀🎉🦊🐶🌍";
            default -> throw new IllegalArgumentException(text);
        };
        byte[] out = new byte[length];
        int n = 0;
        int i = 0;
        while (true) {
            int cp = unit.codePointAt(i % unit.length());
            i += Character.charCount(cp);
            byte[] one = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            if (n + one.length > length) {
                break;
            }
            System.arraycopy(one, 0, out, n, one.length);
            n += one.length;
        }
        while (n < length) {
            out[n++] = ' ';
        }
        return out;
    }

    @Setup
    public void setup() {
        bytes = sample(text, length);
        buf = ByteBuffer.wrap(bytes);
        jdk = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        chars = CharBuffer.allocate(length);
    }

    @Benchmark
    public boolean tether() {
        tether.reset();
        return tether.update(buf) && tether.isComplete();
    }

    /** The optional module, checked once per fork of {@link #tetherVector}. */
    @State(Scope.Thread)
    public static class VectorModule {
        @Setup
        public void check() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                throw new IllegalStateException("tetherVector needs --add-modules jdk.incubator.vector");
            }
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-modules=jdk.incubator.vector"})
    public boolean tetherVector(VectorModule module) {
        tether.reset();
        return tether.update(buf) && tether.isComplete();
    }

    @Benchmark
    public boolean jdkDecoder() {
        buf.rewind();
        chars.clear();
        jdk.reset();
        return !jdk.decode(buf, chars, true).isError() && !jdk.flush(chars).isError();
    }

    @Benchmark
    public boolean guava() {
        return Utf8.isWellFormed(bytes);
    }
}
