package dev.tether.ws.bench;

import dev.tether.ws.codec.DecoderLimits;
import dev.tether.ws.codec.FrameDecoder;
import dev.tether.ws.codec.MessageHandler;
import dev.tether.ws.codec.Role;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.internal.Parser;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.framing.Framedata;
import okhttp3.internal.ws.WebSocketReader;
import okio.Buffer;
import okio.ByteString;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Group "parse": one operation parses a buffer of {@link #frameCount(int)} unmasked binary
 * frames of {@code size} bytes as a server sends them (1,000 frames; 16 for 64 KiB), and hands
 * every payload to the consumer. The report turns operations per second into frames per second
 * and bytes per operation into bytes per frame.
 *
 * <p>What each stack does with a payload is what it does in a real connection: Tether hands a
 * slice of the input (no copy), Netty a retained slice or copy in a pooled buffer, Java-WebSocket
 * a copied {@code ByteBuffer} inside a new frame object, Jetty a frame over a slice of the input,
 * OkHttp a copied {@code ByteString}.
 */
@State(Scope.Thread)
public class ParseBench extends BenchDefaults {

    @Param({"16", "125", "1024", "65536"})
    public int size;

    private ByteBuffer stream;
    private ByteBuf nettyStream;

    private FrameDecoder tether;
    private Blackhole tetherSink;

    private NettyDecoder nettyDecoder;
    private EmbeddedChannel nettyChannel;
    private ChannelHandlerContext nettyCtx;
    private final List<Object> nettyOut = new ArrayList<>();

    private Draft_6455 jws;

    private Parser jetty;

    private byte[] streamBytes;
    private Buffer okSource;
    private WebSocketReader okReader;
    private Blackhole okSink;

    /** Frames per operation. */
    public static int frameCount(int size) {
        return size >= 65536 ? 16 : 1000;
    }

    /** Netty's decoder, its protected {@code decode} called directly (no pipeline in between). */
    static final class NettyDecoder extends WebSocket08FrameDecoder {
        NettyDecoder() {
            super(WebSocketDecoderConfig.newBuilder().expectMaskedFrames(false)
                    .maxFramePayloadLength(64 << 20).build());
        }

        void decodeNow(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            decode(ctx, in, out);
        }
    }

    @Setup
    public void setup(Blackhole bh) {
        int count = frameCount(size);
        int header = size <= 125 ? 2 : size <= 0xFFFF ? 4 : 10;
        stream = ByteBuffer.allocate(count * (header + size));
        byte[] payload = new byte[size];
        ThreadLocalRandom.current().nextBytes(payload);
        for (int i = 0; i < count; i++) {
            stream.put((byte) 0x82);
            if (size <= 125) {
                stream.put((byte) size);
            } else if (size <= 0xFFFF) {
                stream.put((byte) 126).putShort((short) size);
            } else {
                stream.put((byte) 127).putLong(size);
            }
            stream.put(payload);
        }
        stream.flip();
        nettyStream = Unpooled.wrappedBuffer(stream.duplicate());

        tetherSink = bh;
        tether = new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, new MessageHandler() {
            @Override
            public void onMessageStart(int opcode) {
            }

            @Override
            public void onMessageData(ByteBuffer chunk) {
                tetherSink.consume(chunk.remaining());
            }

            @Override
            public void onMessageEnd() {
            }

            @Override
            public void onPing(ByteBuffer payload) {
            }

            @Override
            public void onPong(ByteBuffer payload) {
            }

            @Override
            public void onClose(int code, String reason) {
            }
        });

        nettyDecoder = new NettyDecoder();
        nettyChannel = new EmbeddedChannel(nettyDecoder);
        nettyCtx = nettyChannel.pipeline().context(nettyDecoder);

        jws = new Draft_6455();
        jws.setParseMode(org.java_websocket.enums.Role.CLIENT);

        jetty = new Parser(new ArrayByteBufferPool());

        streamBytes = new byte[stream.remaining()];
        stream.duplicate().get(streamBytes);
        okSink = bh;
        okSource = new Buffer();
        okReader = new WebSocketReader(true, okSource, new WebSocketReader.FrameCallback() {
            @Override
            public void onReadMessage(String text) {
                okSink.consume(text);
            }

            @Override
            public void onReadMessage(ByteString bytes) {
                okSink.consume(bytes.size());
            }

            @Override
            public void onReadPing(ByteString payload) {
            }

            @Override
            public void onReadPong(ByteString payload) {
            }

            @Override
            public void onReadClose(int code, String reason) {
            }
        }, false, false);
    }

    @TearDown
    public void tearDown() {
        nettyStream.release();
        nettyChannel.finishAndReleaseAll();
    }

    @Benchmark
    public void tether() throws Exception {
        stream.rewind();
        tether.decode(stream);
    }

    @Benchmark
    public void netty(Blackhole bh) throws Exception {
        ByteBuf in = nettyStream;
        in.readerIndex(0);
        while (in.isReadable()) {
            nettyDecoder.decodeNow(nettyCtx, in, nettyOut);
        }
        for (int i = 0; i < nettyOut.size(); i++) {
            WebSocketFrame f = (WebSocketFrame) nettyOut.get(i);
            bh.consume(f.content().readableBytes());
            f.release();
        }
        nettyOut.clear();
    }

    @Benchmark
    public void javaWebSocket(Blackhole bh) throws Exception {
        stream.rewind();
        List<Framedata> frames = jws.translateFrame(stream);
        for (int i = 0; i < frames.size(); i++) {
            bh.consume(frames.get(i).getPayloadData().remaining());
        }
    }

    @Benchmark
    public void jetty(Blackhole bh) {
        stream.rewind();
        Frame.Parsed f;
        while ((f = jetty.parse(stream)) != null) {
            bh.consume(f.getPayloadLength());
            f.close();
        }
    }

    /**
     * OkHttp's {@code WebSocketReader} (public class in the internal package) over an okio
     * Buffer. Its input must be copied into the Buffer each time (okio consumes what it reads),
     * so this includes one memcpy of the stream that the other stacks do not pay.
     */
    @Benchmark
    public void okhttp() throws Exception {
        okSource.write(streamBytes);
        int count = frameCount(size);
        for (int i = 0; i < count; i++) {
            okReader.processNextFrame();
        }
    }
}
