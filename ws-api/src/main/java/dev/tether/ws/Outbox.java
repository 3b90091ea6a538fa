package dev.tether.ws;

import dev.tether.ws.codec.Opcodes;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Data frames sent while {@code start} is between connections: they wait here, bounded, and go
 * out first and in order once the next connection is OPEN (the seed's 2023 source queues while
 * offline the same way).
 *
 * <p>Order: while anything is queued or being written from here, new data frames queue behind
 * it, so one sender's messages never overtake each other. A message is queued whole (its frames
 * as the user sent them) and written whole; a message whose writing failed stays at the head
 * and is written again, whole, on the next connection. What a socket took before it dropped may
 * be lost: WebSocket has no acknowledgements, so the outbox covers only what was never written.
 *
 * <p>Threads: senders queue and may drain (the one that finds the connection open and nobody
 * draining writes the queue out); {@code start}'s thread drains after each connect and discards
 * what is left at exit.
 */
final class Outbox {
    private final WebSocket ws;
    private final int maxMessages;
    private final long maxBytes;
    private final OnFull onFull;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    /** Guarded by lock: queued messages, oldest first; only the last may be unfinished. */
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    /** Guarded by lock: the message being queued frame by frame (fin not seen yet), or null. */
    private Entry open;
    /** Guarded by lock: payload bytes queued. */
    private long bytes;
    /** Guarded by lock: some thread is writing the queue out. */
    private boolean draining;

    Outbox(WebSocket ws, int maxMessages, long maxBytes, OnFull onFull) {
        this.ws = ws;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.onFull = onFull;
    }

    /**
     * Sends a data frame now when the connection is open and nothing is queued; else queues it
     * while {@code start} runs.
     *
     * @return true once written or queued; false when neither (no {@code start}, or the outbox
     *     full under its policy)
     * @throws IllegalStateException for a continuation whose message did not start here or on
     *     this connection, or a new message inside an unfinished one (RFC 6455 section 5.4)
     */
    boolean send(boolean fin, int opcode, ByteBuffer data) {
        if (idle()) {
            Session s = ws.openSession();
            if (s != null && s.send(fin, opcode, data, Session.Origin.USER)) {
                return true;
            }
        }
        if (!ws.supervised()) {
            return false;
        }
        if (!enqueue(fin, opcode, data)) {
            return false;
        }
        drain();
        return true;
    }

    /** Writes the queue out if the connection is open and nobody else is doing it. */
    void drain() {
        while (drainOnce()) {
            // A connection opened while this thread gave up on the previous one: try the new one.
        }
    }

    /** What is queued when {@code start} ends is never sent: report it. */
    void discard() {
        List<Entry> gone = new ArrayList<>();
        lock.lock();
        try {
            for (var it = entries.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (!e.inFlight) {
                    it.remove();
                    bytes -= e.bytes;
                    gone.add(e);
                }
            }
            open = null;
            room.signalAll();
        } finally {
            lock.unlock();
        }
        gone.forEach(e -> ws.dropped(e.message()));
    }

    private boolean idle() {
        lock.lock();
        try {
            return entries.isEmpty() && !draining;
        } finally {
            lock.unlock();
        }
    }

