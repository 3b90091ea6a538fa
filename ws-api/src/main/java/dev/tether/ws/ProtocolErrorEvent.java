package dev.tether.ws;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR: the server broke RFC 6455 or RFC 7692; the connection is failed with the code. */
@Name("dev.tether.ws.ProtocolError")
@Label("WebSocket Protocol Error")
@Category({"Tether", "WebSocket"})
@Description("The server violated the protocol: the close code sent and why")
@StackTrace(false)
final class ProtocolErrorEvent extends jdk.jfr.Event {
    @Label("URL")
    String url;
    @Label("Close Code")
    int code;
    @Label("Message")
    String message;

    static void emit(String url, int code, String message) {
        ProtocolErrorEvent e = new ProtocolErrorEvent();
        if (e.shouldCommit()) {
            e.url = url;
            e.code = code;
            e.message = message;
            e.commit();
        }
    }
}
