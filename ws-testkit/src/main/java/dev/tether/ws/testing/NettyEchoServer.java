package dev.tether.ws.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2's WebSocket server ({@link WebSocketServerProtocolHandler}) on 127.0.0.1, with the
 * {@code /echo} and {@code /close} resources of {@link EchoServer}; other paths are answered 404.
 *
 * <p>Netty caps a frame at 64 KiB by default and hands fragments to the application one by one;
 * here frames and messages may reach {@link #MAX_MESSAGE_SIZE}, and a {@link
 * WebSocketFrameAggregator} joins fragments so that a fragmented message is echoed whole. Netty
 * answers pings itself. Close frames are handled here rather than by Netty, to record them.
 */
public final class NettyEchoServer implements EchoServer {
    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final CloseLog log = new CloseLog("Netty");
    private final Channel listener;

    /** Starts the server on a free port, without permessage-deflate. */
    public NettyEchoServer() throws InterruptedException {
        this(false);
    }

    /**
     * Starts the server on a free port; with {@code compression}, Netty's permessage-deflate
     * handler answers offers (RFC 7692) with its defaults.
     */
    public NettyEchoServer(boolean compression) throws InterruptedException {
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                // Every path upgrades; PathFilter has already refused the unknown ones.
                .websocketPath("/")
                .checkStartsWith(true)
                // Close frames reach EchoHandler, which records and answers them.
                .handleCloseFrames(false)
                // No close frame of Netty's own when the channel closes: only EchoHandler's.
                .sendCloseFrame(null)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(MAX_MESSAGE_SIZE)
                        .allowExtensions(compression)
                        .build())
                .build();
        try {
            listener = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(
                                    new HttpServerCodec(),
                                    new HttpObjectAggregator(64 * 1024),
                                    new PathFilter());
                            if (compression) {
                                ch.pipeline().addLast(new WebSocketServerCompressionHandler(MAX_MESSAGE_SIZE));
                            }
                            ch.pipeline().addLast(
                                    new WebSocketServerProtocolHandler(config),
                                    new WebSocketFrameAggregator(MAX_MESSAGE_SIZE),
                                    new EchoHandler(log));
                        }
                    })
                    .bind("127.0.0.1", 0)
                    .sync()
                    .channel();
        } catch (InterruptedException | RuntimeException e) {
            shutdown();
            throw e;
        }
    }

    @Override
    public String name() {
        return "netty";
    }

    @Override
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public CloseSeen awaitClose(String resource, Duration wait) throws InterruptedException {
        return log.awaitClose(resource, wait);
    }

    @Override
    public BlockingQueue<Throwable> errors() {
        return log.errors;
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdown();
    }

    private void shutdown() {
        // No quiet period: the tests are done with the server; connections still open are cut.
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Answers 404 to requests for anything but {@code /echo} and {@code /close}, as Jetty does. */
    private static final class PathFilter extends SimpleChannelInboundHandler<FullHttpRequest> {
        PathFilter() {
            super(false);  // a passed-on request is released further down the pipeline
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = new QueryStringDecoder(request.uri()).path();
            if (path.equals("/echo") || path.equals("/close")) {
                ctx.fireChannelRead(request);
                return;
            }
            request.release();
            DefaultFullHttpResponse notFound = new DefaultFullHttpResponse(
                    request.protocolVersion(), HttpResponseStatus.NOT_FOUND);
            HttpUtil.setContentLength(notFound, 0);
            ctx.writeAndFlush(notFound).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * One per connection, on the connection's event loop: echoes whole messages, records and
     * answers close frames, and on {@code /close} starts the close handshake.
     */
    private static final class EchoHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final CloseLog log;
        // Confined to the channel's event loop.
        private String resource = "?";
        /** For {@code /close} without {@code after=open}: the close to answer the first message with. */
        private int closeCode = -1;
        private String closeReason;
        private boolean closeSent;

        EchoHandler(CloseLog log) {
            this.log = log;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (!(event instanceof WebSocketServerProtocolHandler.HandshakeComplete done)) {
                super.userEventTriggered(ctx, event);
                return;
            }
            resource = done.requestUri();
            QueryStringDecoder uri = new QueryStringDecoder(resource);
            if (!uri.path().equals("/close")) {
                return;
            }
            int code = Integer.parseInt(first(uri, "code", "1000"));
            String reason = first(uri, "reason", "");
            if (first(uri, "after", "message").equals("open")) {
                sendClose(ctx, new CloseWebSocketFrame(code, reason));
            } else {
                closeCode = code;
                closeReason = reason;
            }
        }

        private static String first(QueryStringDecoder uri, String name, String fallback) {
            List<String> values = uri.parameters().get(name);
            return values == null || values.isEmpty() ? fallback : values.get(0);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame close) {
                int code = close.statusCode();
                log.close(resource, code < 0 ? 1005 : code, close.reasonText());
                if (closeSent) {
                    ctx.close();  // the handshake is complete: the server closes TCP first
                } else {
                    // Answer with the same payload (RFC 6455 section 5.5.1), then close TCP.
                    closeSent = true;
                    ctx.writeAndFlush(close.retain()).addListener(ChannelFutureListener.CLOSE);
                }
                return;
            }
            if (closeSent) {
                return;  // after our close, data is discarded (section 1.4)
            }
            if (closeCode >= 0) {
                sendClose(ctx, new CloseWebSocketFrame(closeCode, closeReason));
                return;
            }
            // Aggregated, so this is a whole text or binary message: back as the same type.
            ctx.writeAndFlush(frame.retain());
        }

        private void sendClose(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
            closeSent = true;
            ctx.writeAndFlush(close);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.error(cause);
            ctx.close();
        }
    }
}
