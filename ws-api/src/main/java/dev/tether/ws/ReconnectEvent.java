package dev.tether.ws;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** JFR: {@code start} waits before its next connect. Off unless a recording enables it. */
@Name("dev.tether.ws.Reconnect")
@Label("WebSocket Reconnect")
@Category({"Tether", "WebSocket"})
@Description("start() waits before connecting again")
@StackTrace(false)
final class ReconnectEvent extends jdk.jfr.Event {
    @Label("URL")
    String url;
    @Label("Failed Attempts")
    @Description("Connects that failed in a row before this wait (0 after a connection that was open)")
    int failures;
    @Label("Delay")
    @Timespan(Timespan.NANOSECONDS)
    long delay;

    static void emit(String url, int failures, long delayNanos) {
        ReconnectEvent e = new ReconnectEvent();
        if (e.shouldCommit()) {
            e.url = url;
            e.failures = failures;
            e.delay = delayNanos;
            e.commit();
        }
    }
}
