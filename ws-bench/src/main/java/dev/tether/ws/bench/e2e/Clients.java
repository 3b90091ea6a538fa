package dev.tether.ws.bench.e2e;

import dev.tether.ws.Event;
import dev.tether.ws.WebSocket;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * The client stacks of the end-to-end run, each used as its documentation shows. A client made
 * with no arguments owns its stack's client object (one connection, as in the end-to-end run);
 * one given a shared object ({@link #fleet}) uses it and leaves it open, as an application with
 * many connections would.
 */
public final class Clients {
    static final int MAX = 4 << 20;

    private Clients() {
    }

    static List<Supplier<Client>> all() {
        return List.of(() -> new Tether("blocking"), () -> new Tether("nio"), Jdk::new, OkHttp::new,
                JavaWebSocket::new, Jetty::new, Netty::new);
    }

    /** The names of {@link #all()}, in order, as {@link #fleet} takes them. */
    static final List<String> NAMES = List.of("tether-blocking", "tether-nio", "jdk", "okhttp", "java-websocket",
            "jetty", "netty");

    /** Many connections of one stack, sharing what that stack shares between connections. */
    interface Fleet extends AutoCloseable {
        Client newClient();

        /** Stops what the connections shared; the connections are closed first. */
        @Override
        void close() throws Exception;
    }

    /**
     * A fleet of the named stack: one {@code HttpClient} (JDK), one {@code OkHttpClient} with
     * its dispatcher's limits lifted (a WebSocket counts as a running call while it is open), one
     * started Jetty {@code WebSocketClient}, one Netty event loop group with one thread per core.
     * Tether shares its transport's loop by itself; Java-WebSocket has nothing to share (two
     * threads per connection, by design).
     */
    static Fleet fleet(String name) throws Exception {
        return switch (name) {
            case "tether-blocking", "tether-nio" -> fleetOf(() -> new Tether(name.substring("tether-".length())), () -> { });
            case "java-websocket" -> fleetOf(JavaWebSocket::new, () -> { });
            case "jdk" -> {
                HttpClient http = HttpClient.newHttpClient();
                yield fleetOf(() -> new Jdk(http), http::close);
            }
            case "okhttp" -> {
                OkHttpClient http = new OkHttpClient();
                http.dispatcher().setMaxRequests(Integer.MAX_VALUE);
                http.dispatcher().setMaxRequestsPerHost(Integer.MAX_VALUE);
                yield fleetOf(() -> new OkHttp(http), () -> OkHttp.shutdown(http));
            }
            case "jetty" -> {
                WebSocketClient client = new WebSocketClient();
                client.setMaxBinaryMessageSize(MAX);
                client.start();
                yield fleetOf(() -> new Jetty(client), client::stop);
            }
            case "netty" -> {
                EventLoopGroup group = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
                yield fleetOf(() -> new Netty(group),
                        () -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync());
            }
            default -> throw new IllegalArgumentException("no client stack '" + name + "'; one of " + NAMES);
        };
    }

    private interface Shutdown {
        void run() throws Exception;
    }

    private static Fleet fleetOf(Supplier<Client> make, Shutdown shutdown) {
        return new Fleet() {
            @Override
            public Client newClient() {
                return make.get();
            }

            @Override
            public void close() throws Exception {
                shutdown.run();
            }
        };
    }

    /** Tether through its public API, on the named transport. */
    static final class Tether extends Client {
        private final String transport;
        private WebSocket ws;

        Tether(String transport) {
            this.transport = transport;
        }

        @Override
        String name() {
            return "tether-" + transport;
        }

        @Override
        void connect(URI uri) {
            ws = WebSocket.builder(uri.toString()).transport(transport).maxMessageSize(MAX).build();
            ws.on(Event.MESSAGE, m -> onReply());
            if (!ws.connect(10_000)) {
                throw new IllegalStateException("tether did not connect: " + ws.lastError());
            }
        }

        @Override
        void send(byte[] message) {
            if (!ws.send(message)) {
                throw new IllegalStateException("tether send failed: " + ws.lastError());
            }
        }

        @Override
        public void close() {
            ws.close();
        }
    }

    /** The JDK's java.net.http.WebSocket: one send at a time (its rule), each awaited. */
    static final class Jdk extends Client implements java.net.http.WebSocket.Listener {
        private final HttpClient shared;
        private HttpClient http;
        private java.net.http.WebSocket ws;

        Jdk() {
            this(null);
        }

        Jdk(HttpClient shared) {
            this.shared = shared;
        }

        @Override
        String name() {
            return "jdk";
        }

        @Override
        void connect(URI uri) {
            http = shared != null ? shared : HttpClient.newHttpClient();
            ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, this).join();
        }

        @Override
        public CompletionStage<?> onBinary(java.net.http.WebSocket w, ByteBuffer data, boolean last) {
            if (last) {
                onReply();
            }
            w.request(1);
            return null;
        }

        @Override
        void send(byte[] message) {
            ws.sendBinary(ByteBuffer.wrap(message), true).join();
        }

        @Override
        public void close() {
            ws.sendClose(1000, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
            if (shared == null) {
                http.close();
            }
        }
    }

    static final class OkHttp extends Client {
        private final OkHttpClient shared;
        private OkHttpClient http;
        private okhttp3.WebSocket ws;

        OkHttp() {
            this(null);
        }

        OkHttp(OkHttpClient shared) {
            this.shared = shared;
        }

        static void shutdown(OkHttpClient http) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }

        @Override
        String name() {
            return "okhttp";
        }

        @Override
        void connect(URI uri) throws Exception {
            http = shared != null ? shared : new OkHttpClient();
            CompletableFuture<Void> open = new CompletableFuture<>();
            ws = http.newWebSocket(new Request.Builder().url(uri.toString().replace("ws://", "http://")).build(),
                    new WebSocketListener() {
                        @Override
                        public void onOpen(okhttp3.WebSocket w, Response r) {
                            open.complete(null);
                        }

                        @Override
                        public void onMessage(okhttp3.WebSocket w, ByteString bytes) {
                            onReply();
                        }

                        @Override
                        public void onFailure(okhttp3.WebSocket w, Throwable t, Response r) {
                            open.completeExceptionally(t);
                        }
                    });
            open.get(10, TimeUnit.SECONDS);
        }

        @Override
        void send(byte[] message) {
            if (!ws.send(ByteString.of(message))) {
                throw new IllegalStateException("okhttp refused the message");
            }
        }

        @Override
        public void close() {
            ws.close(1000, null);
            if (shared == null) {
                shutdown(http);
            }
        }
    }

    static final class JavaWebSocket extends Client {
        private org.java_websocket.client.WebSocketClient ws;

        @Override
        String name() {
            return "java-websocket";
        }

        @Override
        void connect(URI uri) throws Exception {
            ws = new org.java_websocket.client.WebSocketClient(uri) {
                @Override
                public void onOpen(ServerHandshake h) {
                }

                @Override
                public void onMessage(String text) {
                    onReply();
                }

                @Override
                public void onMessage(ByteBuffer bytes) {
                    onReply();
                }

                @Override
                public void onClose(int code, String reason, boolean remote) {
                }

                @Override
                public void onError(Exception e) {
                    e.printStackTrace();
                }
            };
            ws.setTcpNoDelay(true);
            if (!ws.connectBlocking(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("java-websocket did not connect");
            }
        }

        @Override
        void send(byte[] message) {
            ws.send(message);
        }

        @Override
        public void close() throws Exception {
            ws.closeBlocking();
        }
    }

    public static final class Jetty extends Client implements Session.Listener.AutoDemanding {
        private final WebSocketClient shared;
        private WebSocketClient client;
        private Session session;

        public Jetty() {
            this(null);
        }

        Jetty(WebSocketClient shared) {
            this.shared = shared;
        }

        @Override
        String name() {
            return "jetty";
        }

        @Override
        void connect(URI uri) throws Exception {
            client = shared;
            if (client == null) {
                client = new WebSocketClient();
                client.setMaxBinaryMessageSize(MAX);
                client.start();
            }
            session = client.connect(this, uri).get(10, TimeUnit.SECONDS);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            callback.succeed();
            onReply();
        }

        @Override
        void send(byte[] message) {
            session.sendBinary(ByteBuffer.wrap(message), Callback.NOOP);
        }

        @Override
        public void close() throws Exception {
            session.close();
            if (shared == null) {
                client.stop();
            }
        }
    }

    static final class Netty extends Client {
        private final EventLoopGroup shared;
        private EventLoopGroup group;
        private Channel channel;

        Netty() {
            this(null);
        }

        Netty(EventLoopGroup shared) {
            this.shared = shared;
        }

        @Override
        String name() {
            return "netty";
        }

        @Override
        void connect(URI uri) throws Exception {
            group = shared != null ? shared : new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            CountDownLatch open = new CountDownLatch(1);
            WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                    .webSocketUri(uri).maxFramePayloadLength(MAX).build();
            channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(io.netty.channel.ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                                    new WebSocketClientProtocolHandler(config),
                                    new WebSocketFrameAggregator(MAX),
                                    new SimpleChannelInboundHandler<BinaryWebSocketFrame>() {
                                        @Override
                                        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                                                open.countDown();
                                            }
                                            ctx.fireUserEventTriggered(evt);
                                        }

                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, BinaryWebSocketFrame f) {
                                            onReply();
                                        }
                                    });
                        }
                    })
                    .connect(uri.getHost(), uri.getPort()).sync().channel();
            if (!open.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("netty handshake did not complete");
            }
        }

        @Override
        void send(byte[] message) {
            ByteBuf b = Unpooled.wrappedBuffer(message);
            channel.writeAndFlush(new BinaryWebSocketFrame(b));
        }

        @Override
        public void close() throws Exception {
            channel.close().sync();
            if (shared == null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        }
    }
}
