package dev.tether.ws.codec.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client handshake (request built, 101 parsed and validated) stays within 1 KiB of
 * allocation once warm: the request is one array of its size, the response's fields stay the
 * octets they arrived as, and the accept value is checked with a reused SHA-1. Allocation is
 * counted by the JVM per thread, deterministic enough to assert; time is not.
 */
class HandshakeAllocationTest {
    private static final int ROUNDS = 20_000;

    @Test
    void aClientHandshakeAllocatesAtMostOneKibibyte() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        ClientHandshake.Builder builder = ClientHandshake.builder("echo.example.com", 80, false)
                .resource("/chat?room=1").origin("http://example.com").random(FixedNonce.random());
        String key = builder.build().key();
        byte[] response = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ClientHandshake.acceptFor(key) + "\r\n"
                + "Date: Fri, 27 Nov 2026 00:00:00 GMT\r\nServer: test\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

        long checksum = handshakes(builder, response);  // warm-up
        long before = threads.getCurrentThreadAllocatedBytes();
        checksum += handshakes(builder, response);
        long perHandshake = (threads.getCurrentThreadAllocatedBytes() - before) / ROUNDS;

        System.out.printf("client handshake: %d bytes allocated per handshake%n", perHandshake);
        assertThat(checksum).isEqualTo(2L * ROUNDS * builder.build().requestBytes().remaining());
        assertThat(perHandshake).isLessThanOrEqualTo(1024);
    }

    private static long handshakes(ClientHandshake.Builder builder, byte[] response) throws Exception {
        long requestBytes = 0;
        for (int i = 0; i < ROUNDS; i++) {
            ClientHandshake hs = builder.build();
            requestBytes += hs.requestBytes().remaining();
            HttpResponseHead head = HttpHeadParser.forResponses().parse(ByteBuffer.wrap(response)).orElseThrow();
            HandshakeResult result = hs.validate(head);
            if (!result.extensions().equals(List.of()) || result.subprotocol().isPresent()) {
                throw new AssertionError("unexpected result " + result);
            }
        }
        return requestBytes;
    }
}
