package dev.tether.ws;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR: a connection that was open has ended. Off unless a recording enables it. */
@Name("dev.tether.ws.Close")
@Label("WebSocket Close")
@Category({"Tether", "WebSocket"})
@Description("An open connection ended: its close code and reason, and who started the close")
@StackTrace(false)
final class CloseEvent extends jdk.jfr.Event {
    @Label("URL")
    String url;
    @Label("Code")
    int code;
    @Label("Reason")
    String reason;
    @Label("Initiator")
    @Description("client, server, or none: the connection was lost or failed without a close handshake")
    String initiator;

    static void emit(String url, int code, String reason, String initiator) {
        CloseEvent e = new CloseEvent();
        if (e.shouldCommit()) {
            e.url = url;
            e.code = code;
            e.reason = reason;
            e.initiator = initiator;
            e.commit();
        }
    }
}
