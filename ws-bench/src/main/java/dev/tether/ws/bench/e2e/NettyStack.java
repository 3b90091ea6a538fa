package dev.tether.ws.bench.e2e;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.handler.ssl.SslHandler;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Netty 4.2's WebSocket client pipeline: for wss an {@link SslHandler} over an engine of the
 * SSLContext (host name checked, as Netty leaves to the engine's parameters); for
 * permessage-deflate a {@link WebSocketClientCompressionHandler} (its default offer) with
 * extensions allowed in the decoder. Text messages are decoded to a String, as every other stack
 * hands them over.
 */
final class NettyStack extends Client {
    private final EventLoopGroup shared;
    private EventLoopGroup group;
    private Channel channel;
    /** The server's Sec-WebSocket-Extensions answer, seen on the channel's event loop before the open. */
    private volatile String extensions;

    NettyStack() {
        this(null);
    }

    NettyStack(EventLoopGroup shared) {
        this.shared = shared;
    }

    @Override
    String name() {
        return "netty";
    }

    @Override
    void connect(URI uri, Options options) throws Exception {
        group = shared != null ? shared : new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        CountDownLatch open = new CountDownLatch(1);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri).maxFramePayloadLength(Clients.MAX).allowExtensions(options.deflate()).build();
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (options.trust() != null) {
                            SSLEngine engine = options.trust().context().createSSLEngine(uri.getHost(), uri.getPort());
                            engine.setUseClientMode(true);
                            SSLParameters params = engine.getSSLParameters();
                            params.setEndpointIdentificationAlgorithm("HTTPS");
                            engine.setSSLParameters(params);
                            p.addLast(new SslHandler(engine));
                        }
                        p.addLast(new HttpClientCodec(), new HttpObjectAggregator(65536), new ExtensionsSeen());
                        if (options.deflate()) {
                            p.addLast(new WebSocketClientCompressionHandler(Clients.MAX));
                        }
                        p.addLast(new WebSocketClientProtocolHandler(config),
                                new WebSocketFrameAggregator(Clients.MAX),
                                new SimpleChannelInboundHandler<WebSocketFrame>() {
                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                                            open.countDown();
                                        }
                                        ctx.fireUserEventTriggered(evt);
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) {
                                        if (f instanceof TextWebSocketFrame t) {
                                            t.text();
                                            onReply();
                                        } else if (f instanceof BinaryWebSocketFrame) {
                                            onBinary(f.content().nioBuffer());
                                        }
                                    }
                                });
                    }
                })
                .connect(uri.getHost(), uri.getPort()).sync().channel();
        if (!open.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("netty handshake did not complete");
        }
        requireDeflate(options, extensions != null && extensions.contains("permessage-deflate"), name());
    }

    /** Notes the handshake response's extensions header and passes everything on. */
    private final class ExtensionsSeen extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpResponse r) {
                extensions = r.headers().get("Sec-WebSocket-Extensions");
                ctx.pipeline().remove(this);
            }
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    void send(byte[] message) {
        ByteBuf b = Unpooled.wrappedBuffer(message);
        channel.writeAndFlush(new BinaryWebSocketFrame(b));
    }

    @Override
    void sendText(String message) {
        channel.writeAndFlush(new TextWebSocketFrame(message));
    }

    @Override
    public void close() throws Exception {
        channel.close().sync();
        if (shared == null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
