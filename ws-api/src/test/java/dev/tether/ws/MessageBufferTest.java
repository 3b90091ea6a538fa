package dev.tether.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Joining a message's pieces: whatever the pieces, the message comes out whole; a size the first
 * frame told sizes the array, but only as far as the bytes that have come justify.
 */
class MessageBufferTest {
    private final Random random = new Random(7);

    @Test
    void aMessageInRandomPiecesComesOutWholeWithOrWithoutAToldSize() {
        for (int size : new int[] {0, 1, 255, 256, 257, 65_536, 1 << 20, (1 << 20) + 13}) {
            byte[] payload = new byte[size];
            random.nextBytes(payload);
            for (long told : new long[] {-1, size}) {
                MessageBuffer buffer = new MessageBuffer();
                buffer.start(told);
                for (int at = 0; at < size; ) {
                    int n = Math.min(size - at, 1 + random.nextInt(70_000));
                    buffer.append(ByteBuffer.wrap(payload, at, n));
                    at += n;
                }
                Message m = buffer.finish(Opcode.BINARY);
                assertThat(m.isText()).isFalse();
                assertThat(m.bytes()).as("size %d, told %d", size, told).isEqualTo(payload);
            }
        }
    }

    @Test
    void withAToldSizeAMessageWhoseFirstReadBroughtAThirtySecondOfItTakesOneExactArray() {
        int size = 1 << 20;
        MessageBuffer buffer = new MessageBuffer();
        buffer.start(size);
        int arrays = 0;
        int capacity = buffer.capacity();
        // As a 64 KiB read buffer brings it: the first read also held the 10-byte frame header.
        for (int at = 0, n = 65_536 - 10; at < size; at += n, n = Math.min(65_536, size - at)) {
            buffer.append(ByteBuffer.allocate(n));
            if (buffer.capacity() != capacity) {
                arrays++;
                capacity = buffer.capacity();
            }
        }
        assertThat(buffer.capacity()).isEqualTo(size);
        assertThat(arrays).as("the told 1 MiB, from the first read on").isEqualTo(1);
    }

    @Test
    void aToldSizeAloneDoesNotMakeTheArrayLargerThanThirtyTwoTimesWhatCame() {
        MessageBuffer buffer = new MessageBuffer();
        buffer.start(64L << 20);  // a hostile header: 64 MiB, then 10 bytes
        buffer.append(ByteBuffer.allocate(10));
        assertThat(buffer.capacity()).isEqualTo(320);
        buffer.append(ByteBuffer.allocate(1000));
        assertThat(buffer.capacity()).isEqualTo(32 * 1010);
    }

    @Test
    void withoutAToldSizeTheArrayDoubles() {
        MessageBuffer buffer = new MessageBuffer();
        buffer.start(-1);
        buffer.append(ByteBuffer.allocate(300));
        assertThat(buffer.capacity()).isEqualTo(300);
        buffer.append(ByteBuffer.allocate(1));
        assertThat(buffer.capacity()).isEqualTo(600);
    }
}
