package dev.tether.ws.bench;

import dev.tether.ws.codec.DecoderLimits;
import dev.tether.ws.codec.FrameDecoder;
import dev.tether.ws.codec.MessageHandler;
import dev.tether.ws.codec.Opcodes;
import dev.tether.ws.codec.Role;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import okhttp3.internal.ws.WebSocketReader;
import okio.Buffer;
import okio.ByteString;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.internal.Parser;
import org.eclipse.jetty.websocket.core.messages.ByteBufferMessageSink;
import org.eclipse.jetty.websocket.core.messages.MessageSink;
import org.eclipse.jetty.websocket.core.messages.StringMessageSink;
import org.eclipse.jetty.websocket.core.util.MethodHolder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Group "deliver": one operation parses a buffer of unmasked server frames and hands every
 * <em>whole message</em> to the consumer, in the form each stack's application receives it
 * (1,000 messages per buffer; 16 for 64 KiB). The report turns operations per second into
 * messages per second and bytes per operation into bytes per message.
 *
 * <p>Rows ({@link #message}): single-frame binary messages of 16 B, 125 B, 1 KiB and 64 KiB;
 * 1 KiB binary messages each sent in 4 frames of 256 B ({@code 1024x4}); 1 KiB single-frame
 * text messages, JSON-like with Chinese values ({@code text1024}).
 *
 * <p>What each stack hands over is what its application gets:
 * <ul>
 *   <li>Tether: {@code FrameParser} + {@code FrameDecoder}; a whole single-frame message reaches
 *       {@link MessageHandler#onWholeMessage} as a view into the read buffer and goes to the
 *       consumer as it is (text already validated, not decoded); a fragmented one is gathered
 *       into one reused array and handed as a {@code ByteBuffer} over it, as the engine does with
 *       its pooled buffers.</li>
 *   <li>Netty 4.2: {@code WebSocket08FrameDecoder} (driven as in {@link ParseBench}) firing into
 *       the pipeline a Netty client has: {@code Utf8FrameValidator} (added by
 *       {@code WebSocketClientProtocolHandler} by default), {@code WebSocketFrameAggregator}, then
 *       the application's handler, which takes the frame and releases it.</li>
 *   <li>OkHttp 5: {@code WebSocketReader}, whose {@code FrameCallback.onReadMessage} gives whole
 *       messages: a {@code ByteString}, or a {@code String} for text.</li>
 *   <li>Jetty 12.1: its {@code Parser}, each frame then handed to the message sink a Jetty
 *       endpoint gets for its message type: {@code ByteBufferMessageSink} (a {@code ByteBuffer}
 *       per message, fragments gathered into a pooled buffer) and {@code StringMessageSink}
 *       (a {@code String}), calling the application through a {@code MethodHolder}.</li>
 * </ul>
 *
 * <p>Setup runs every stack twice over the buffer with a recorder in place of the consumer and
 * fails unless each delivered exactly the messages that were sent, byte for byte.
 */
@State(Scope.Thread)
public class ParseDeliverBench extends BenchDefaults {

    @Param({"16", "125", "1024", "65536", "1024x4", "text1024"})
    public String message;

    /** What a row sends: text or binary, bytes per message, frames per message. */
    record Shape(boolean text, int size, int fragments) {
        static Shape of(String message) {
            if (message.startsWith("text")) {
                return new Shape(true, Integer.parseInt(message.substring(4)), 1);
            }
            int x = message.indexOf('x');
            return x < 0 ? new Shape(false, Integer.parseInt(message), 1)
                    : new Shape(false, Integer.parseInt(message.substring(0, x)),
                            Integer.parseInt(message.substring(x + 1)));
        }
    }

    /** Messages per operation for a row. */
    public static int messageCount(String message) {
        return Shape.of(message).size >= 65536 ? 16 : 1000;
    }

    /** The report's row label, e.g. "1,000 x 1 KiB in 4 frames". */
    public static String rowName(String message) {
        Shape s = Shape.of(message);
        int size = s.size;
        String bytes = size >= 1024 && size % 1024 == 0 ? (size >> 10) + " KiB" : size + " B";
        return String.format(Locale.ROOT, "%,d x %s%s", messageCount(message), bytes,
                s.text ? " text" : s.fragments > 1 ? " in " + s.fragments + " frames" : "");
    }

    private Shape shape;
    private int count;
    /** The messages the buffer carries, in order. */
    private byte[][] sent;
    private ByteBuffer stream;
    private byte[] streamBytes;
    private ByteBuf nettyStream;

    private Blackhole bh;
    /** Set only while setup checks the stacks; null while measuring. */
    private List<byte[]> recorded;

    private FrameDecoder tether;

    private ParseBench.NettyDecoder nettyDecoder;
    private EmbeddedChannel nettyChannel;
    private ChannelHandlerContext nettyCtx;
    private final List<Object> nettyOut = new ArrayList<>();

    private Parser jetty;
    private MessageSink jettyBinary;
    private MessageSink jettyText;
    private MessageSink jettyActive;

    private Buffer okSource;
    private WebSocketReader okReader;

    /** Where every stack's application code puts a message: the consumer, or the recorder. */
    private void take(Object message) {
        if (recorded != null) {
            recorded.add(bytesOf(message));
        } else {
            bh.consume(message);
        }
    }

    private static byte[] bytesOf(Object message) {
        return switch (message) {
            case ByteBuffer b -> {
                byte[] out = new byte[b.remaining()];
                b.duplicate().get(out);
                yield out;
            }
            case ByteBuf b -> ByteBufUtil.getBytes(b);
            case ByteString s -> s.toByteArray();
            case String s -> s.getBytes(StandardCharsets.UTF_8);
            default -> throw new IllegalArgumentException(message.getClass().getName());
        };
    }

    /** A JSON-like text of exactly {@code length} bytes, ASCII keys and Chinese values. */
    static byte[] text(int length, int seq) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"seq\":").append(seq).append(",\"items\":[");
        String[] words = {"敏捷的棕色狐狸", "跳过了懒狗", "消息", "temperature", "状态正常", "ok"};
        for (int i = 0; ; i++) {
            String item = (i == 0 ? "" : ",") + "{\"id\":" + i + ",\"v\":\"" + words[i % words.length] + "\"}";
            if (utf8Length(sb) + utf8Length(item) + 2 > length) {
                break;
            }
            sb.append(item);
        }
        sb.append("]}");
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) ' ');  // JSON allows trailing white space
        System.arraycopy(body, 0, out, 0, body.length);
        return out;
    }

    private static int utf8Length(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    @Setup
    public void setup(Blackhole bh) throws Throwable {
        this.bh = bh;
        shape = Shape.of(message);
        count = messageCount(message);
        Random random = new Random(15);
        sent = new byte[count][];
        int fragmentSize = shape.size / shape.fragments;
        int frameBytes = header(fragmentSize) + fragmentSize;
        stream = ByteBuffer.allocate(count * shape.fragments * frameBytes);
        for (int m = 0; m < count; m++) {
            byte[] payload;
            if (shape.text) {
                payload = text(shape.size, m);
            } else {
                payload = new byte[shape.size];
                random.nextBytes(payload);
            }
            sent[m] = payload;
            for (int f = 0; f < shape.fragments; f++) {
                int opcode = f > 0 ? Opcodes.CONTINUATION : shape.text ? Opcodes.TEXT : Opcodes.BINARY;
                boolean fin = f == shape.fragments - 1;
                stream.put((byte) ((fin ? 0x80 : 0) | opcode));
                if (fragmentSize <= 125) {
                    stream.put((byte) fragmentSize);
                } else if (fragmentSize <= 0xFFFF) {
                    stream.put((byte) 126).putShort((short) fragmentSize);
                } else {
                    stream.put((byte) 127).putLong(fragmentSize);
                }
                stream.put(payload, f * fragmentSize, fragmentSize);
            }
        }
        stream.flip();
        streamBytes = new byte[stream.remaining()];
        stream.duplicate().get(streamBytes);
        nettyStream = Unpooled.wrappedBuffer(stream.duplicate());

        tether = new FrameDecoder(Role.CLIENT, DecoderLimits.DEFAULT, new TetherHandler());

        nettyDecoder = new ParseBench.NettyDecoder();
        nettyChannel = new EmbeddedChannel(nettyDecoder, new Utf8FrameValidator(),
                new WebSocketFrameAggregator(64 << 20), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        WebSocketFrame frame = (WebSocketFrame) msg;
                        try {
                            take(frame.content());
                        } finally {
                            frame.release();
                        }
                    }
                });
        nettyCtx = nettyChannel.pipeline().context(nettyDecoder);

        ArrayByteBufferPool pool = new ArrayByteBufferPool();
        jetty = new Parser(pool);
        CoreSession.Empty session = new CoreSession.Empty() {
            @Override
            public ByteBufferPool getByteBufferPool() {
                return pool;
            }
        };
        session.setMaxBinaryMessageSize(64 << 20);
        session.setMaxTextMessageSize(64 << 20);
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MethodHolder onBinary = MethodHolder.from(lookup.findVirtual(ParseDeliverBench.class, "jettyOnBinary",
                MethodType.methodType(void.class, ByteBuffer.class)).bindTo(this));
        MethodHolder onText = MethodHolder.from(lookup.findVirtual(ParseDeliverBench.class, "jettyOnText",
                MethodType.methodType(void.class, String.class)).bindTo(this));
        jettyBinary = new ByteBufferMessageSink(session, onBinary, true);
        jettyText = new StringMessageSink(session, onText, true);

        okSource = new Buffer();
        okReader = new WebSocketReader(true, okSource, new WebSocketReader.FrameCallback() {
            @Override
            public void onReadMessage(String text) {
                take(text);
            }

            @Override
            public void onReadMessage(ByteString bytes) {
                take(bytes);
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

        check("tether", this::tether);
        check("netty", this::netty);
        check("jetty", this::jetty);
        check("okhttp", this::okhttp);
    }

    private static int header(int length) {
        return length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
    }

    private interface Run {
        void run() throws Exception;
    }

    /** Two operations with the recorder in place: each must deliver exactly what was sent. */
    private void check(String stack, Run op) throws Exception {
        for (int pass = 0; pass < 2; pass++) {
            recorded = new ArrayList<>();
            try {
                op.run();
                if (recorded.size() != count) {
                    throw new AssertionError(stack + " delivered " + recorded.size() + " messages of " + count);
                }
                for (int i = 0; i < count; i++) {
                    if (!Arrays.equals(recorded.get(i), sent[i])) {
                        throw new AssertionError(stack + ": message " + i + " differs from the one sent");
                    }
                }
            } finally {
                recorded = null;
            }
        }
    }

    private void jettyOnBinary(ByteBuffer message) {
        take(message);
    }

    private void jettyOnText(String message) {
        take(message);
    }

    /**
     * What the engine does with the codec's calls: a whole message goes on as the view it came
     * as; a fragmented one is gathered into one array kept across messages (grown, never shrunk)
     * and handed as a buffer over it.
     */
    private final class TetherHandler implements MessageHandler {
        private ByteBuffer assembly = ByteBuffer.allocate(4096);

        @Override
        public void onWholeMessage(int opcode, ByteBuffer payload) {
            take(payload);
        }

        @Override
        public void onMessageStart(int opcode) {
            assembly.clear();
        }

        @Override
        public void onMessageData(ByteBuffer chunk) {
            if (chunk.remaining() > assembly.remaining()) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(assembly.capacity() * 2,
                        assembly.position() + chunk.remaining()));
                assembly.flip();
                assembly = bigger.put(assembly);
            }
            assembly.put(chunk);
        }

        @Override
        public void onMessageEnd() {
            take(assembly.flip());
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

    /**
     * As {@code ByteToMessageDecoder.channelRead} does after each frame it decodes: fire it down
     * the pipeline; once the read is done, {@code channelReadComplete}.
     */
    @Benchmark
    public void netty() throws Exception {
        ByteBuf in = nettyStream;
        in.readerIndex(0);
        List<Object> out = nettyOut;
        while (in.isReadable()) {
            nettyDecoder.decodeNow(nettyCtx, in, out);
            for (int i = 0; i < out.size(); i++) {
                nettyCtx.fireChannelRead(out.get(i));
            }
            out.clear();
        }
        nettyCtx.fireChannelReadComplete();
    }

    /**
     * As Jetty's frame handler routes data frames: TEXT and BINARY pick the sink of their type,
     * a continuation goes to the sink of the message it continues. The sinks here complete their
     * callback before they return, so the frame is closed right after (as its callback would).
     */
    @Benchmark
    public void jetty() {
        stream.rewind();
        Frame.Parsed f;
        while ((f = jetty.parse(stream)) != null) {
            switch (f.getOpCode()) {
                case OpCode.TEXT -> jettyActive = jettyText;
                case OpCode.BINARY -> jettyActive = jettyBinary;
                default -> {
                }
            }
            jettyActive.accept(f, Callback.NOOP);
            f.close();
        }
    }

    /** As in {@link ParseBench}: the input is copied into the okio Buffer the reader drains. */
    @Benchmark
    public void okhttp() throws Exception {
        okSource.write(streamBytes);
        for (int i = 0; i < count; i++) {
            okReader.processNextFrame();
        }
    }
}
