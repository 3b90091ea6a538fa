package dev.tether.ws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ws.Event;
import dev.tether.ws.WebSocket;
import dev.tether.ws.testing.JettyEchoServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a 64 B round trip costs on the heap in the steady state, on the threads Tether controls:
 * {@code send(byte[])} on the sending thread, and on the NIO event loop the read, the decoder,
 * reassembly and delivery of a lent message to an inline MESSAGE handler. Against Jetty over
 * 127.0.0.1, measured with HotSpot's per-thread allocation counters after a warm-up that lets
 * the JIT settle. A slice, a duplicate, a capturing lambda or a queue node per message is 16 to
 * 64 bytes, so the bound below catches any one of them coming back; the lent {@code Message}
 * itself (40 B, when the JIT does not remove it) stays under it.
 *
 * <p>The test's own side allocates nothing per message: the handler only counts and unparks,
 * and the sender parks until its echo is in. Allocation is not speed: this is a count of bytes,
 * not a timing.
 */
class SteadyStateAllocationTest {
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 20_000;
    /** Bytes per round trip, sending thread and event loop together. */
    private static final double BOUND = 64;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private JettyEchoServer jetty;
    private WebSocket ws;

    @BeforeEach
    void start() throws Exception {
        jetty = new JettyEchoServer();
    }

    @AfterEach
    void stop() {
        if (ws != null) {
            ws.close();
        }
        jetty.close();
    }

    @Test
    void aRoundTripThroughAnInlineHandlerOnNioAllocatesUnder64BytesOnTetherThreads() throws Exception {
        assertThat(THREADS.isThreadAllocatedMemorySupported()).isTrue();
        THREADS.setThreadAllocatedMemoryEnabled(true);
        AtomicInteger echoes = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        AtomicReference<Thread> reader = new AtomicReference<>();
        Thread sender = Thread.currentThread();
        ws = WebSocket.builder("ws://127.0.0.1:" + jetty.port() + "/echo").transport(TransportNames.NIO)
                .inlineHandlers(true).closeTimeout(Duration.ofSeconds(2)).build();
        ws.on(Event.MESSAGE, m -> {
            if (reader.get() == null) {
                reader.set(Thread.currentThread());
            }
            if (m.size() != 64 || !m.isLent()) {
                wrong.incrementAndGet();
            }
            echoes.incrementAndGet();
            LockSupport.unpark(sender);
        });
        assertThat(ws.connect(10_000)).isTrue();
        byte[] message = new byte[64];

        roundTrips(message, echoes, WARM_UP);
        long loop = reader.get().threadId();
        long loopBefore = THREADS.getThreadAllocatedBytes(loop);
        long sending = roundTrips(message, echoes, MEASURED);
        long onLoop = THREADS.getThreadAllocatedBytes(loop) - loopBefore;

        assertThat(reader.get().getName()).startsWith("tether-nio");
        assertThat(echoes.get()).isEqualTo(WARM_UP + MEASURED);
        assertThat(wrong.get()).as("echoes that were not a lent 64 B message").isZero();
        double perMessage = (double) (sending + onLoop) / MEASURED;
        System.out.printf("steady state, 64 B round trip on nio with an inline handler: %.1f B sending + %.1f B on the"
                + " event loop per message%n", (double) sending / MEASURED, (double) onLoop / MEASURED);
        assertThat(perMessage)
                .as("bytes per round trip: sending %.1f, event loop %.1f", (double) sending / MEASURED,
                        (double) onLoop / MEASURED)
                .isLessThan(BOUND);
    }

    /**
     * {@code text()} of a lent text message, on the event loop: the String is all it allocates.
     * The payload sits in a direct read buffer, and String decodes UTF-8 only from an array; the
     * loop copies into an array of its own kept for that, not a new one per message.
     */
    @Test
    void textOfALentMessageOnNioAllocatesOnlyTheString() throws Exception {
        THREADS.setThreadAllocatedMemoryEnabled(true);
        AtomicInteger echoes = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        AtomicReference<Thread> reader = new AtomicReference<>();
        Thread sender = Thread.currentThread();
        String text = "{\"symbol\":\"TTHR\",\"price\":101.25,\"qty\":300}".repeat(6);  // 252 B of ASCII
        ws = WebSocket.builder("ws://127.0.0.1:" + jetty.port() + "/echo").transport(TransportNames.NIO)
                .inlineHandlers(true).closeTimeout(Duration.ofSeconds(2)).build();
        ws.on(Event.MESSAGE, m -> {
            reader.compareAndSet(null, Thread.currentThread());
            if (!m.isLent() || !m.text().equals(text)) {
                wrong.incrementAndGet();
            }
            echoes.incrementAndGet();
            LockSupport.unpark(sender);
        });
        assertThat(ws.connect(10_000)).isTrue();

        roundTrips(() -> ws.send(text), echoes, WARM_UP);
        long loop = reader.get().threadId();
        long loopBefore = THREADS.getThreadAllocatedBytes(loop);
        roundTrips(() -> ws.send(text), echoes, MEASURED);
        double onLoop = (double) (THREADS.getThreadAllocatedBytes(loop) - loopBefore) / MEASURED;

        assertThat(wrong.get()).as("echoes that were not a lent message with the text sent").isZero();
        // The String: its 252 B array (16 B header) and itself (24 B); with the lent Message
        // (40 B) and the loop's own per-read bytes under twice BOUND. A second copy of the
        // payload would add another 268 B (608 B measured with one).
        double string = 16 + text.length() + 24;
        System.out.printf("steady state, text() of a lent %d B message on the nio event loop: %.1f B per message%n",
                text.length(), onLoop);
        assertThat(onLoop).as("bytes on the event loop per message").isLessThan(string + 2 * BOUND);
    }

    /**
     * Sends n messages one at a time, each after the echo of the one before; returns the bytes
     * the sending thread allocated inside {@code send} (not while it waited).
     */
    private long roundTrips(byte[] message, AtomicInteger echoes, int n) {
        return roundTrips(() -> ws.send(message), echoes, n);
    }

    private long roundTrips(BooleanSupplier send, AtomicInteger echoes, int n) {
        long inSend = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; i < n; i++) {
            int before = echoes.get();
            long a = THREADS.getCurrentThreadAllocatedBytes();
            boolean sent = send.getAsBoolean();
            inSend += THREADS.getCurrentThreadAllocatedBytes() - a;
            if (!sent) {
                throw new AssertionError("send " + i + " refused; " + ws.lastError());
            }
            while (echoes.get() == before) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("echo " + i + " not received; " + ws.lastError());
                }
            }
        }
        return inSend;
    }
}
