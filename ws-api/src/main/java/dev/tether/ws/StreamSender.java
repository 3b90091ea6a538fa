package dev.tether.ws;

import dev.tether.ws.codec.Opcodes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * {@link WebSocket#sendStream}: a message read from a channel goes out as fragments (RFC 6455
 * section 5.4). One fragment is read ahead, so that the last data fragment carries FIN and no
 * empty final frame is needed.
 */
final class StreamSender {
    /** Fragment size: large enough that the header is noise, small enough to stay in cache. */
    static final int FRAGMENT = 64 * 1024;

    private StreamSender() {
    }

    /** @return false when the session ended part-way (it can take no more frames) */
    static boolean send(Session s, int opcode, ReadableByteChannel in) throws IOException {
        ByteBuffer current = ByteBuffer.allocate(FRAGMENT);
        ByteBuffer next = ByteBuffer.allocate(FRAGMENT);
        boolean ended = fill(in, current);
        int op = opcode;
        while (true) {
            boolean last = ended;
            boolean nextEnded = false;
            if (!last) {
                nextEnded = fill(in, next);
                last = nextEnded && next.position() == 0;  // the source ended exactly at a fragment's end
            }
            if (!s.send(last, op, current.flip(), Session.Origin.USER)) {
                return false;
            }
            if (last) {
                return true;
            }
            op = Opcodes.CONTINUATION;
            ByteBuffer t = current;
            current = next;
            next = t.clear();
            ended = nextEnded;
        }
    }

    /** Reads until {@code buffer} is full or the source ends; true when it ended. */
    private static boolean fill(ReadableByteChannel in, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (in.read(buffer) < 0) {
                return true;
            }
        }
        return false;
    }
}
