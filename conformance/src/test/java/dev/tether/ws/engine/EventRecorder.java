package dev.tether.ws.engine;

import dev.tether.ws.Event;
import dev.tether.ws.Message;
import dev.tether.ws.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records every event of a {@link WebSocket} in order, as short strings ({@code open},
 * {@code message:text:hello}, {@code pong:ab}, {@code close:1000:bye}, {@code error:...}), so a
 * test asserts the whole sequence of callbacks, and notes which thread ran each handler.
 */
final class EventRecorder {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    final List<Thread> handlerThreads = java.util.Collections.synchronizedList(new ArrayList<>());

    static EventRecorder on(WebSocket ws) {
        EventRecorder r = new EventRecorder();
        ws.on(Event.OPEN, () -> r.add("open"));
        ws.on(Event.MESSAGE, m -> {
            r.messages.add(m);
            r.add("message:" + (m.isText() ? "text:" + shorten(m.text()) : "binary:" + m.size()));
        });
        ws.on(Event.CLOSE, (code, reason) -> r.add("close:" + code + ":" + reason));
        ws.on(Event.ERROR, e -> {
            r.errors.add(e);
            r.add("error:" + e.getClass().getSimpleName());
        });
        ws.on(Event.PONG, p -> {
            byte[] b = new byte[p.remaining()];
            p.get(b);
            r.add("pong:" + new String(b, StandardCharsets.UTF_8));
        });
        return r;
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "...(" + s.length() + ")" : s;
    }

    private void add(String event) {
        handlerThreads.add(Thread.currentThread());
        events.add(event);
    }

    /** The next event, failing the test after 10 s. */
    String next() throws InterruptedException {
        return next(Duration.ofSeconds(10));
    }

    String next(Duration wait) throws InterruptedException {
        String e = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no event within " + wait);
        }
        return e;
    }

    /** Skips events until one starts with {@code prefix}; fails after {@code wait}. */
    String awaitEvent(String prefix, Duration wait) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        List<String> skipped = new ArrayList<>();
        while (true) {
            String e = events.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no event starting with '" + prefix + "' within " + wait + "; saw " + skipped);
            }
            if (e.startsWith(prefix)) {
                return e;
            }
            skipped.add(e);
        }
    }

    String awaitEvent(String prefix) throws InterruptedException {
        return awaitEvent(prefix, Duration.ofSeconds(10));
    }
}
