package dev.tether.ws.bench;

import dev.tether.ws.codec.FrameWriter;
import dev.tether.ws.codec.MaskKeys;
import dev.tether.ws.codec.Opcodes;
import dev.tether.ws.codec.Role;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.internal.Generator;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.framing.BinaryFrame;
import okhttp3.internal.ws.WebSocketWriter;
import okio.Buffer;
import okio.ByteString;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Group "mask": writing one masked client frame (header + masked payload) of {@code size} bytes,
 * as each stack does it when it sends a binary message. The ceiling is {@code System.arraycopy}
 * of the payload: a client must at least copy what it does not own.
 *
 * <p>Every stack writes into a buffer it would write to a socket from; each picks its mask key
 * its own way (Tether: a ChaCha20 keystream per frame; Netty: a thread-local random per frame;
 * Java-WebSocket: a SecureRandom per frame; OkHttp: a SecureRandom per frame; Jetty: the key the session set on the frame, here
 * once in setup, which favours Jetty).
 */
@State(Scope.Thread)
public class MaskBench extends BenchDefaults {

    @Param({"16", "125", "1024", "65536", "1048576"})
    public int size;

    private byte[] payloadBytes;
    private byte[] copyTarget;

    private FrameWriter tetherWriter;
    private ByteBuffer tetherPayload;
    private ByteBuffer tetherOut;

    private NettyEncoder nettyEncoder;
    private EmbeddedChannel nettyChannel;
    private ChannelHandlerContext nettyCtx;
    private BinaryWebSocketFrame nettyFrame;
    private final List<Object> nettyOut = new ArrayList<>(2);

    private Draft_6455 jwsDraft;
    private BinaryFrame jwsFrame;
    private ByteBuffer jwsPayload;

    private Buffer okSink;
    private WebSocketWriter okWriter;
    private ByteString okPayload;

    private Generator jettyGenerator;
    private Frame jettyFrame;
    private ByteBuffer jettyPayload;
    private ByteBuffer jettyOut;

    /** Netty's encoder, its protected {@code encode} called directly (no pipeline in between). */
    static final class NettyEncoder extends WebSocket08FrameEncoder {
        NettyEncoder() {
            super(true);
        }

        void encodeNow(ChannelHandlerContext ctx, BinaryWebSocketFrame frame, List<Object> out) throws Exception {
            encode(ctx, frame, out);
        }
    }

    @Setup
    public void setup() {
        payloadBytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(payloadBytes);
        copyTarget = new byte[size];

        tetherWriter = new FrameWriter(Role.CLIENT, MaskKeys.secure());
        tetherPayload = ByteBuffer.wrap(payloadBytes);
        tetherOut = ByteBuffer.allocate(size + FrameWriter.MAX_HEADER_SIZE);

        nettyEncoder = new NettyEncoder();
        nettyChannel = new EmbeddedChannel(nettyEncoder);
        nettyCtx = nettyChannel.pipeline().context(nettyEncoder);
        nettyFrame = new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payloadBytes));

        jwsDraft = new Draft_6455();
        jwsDraft.setParseMode(org.java_websocket.enums.Role.CLIENT);
        jwsFrame = new BinaryFrame();
        jwsPayload = ByteBuffer.wrap(payloadBytes);
        jwsFrame.setPayload(jwsPayload);

        okSink = new Buffer();
        okWriter = new WebSocketWriter(true, okSink, new SecureRandom(), false, false, Long.MAX_VALUE);
        okPayload = ByteString.of(payloadBytes);

        jettyGenerator = new Generator();
        jettyPayload = ByteBuffer.wrap(payloadBytes);
        jettyFrame = new Frame(OpCode.BINARY, jettyPayload);
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        jettyFrame.setMask(mask);
        jettyOut = ByteBuffer.allocate(size + Generator.MAX_HEADER_LENGTH);
    }

    @TearDown
    public void tearDown() {
        nettyFrame.release();
        nettyChannel.finishAndReleaseAll();
    }

    @Benchmark
    public byte[] arraycopy() {
        System.arraycopy(payloadBytes, 0, copyTarget, 0, size);
        return copyTarget;
    }

    @Benchmark
    public ByteBuffer tether() {
        tetherOut.clear();
        tetherPayload.clear();
        tetherWriter.writeFrame(tetherOut, true, 0, Opcodes.BINARY, tetherPayload);
        return tetherOut;
    }

    @Benchmark
    public int netty() throws Exception {
        nettyEncoder.encodeNow(nettyCtx, nettyFrame, nettyOut);
        int n = 0;
        for (int i = 0; i < nettyOut.size(); i++) {
            Object o = nettyOut.get(i);
            n += ((ByteBuf) o).readableBytes();
            ReferenceCountUtil.release(o);
        }
        nettyOut.clear();
        return n;
    }

    @Benchmark
    public ByteBuffer javaWebSocket() {
        jwsPayload.clear();
        return jwsDraft.createBinaryFrame(jwsFrame);
    }

    /** OkHttp's {@code WebSocketWriter} (public class in the internal package), into an okio Buffer. */
    @Benchmark
    public long okhttp() throws Exception {
        okWriter.writeMessageFrame(0x2, okPayload);
        long n = okSink.size();
        okSink.clear();
        return n;
    }

    @Benchmark
    public ByteBuffer jetty() {
        BufferUtil.clear(jettyOut);
        jettyPayload.clear();
        jettyGenerator.generateWholeFrame(jettyFrame, jettyOut);
        return jettyOut;
    }
}