    private boolean enqueue(boolean fin, int opcode, ByteBuffer data) {
        int size = data.remaining();
        List<Entry> dropped = new ArrayList<>(0);
        lock.lock();
        try {
            // A handler on the reading thread may not wait (inlineHandlers): a full outbox refuses.
            long waitLeft = onFull.waits() && !HandlerDispatch.onReaderInHandler() ? onFull.waitNanos() : 0;
            while (true) {
                boolean continues = opcode == Opcodes.CONTINUATION;
                if (continues && open == null) {
                    throw new IllegalStateException("continuation frame without a started message: its start"
                            + " went out on a connection that has since ended (RFC 6455 section 5.4)");
                }
                if (!continues && open != null) {
                    throw new IllegalStateException(
                            "new data message inside an unfinished one (RFC 6455 section 5.4)");
                }
                if (size > maxBytes || !ws.supervised()) {
                    return false;  // could never fit, or start ended meanwhile
                }
                if (fits(continues ? 0 : 1, size)) {
                    append(fin, opcode, data);
                    return true;
                }
                if (onFull.dropsOldest()) {
                    Entry victim = oldestDroppable();
                    if (victim == null) {
                        return false;
                    }
                    entries.remove(victim);
                    bytes -= victim.bytes;
                    dropped.add(victim);
                } else if (onFull.waits() && waitLeft > 0) {
                    if (!draining && ws.openSession() != null) {
                        lock.unlock();  // make the room ourselves
                        try {
                            drain();
                        } finally {
                            lock.lock();
                        }
                    } else {
                        waitLeft = room.awaitNanos(waitLeft);
                    }
                } else {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
            dropped.forEach(e -> ws.dropped(e.message()));
        }
    }

    /** Guarded by lock. */
    private boolean fits(int newMessages, long size) {
        return entries.size() + newMessages <= maxMessages && bytes + size <= maxBytes;
    }

    /** Guarded by lock: the oldest whole message nobody is writing, or null. */
    private Entry oldestDroppable() {
        for (Entry e : entries) {
            if (!e.inFlight && e != open) {
                return e;
            }
        }
        return null;
    }

    /** Guarded by lock. */
    private void append(boolean fin, int opcode, ByteBuffer data) {
        if (open == null) {
            open = new Entry();
            entries.addLast(open);
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        open.frames.add(new Frame(fin, opcode, copy));
        open.bytes += copy.length;
        bytes += copy.length;
        if (fin) {
            open.complete = true;
            open = null;
        }
    }

    /**
     * One pass: writes whole messages from the head while the connection is open.
     *
     * @return true when it stopped for a connection that has since been replaced by an open one
     */
    private boolean drainOnce() {
        Session s = null;
        while (true) {
            Entry head;
            lock.lock();
            try {
                if (s == null && draining) {
                    return false;  // another thread is at it
                }
                head = entries.peekFirst();
                // Stop here, in the same lock hold as the check: a sender that queues after this
                // finds draining false and drains itself.
                if (head == null || !head.complete) {
                    draining = false;
                    room.signalAll();
                    return false;
                }
                draining = true;
                head.inFlight = true;
            } finally {
                lock.unlock();
            }
            Session current = ws.openSession();
            boolean written = current != null && writeAll(current, head);
            lock.lock();
            try {
                head.inFlight = false;
                if (written) {
                    entries.removeFirst();
                    bytes -= head.bytes;
                    room.signalAll();
                } else {
                    draining = false;
                    room.signalAll();
                }
            } finally {
                lock.unlock();
            }
            if (!written) {
                if (!ws.supervised()) {
                    discard();  // start ended while this was being written: report it, as exit does
                    return false;
                }
                Session now = ws.openSession();
                return now != null && now != current;
            }
            s = current;
        }
    }

    private static boolean writeAll(Session s, Entry e) {
        for (Frame f : e.frames) {
            if (!s.send(f.fin, f.opcode, ByteBuffer.wrap(f.payload), Session.Origin.USER_CALL)) {
                return false;
            }
        }
        return true;
    }

    private record Frame(boolean fin, int opcode, byte[] payload) {
    }

    /** One message, as the frames it was sent in. */
    private static final class Entry {
        final List<Frame> frames = new ArrayList<>(1);
        /** Guarded by the outbox's lock. */
        long bytes;
        boolean complete;
        boolean inFlight;

        Message message() {
            ByteArrayOutputStream joined = new ByteArrayOutputStream((int) Math.min(bytes, Integer.MAX_VALUE));
            frames.forEach(f -> joined.writeBytes(f.payload));
            return Message.wrap(frames.get(0).opcode, joined.toByteArray());
        }
    }
}
