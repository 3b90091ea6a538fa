package dev.tether.ws.bench.e2e;

import dev.tether.ws.testing.SelfSignedTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.DeflateFrameServerExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * The peer of the end-to-end run: Netty 4.2's WebSocket server on 127.0.0.1 with the pipeline
 * of ws-testkit's {@code NettyEchoServer} (frames and messages up to {@value #MAX_MESSAGE_SIZE}
 * bytes, fragments joined), on three ports that differ only in what wraps the WebSocket:
 *
 * <ul>
 *   <li>{@link #port()}: plain TCP;</li>
 *   <li>{@link #tlsPort()}: TLS 1.3 only, the JDK's default provider, a self-signed certificate
 *       for {@code localhost} and 127.0.0.1 made at start ({@link SelfSignedTls}), its PEM at
 *       {@link #caPem()} for the clients to trust;</li>
 *   <li>{@link #deflatePort()}: plain TCP with permessage-deflate (Netty's
 *       {@link WebSocketServerCompressionHandler} with its defaults, but granting
 *       {@code server_no_context_takeover} when asked: see {@link #compressionHandler()}).</li>
 * </ul>
 *
 * Resources, on every port: {@code /echo} sends every whole message back as the same type;
 * {@code /push?hz=20&size=256} sends a binary message of {@code size} bytes {@code hz} times per
 * second from a timer on the connection's event loop (first one at a random phase, so that many
 * connections spread over the period), each starting with {@link System#nanoTime()} read just
 * before the write (8 bytes, big-endian); a connection that is not writable (the client is
 * behind) skips a tick rather than queueing. What a client sends on {@code /push} is dropped.
 */
final class BenchServer implements AutoCloseable {
    static final int MAX_MESSAGE_SIZE = 32 << 20;

    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    /** Two, as the machine the figures come from has two cores; shared by the three ports. */
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final SelfSignedTls certificate;
    private final Channel plain;
    private final Channel tls;
    private final Channel deflate;

    /** Starts all three ports; the certificate's files go to {@code certDir}. */
    BenchServer(Path certDir) throws Exception {
        try {
            certificate = SelfSignedTls.create(certDir, "localhost");
            plain = bind(null, false);
            tls = bind(certificate.serverContext(), false);
            deflate = bind(null, true);
        } catch (Exception | Error e) {
            shutdown();
            throw e;
        }
    }

    int port() {
        return port(plain);
    }

    int tlsPort() {
        return port(tls);
    }

    int deflatePort() {
        return port(deflate);
    }

    /** The server's certificate, PEM: the one trust anchor of every client's wss connections. */
    Path caPem() {
        return certificate.certificatePem();
    }

    private static int port(Channel c) {
        return ((InetSocketAddress) c.localAddress()).getPort();
    }

    private Channel bind(SSLContext ssl, boolean compression) throws InterruptedException {
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(MAX_MESSAGE_SIZE)
                        .allowExtensions(compression)
                        .build())
                .build();
        return new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) {
                            SSLEngine engine = ssl.createSSLEngine();
                            engine.setUseClientMode(false);
                            engine.setEnabledProtocols(new String[] {"TLSv1.3"});
                            p.addLast(new SslHandler(engine));
                        }
                        p.addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024));
                        if (compression) {
                            p.addLast(compressionHandler());
                        }
                        p.addLast(new WebSocketServerProtocolHandler(config),
                                new WebSocketFrameAggregator(MAX_MESSAGE_SIZE),
                                new Handler());
                    }
                })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
    }

    /**
     * Netty's {@link WebSocketServerCompressionHandler} with one change: it grants
     * {@code server_no_context_takeover} when a client asks for it. Java-WebSocket's client
     * always asks for it (and for {@code client_no_context_takeover}), and Netty's default
     * declines the whole offer then. Clients that do not ask get context takeover both ways.
     */
    private static WebSocketServerExtensionHandler compressionHandler() {
        return new WebSocketServerExtensionHandler(
                new PerMessageDeflateServerExtensionHandshaker(6, ZlibCodecFactory.isSupportingWindowSizeAndMemLevel(),
                        PerMessageDeflateServerExtensionHandshaker.MAX_WINDOW_SIZE, true, false, MAX_MESSAGE_SIZE),
                new DeflateFrameServerExtensionHandshaker(6, MAX_MESSAGE_SIZE));
    }

    @Override
    public void close() {
        for (Channel c : new Channel[] {plain, tls, deflate}) {
            if (c != null) {
                c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
        shutdown();
    }

    private void shutdown() {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** One per connection, on its event loop: echoes, or pushes on {@code /push}. */
    private static final class Handler extends SimpleChannelInboundHandler<WebSocketFrame> {
        /** The push timer of a {@code /push} connection; confined to the channel's event loop. */
        private ScheduledFuture<?> push;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (!(event instanceof WebSocketServerProtocolHandler.HandshakeComplete done)) {
                super.userEventTriggered(ctx, event);
                return;
            }
            QueryStringDecoder uri = new QueryStringDecoder(done.requestUri());
            if (!uri.path().equals("/push")) {
                return;
            }
            int hz = Integer.parseInt(first(uri, "hz", "20"));
            int size = Math.max(8, Integer.parseInt(first(uri, "size", "256")));
            long period = TimeUnit.SECONDS.toNanos(1) / hz;
            push = ctx.executor().scheduleAtFixedRate(() -> push(ctx, size),
                    ThreadLocalRandom.current().nextLong(period), period, TimeUnit.NANOSECONDS);
        }

        private static String first(QueryStringDecoder uri, String name, String fallback) {
            List<String> values = uri.parameters().get(name);
            return values == null || values.isEmpty() ? fallback : values.get(0);
        }

        private static void push(ChannelHandlerContext ctx, int size) {
            if (!ctx.channel().isWritable()) {
                return;  // the client is behind: skipping shows as fewer messages delivered
            }
            ByteBuf b = ctx.alloc().buffer(size);
            b.writeLong(System.nanoTime());
            b.writeZero(size - Long.BYTES);
            ctx.writeAndFlush(new BinaryWebSocketFrame(b));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (push == null) {
                // Aggregated, so a whole text or binary message: back as the same type.
                ctx.writeAndFlush(frame.retain());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (push != null) {
                push.cancel(false);
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();  // a client that went away; nothing to record in a benchmark
        }
    }
}
