package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.State;
import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.CodecServer;
import dev.tether.ws.testing.ServerConnection;
import dev.tether.ws.testing.ServerEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The timers are shared by every connection in the JVM: 1,000 connections whose peers never
 * answer their close all time out together, and another connection's keep-alive pings still go
 * out on time, because the timer thread only starts the work (ending a connection may wait on a
 * lock or a TLS close_notify) on virtual threads.
 */
@ParameterizedClass
@ValueSource(strings = {TransportNames.BLOCKING, TransportNames.NIO})
class TimersUnderLoadTest {
    private static final int DEAD = 1_000;

    @Parameter
    String transport;

    @Test
    void aThousandCloseTimeoutsAtOnceDoNotDelayAnotherConnectionsPings() throws Exception {
        try (CodecServer dead = CodecServer.started(); CodecServer healthy = CodecServer.started()) {
            dead.onConnect(c -> c.answerClose(false));  // the close is never answered, TCP stays up
            List<WebSocket> doomed = new ArrayList<>();
            for (int i = 0; i < DEAD; i++) {
                WebSocket ws = WebSocket.builder(dead.uri("/").toString()).transport(transport)
                        .pingInterval(Duration.ZERO).closeTimeout(Duration.ofMillis(300)).build();
                assertThat(ws.connect(Duration.ofSeconds(10))).isTrue();
                doomed.add(ws);
            }
            WebSocket pinger = WebSocket.builder(healthy.uri("/").toString()).transport(transport)
                    .pingInterval(Duration.ofMillis(100)).build();
            assertThat(pinger.connect(Duration.ofSeconds(5))).isTrue();
            ServerConnection c = healthy.nextConnection();
            c.await(ServerEvent.Ping.class, Duration.ofSeconds(5));

            AtomicBoolean watching = new AtomicBoolean(true);
            AtomicLong worstGapNanos = new AtomicLong();
            Thread watcher = Thread.ofVirtual().start(() -> {
                long last = System.nanoTime();
                while (watching.get()) {
                    try {
                        ServerEvent e = c.received().poll(50, TimeUnit.MILLISECONDS);
                        long now = System.nanoTime();
                        if (e instanceof ServerEvent.Ping) {
                            worstGapNanos.accumulateAndGet(now - last, Math::max);
                            last = now;
                        }
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            });
            List<Thread> closers = new ArrayList<>();
            long start = System.nanoTime();
            for (WebSocket ws : doomed) {
                closers.add(Thread.ofVirtual().start(ws::close));
            }
            for (Thread t : closers) {
                assertThat(t.join(Duration.ofSeconds(10))).as("close() returned").isTrue();
            }
            long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            Thread.sleep(300);
            watching.set(false);
            watcher.join();

            assertThat(doomed).allSatisfy(ws -> assertThat(ws.state()).isEqualTo(State.CLOSED));
            assertThat(closeMillis).as("all 1,000 close timeouts, ms").isLessThan(8_000);
            // Pings every 100 ms: a gap of a second means the timers were held up.
            assertThat(TimeUnit.NANOSECONDS.toMillis(worstGapNanos.get())).as("worst gap between pings, ms")
                    .isLessThan(1_000);
            assertThat(pinger.online()).isTrue();
            pinger.close();
        }
    }
}
