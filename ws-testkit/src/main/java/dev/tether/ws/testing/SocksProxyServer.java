package dev.tether.ws.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.socksx.SocksMessage;
import io.netty.handler.codec.socksx.SocksPortUnificationServerHandler;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5PasswordAuthResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequest;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthStatus;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A SOCKS5 proxy (RFC 1928) on 127.0.0.1, built from Netty's SOCKS codec as Netty's own
 * {@code socksproxy} example is: {@link SocksPortUnificationServerHandler} detects the version,
 * Netty's decoders and encoders handle every message, and this class only decides (the
 * authentication method, whether the RFC 1929 username and password match) and then relays
 * bytes both ways. SOCKS4 requests are refused. It records what each CONNECT asked for and
 * counts the tunnels it opened, so a test can tell the traffic really went through it.
 */
public final class SocksProxyServer implements AutoCloseable {
    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Channel listener;
    /** Null for a proxy that requires no authentication. */
    private final String username;
    private final String password;
    private final AtomicInteger tunnels = new AtomicInteger();
    private final AtomicInteger refusedLogins = new AtomicInteger();
    private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();

    /** A proxy that requires no authentication. */
    public SocksProxyServer() throws InterruptedException {
        this(null, null);
    }

    /** A proxy that requires username/password authentication (RFC 1929) with these. */
    public SocksProxyServer(String username, String password) throws InterruptedException {
        this.username = username;
        this.password = password;
        try {
            listener = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new SocksPortUnificationServerHandler(), new Negotiation());
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

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Tunnels opened: CONNECT requests that reached their server. */
    public int tunnelsOpened() {
        return tunnels.get();
    }

    /** Username/password logins refused. */
    public int refusedLogins() {
        return refusedLogins.get();
    }

    /**
     * What each CONNECT asked for, in order, as {@code TYPE host:port}: {@code DOMAIN localhost:8080}
     * when the client sent a name, {@code IPv4 127.0.0.1:8080} when it sent an address.
     */
    public BlockingQueue<String> requests() {
        return requests;
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdown();
    }

    private void shutdown() {
        // No quiet period: the tests are done; tunnels still open are cut.
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** The SOCKS5 conversation up to CONNECT; one per connection. */
    private final class Negotiation extends SimpleChannelInboundHandler<SocksMessage> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, SocksMessage message) {
            if (message instanceof Socks5InitialRequest initial) {
                if (username == null) {
                    ctx.pipeline().addFirst(new Socks5CommandRequestDecoder());
                    ctx.write(new DefaultSocks5InitialResponse(Socks5AuthMethod.NO_AUTH));
                } else if (initial.authMethods().contains(Socks5AuthMethod.PASSWORD)) {
                    ctx.pipeline().addFirst(new Socks5PasswordAuthRequestDecoder());
                    ctx.write(new DefaultSocks5InitialResponse(Socks5AuthMethod.PASSWORD));
                } else {
                    ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            } else if (message instanceof Socks5PasswordAuthRequest login) {
                if (username.equals(login.username()) && password.equals(login.password())) {
                    ctx.pipeline().addFirst(new Socks5CommandRequestDecoder());
                    ctx.write(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.SUCCESS));
                } else {
                    refusedLogins.incrementAndGet();
                    ctx.writeAndFlush(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.FAILURE))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            } else if (message instanceof Socks5CommandRequest request && request.type() == Socks5CommandType.CONNECT) {
                requests.add(typeName(request.dstAddrType()) + " " + request.dstAddr() + ":" + request.dstPort());
                ctx.pipeline().remove(this);
                connect(ctx, request);
            } else {
                ctx.close();  // SOCKS4, BIND, UDP ASSOCIATE: not offered here
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** RFC 1928 section 5's ATYP by name (Netty's toString adds the number). */
    private static String typeName(Socks5AddressType type) {
        if (type.equals(Socks5AddressType.IPv4)) {
            return "IPv4";
        }
        return type.equals(Socks5AddressType.DOMAIN) ? "DOMAIN" : type.equals(Socks5AddressType.IPv6) ? "IPv6" : type.toString();
    }

    /** Connects to the server; on success answers SUCCEEDED and relays, else CONNECTION_REFUSED. */
    private void connect(ChannelHandlerContext ctx, Socks5CommandRequest request) {
        Channel client = ctx.channel();
        client.config().setAutoRead(false);  // nothing more from the client until the server is there
        new Bootstrap()
                .group(client.eventLoop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .handler(new Relay(client))
                .connect(request.dstAddr(), request.dstPort())
                .addListener((ChannelFutureListener) connected -> {
                    if (!connected.isSuccess()) {
                        client.writeAndFlush(new DefaultSocks5CommandResponse(Socks5CommandStatus.CONNECTION_REFUSED,
                                request.dstAddrType())).addListener(ChannelFutureListener.CLOSE);
                        return;
                    }
                    Channel server = connected.channel();
                    client.writeAndFlush(new DefaultSocks5CommandResponse(Socks5CommandStatus.SUCCESS,
                            request.dstAddrType(), request.dstAddr(), request.dstPort())).addListener(sent -> {
                                if (sent.isSuccess()) {
                                    tunnels.incrementAndGet();
                                    client.pipeline().addLast(new Relay(server));
                                    client.config().setAutoRead(true);
                                } else {
                                    server.close();
                                }
                            });
                });
    }

    /** Copies what one side reads to the other; closes the other when one ends. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel peer;

        Relay(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (peer.isActive()) {
                peer.writeAndFlush(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (peer.isActive()) {
                peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
