package dev.tether.ws.testing;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import org.xnio.Pooled;

/**
 * Undertow's WebSocket server (its core API, on XNIO) on 127.0.0.1, with the {@code /echo} and
 * {@code /close} resources of {@link EchoServer}; other paths are answered 404. Undertow joins
 * fragments into whole messages and answers pings and closes itself; its message limits, unbounded
 * by default, are set to {@link #MAX_MESSAGE_SIZE}.
 */
public final class UndertowEchoServer implements EchoServer {
    private final CloseLog log = new CloseLog("Undertow");
    private final Undertow server;

    /** Starts the server on a free port, without permessage-deflate. */
    public UndertowEchoServer() {
        this(false);
    }

    /** Starts the server on a free port; with {@code compression}, Undertow answers permessage-deflate offers. */
    public UndertowEchoServer(boolean compression) {
        server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(Handlers.path()
                        .addExactPath("/echo", upgrade(connected(false), compression))
                        .addExactPath("/close", upgrade(connected(true), compression)))
                .build();
        server.start();
    }

    private static io.undertow.websockets.WebSocketProtocolHandshakeHandler upgrade(
            io.undertow.websockets.WebSocketConnectionCallback callback, boolean compression) {
        io.undertow.websockets.WebSocketProtocolHandshakeHandler handler = Handlers.websocket(callback);
        if (compression) {
            handler.addExtension(new io.undertow.websockets.extensions.PerMessageDeflateHandshake());
        }
        return handler;
    }

    @Override
    public String name() {
        return "undertow";
    }

    @Override
    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
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
        server.stop();
    }

    private WebSocketConnectionCallback connected(boolean closing) {
        return (WebSocketHttpExchange exchange, WebSocketChannel channel) -> {
            String resource = exchange.getRequestURI();  // with the query, when there is one
            Listener listener = new Listener(log, resource);
            if (closing) {
                Map<String, List<String>> params = exchange.getRequestParameters();
                int code = Integer.parseInt(first(params, "code", "1000"));
                String reason = first(params, "reason", "");
                if (first(params, "after", "message").equals("open")) {
                    WebSockets.sendClose(code, reason, channel, null);
                } else {
                    listener.closeOnMessage(code, reason);
                }
            }
            channel.getReceiveSetter().set(listener);
            channel.resumeReceives();
        };
    }

    private static String first(Map<String, List<String>> params, String name, String fallback) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? fallback : values.get(0);
    }

    /** One per connection; Undertow calls it for one connection at a time, in order. */
    private static final class Listener extends AbstractReceiveListener {
        private final CloseLog log;
        private final String resource;
        private volatile int closeCode = -1;
        private volatile String closeReason;

        Listener(CloseLog log, String resource) {
            this.log = log;
            this.resource = resource;
        }

        void closeOnMessage(int code, String reason) {
            closeReason = reason;
            closeCode = code;
        }

        @Override
        protected long getMaxTextBufferSize() {
            return MAX_MESSAGE_SIZE;
        }

        @Override
        protected long getMaxBinaryBufferSize() {
            return MAX_MESSAGE_SIZE;
        }

        @Override
        protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
            if (!closedOnThis(channel)) {
                WebSockets.sendText(message.getData(), channel, null);
            }
        }

        @Override
        @SuppressWarnings("deprecation")  // Undertow hands the message out as XNIO's deprecated Pooled
        protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            // The message's buffers go back to Undertow's pool: echo a copy.
            ByteBuffer copy;
            try (Pooled<ByteBuffer[]> data = message.getData()) {
                copy = WebSockets.mergeBuffers(data.getResource());
            }
            if (!closedOnThis(channel)) {
                WebSockets.sendBinary(copy, channel, null);
            }
        }

        private boolean closedOnThis(WebSocketChannel channel) {
            if (closeCode < 0) {
                return false;
            }
            WebSockets.sendClose(closeCode, closeReason, channel, null);
            return true;
        }

        /**
         * Called with each received close; Undertow then answers it with the same code. Undertow
         * reads a close frame without a payload as 1000, not 1005.
         */
        @Override
        protected void onCloseMessage(CloseMessage close, WebSocketChannel channel) {
            log.close(resource, close.getCode(), close.getReason());
        }

        @Override
        protected void onError(WebSocketChannel channel, Throwable error) {
            log.error(error);
            super.onError(channel, error);
        }
    }
}
