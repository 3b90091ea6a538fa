package example;

import dev.tether.ws.Event;
import dev.tether.ws.WebSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The seed's long-running task, {@code sys.taskInit(ws.start, ws, 30, proc)}: stay connected,
 * ping every 30 s, hand each message to {@code proc}, reconnect a second after any drop, until
 * {@code exit}. Sends a greeting each time the connection opens and stops after {@code echoes}
 * answers (default 3).
 *
 * <p>Usage: {@code ReconnectingClient [url] [echoes] [minConnections]}. Against a server that
 * closes after each answer (the build's {@code /drop}) every answer comes on a new connection;
 * with {@code minConnections} the program fails unless it reconnected that often.
 */
public final class ReconnectingClient {
    public static void main(String[] args) throws InterruptedException {
        String url = args.length > 0 ? args[0] : "ws://127.0.0.1:8080/";
        int echoes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int minConnections = args.length > 2 ? Integer.parseInt(args[2]) : 1;

        WebSocket ws = WebSocket.builder(url).connectTimeout(Duration.ofSeconds(10)).build();
        AtomicInteger opens = new AtomicInteger();
        CountDownLatch answered = new CountDownLatch(echoes);
        ws.on(Event.OPEN, () -> {
            int n = opens.incrementAndGet();
            System.out.println("open #" + n);
            ws.send("hello from connection " + n);
        });
        ws.on(Event.CLOSE, (code, reason) -> System.out.println("closed " + code + " " + reason + "; reconnecting"));

        // proc runs in the start thread, one message at a time.
        Thread task = ws.startAsync(Duration.ofSeconds(30), msg -> {
            System.out.println("proc: " + msg.text());
            answered.countDown();
        }, Duration.ofMillis(200));

        boolean done = answered.await(60, TimeUnit.SECONDS);
        WebSocket.exit(ws);                                                     // websocket.exit(ws)
        task.join(10_000);
        System.out.println(opens.get() + " connection(s), " + (echoes - answered.getCount()) + " answer(s)");
        if (!done || opens.get() < minConnections) {
            System.exit(1);
        }
    }
}
