package dev.tether.ws;

import dev.tether.ws.spi.ConnectTrace;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR: one connect, whole (the event's duration) and step by step. Off unless a recording
 * enables {@code dev.tether.ws.Connect}; then it costs one small object per connect.
 */
@Name("dev.tether.ws.Connect")
@Label("WebSocket Connect")
@Category({"Tether", "WebSocket"})
@Description("A connect: name resolution, TCP, TLS and the opening handshake")
@StackTrace(false)
final class ConnectEvent extends jdk.jfr.Event {
    @Label("URL")
    String url;
    @Label("Transport")
    String transport;
    @Label("Succeeded")
    boolean succeeded;
    @Label("Failure")
    String failure;
    @Label("DNS")
    @Timespan(Timespan.NANOSECONDS)
    long dns;
    @Label("TCP")
    @Timespan(Timespan.NANOSECONDS)
    long tcp;
    @Label("TLS")
    @Timespan(Timespan.NANOSECONDS)
    long tls;
    @Label("Upgrade")
    @Description("From the transport's connection to the server's 101 checked")
    @Timespan(Timespan.NANOSECONDS)
    long upgrade;

    /**
     * Ends and commits the event if a recording wants it.
     *
     * @param transportDone whether the transport's part (DNS, TCP, TLS) finished, so that the
     *     rest of the time was the upgrade
     * @param failure null when the connect succeeded
     */
    void finish(Config config, ConnectTrace trace, boolean transportDone, Exception failure) {
        long now = System.nanoTime();  // before end(): the steps stay within the event's duration
        end();
        if (!shouldCommit()) {
            return;
        }
        url = config.url().text();
        transport = config.transport().name();
        succeeded = failure == null;
        this.failure = failure == null ? null : String.valueOf(failure.getMessage());
        dns = trace.dnsNanos();
        tcp = trace.tcpNanos();
        tls = trace.tlsNanos();
        upgrade = transportDone ? Math.max(0, now - trace.transportDoneNanos()) : 0;
        commit();
    }
}
