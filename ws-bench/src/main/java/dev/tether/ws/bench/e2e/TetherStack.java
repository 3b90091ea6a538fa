package dev.tether.ws.bench.e2e;

import dev.tether.ws.Event;
import dev.tether.ws.TlsOptions;
import dev.tether.ws.WebSocket;
import java.net.URI;

/**
 * Tether through its public API, on the named transport: {@code tls(TlsOptions.caCert(pem))}
 * for wss (the PEM read by ws-tls), {@code compression(true)} for permessage-deflate (its
 * default offer: context takeover both ways, messages of 64 B and more compressed). The
 * handler never blocks, so it runs inline ({@code inlineHandlers(true)}, as the builder's
 * documentation advises for such handlers), except in the "queued" variant, which keeps the
 * default: handlers on the connection's own handler thread.
 */
final class TetherStack extends Client {
    private final String transport;
    private final boolean inline;
    private WebSocket ws;

    TetherStack(String transport, boolean inline) {
        this.transport = transport;
        this.inline = inline;
    }

    @Override
    String name() {
        return "tether-" + transport + (inline ? "" : "-queued");
    }

    @Override
    void connect(URI uri, Options options) {
        WebSocket.Builder b = WebSocket.builder(uri.toString()).transport(transport).maxMessageSize(Clients.MAX)
                .inlineHandlers(inline);
        if (options.trust() != null) {
            b.tls(TlsOptions.defaults().caCert(options.trust().pem()));
        }
        if (options.deflate()) {
            b.compression(true);
        }
        ws = b.build();
        ws.on(Event.MESSAGE, m -> {
            if (m.isText()) {
                m.text();  // every stack hands the application a String
                onReply();
            } else {
                onBinary(m.buffer());
            }
        });
        if (!ws.connect(10_000)) {
            throw new IllegalStateException("tether did not connect: " + ws.lastError());
        }
        requireDeflate(options, ws.extensions().stream().anyMatch(e -> e.name().equals("permessage-deflate")), name());
    }

    @Override
    void send(byte[] message) {
        if (!ws.send(message)) {
            throw new IllegalStateException("tether send failed: " + ws.lastError());
        }
    }

    @Override
    void sendText(String message) {
        if (!ws.send(message)) {
            throw new IllegalStateException("tether send failed: " + ws.lastError());
        }
    }

    @Override
    public void close() {
        ws.close();
    }
}
