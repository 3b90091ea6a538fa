package dev.tether.ws.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The peer's side of the socket: frames are gathered and written in one go at the next flush,
 * as Autobahn queues what one step sends, unless their {@link Delivery} asks for their own
 * write or for pieces. Both the script and the reading thread (pongs, close replies) write
 * through here, under one lock, so frames never interleave. Large payloads go straight from
 * their shared array to the socket, never copied.
 */
final class WireWriter {
    /** Payloads up to this size are copied into the batch; larger ones are written directly. */
    private static final int COPY_LIMIT = 64 * 1024;
    /** A batch larger than this is written out early (the 65536 frames of 9.3.1 and the like). */
    private static final int BATCH_LIMIT = 256 * 1024;

    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private final ByteArrayOutputStream batch = new ByteArrayOutputStream();

    WireWriter(OutputStream out) {
        this.out = out;
    }

    /** A frame (header then payload) delivered as {@code delivery} says. */
    void frame(byte[] header, Slice payload, Delivery delivery) throws IOException {
        lock.lock();
        try {
            if (delivery.chopSize() > 0) {
                writeBatch();
                chopped(header, payload, delivery);
                return;
            }
            append(header, payload);
            if (delivery.sync()) {
                writeBatch();
                pause(delivery.pauseNanos());
            }
        } finally {
            lock.unlock();
        }
    }

    /** A frame written at once, after whatever is batched: control frames from the reader. */
    void frameNow(byte[] header, Slice payload) throws IOException {
        lock.lock();
        try {
            append(header, payload);
            writeBatch();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes added to the batch as they are. */
    void raw(Slice bytes) throws IOException {
        lock.lock();
        try {
            append(new byte[0], bytes);
        } finally {
            lock.unlock();
        }
    }

    void flush() throws IOException {
        lock.lock();
        try {
            writeBatch();
        } finally {
            lock.unlock();
        }
    }

    private void append(byte[] header, Slice payload) throws IOException {
        batch.write(header);
        if (payload.length() <= COPY_LIMIT) {
            batch.write(payload.array(), payload.offset(), payload.length());
        } else {
            writeBatch();
            out.write(payload.array(), payload.offset(), payload.length());
        }
        if (batch.size() > BATCH_LIMIT) {
            writeBatch();
        }
    }

    private void writeBatch() throws IOException {
        if (batch.size() > 0) {
            batch.writeTo(out);
            batch.reset();
        }
        out.flush();
    }

    /** Header and payload as one stream cut into pieces of {@code chopSize}, one write each. */
    private void chopped(byte[] header, Slice payload, Delivery delivery) throws IOException {
        int size = delivery.chopSize();
        byte[] piece = new byte[size];
        int filled = 0;
        int total = header.length + payload.length();
        for (int i = 0; i < total; i++) {
            piece[filled++] = i < header.length ? header[i] : payload.get(i - header.length);
            if (filled == size || i == total - 1) {
                out.write(piece, 0, filled);
                out.flush();
                filled = 0;
                pause(delivery.pauseNanos());
            }
        }
    }

    private static void pause(long nanos) {
        if (nanos > 0) {
            LockSupport.parkNanos(nanos);
        }
    }
}
