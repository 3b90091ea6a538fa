package dev.tether.ws.testing;

import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The echo of the Jetty test peers: each message back as the same type. Public: Jetty finds
 * listener methods through public lookups. AutoDemanding: Jetty asks for the next frame once a
 * handler returns (for binary, once its callback completes, which here is when the echo has been
 * written, so the buffer is not recycled under the echo).
 */
public class JettyEcho implements Session.Listener.AutoDemanding {
    /** Set on open by Jetty, read on Jetty's threads afterwards. */
    protected volatile Session session;

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String message) {
        session.sendText(message, Callback.NOOP);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        session.sendBinary(payload, Callback.from(callback::succeed, callback::fail));
    }
}
