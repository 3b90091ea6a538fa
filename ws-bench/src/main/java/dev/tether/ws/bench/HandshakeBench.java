package dev.tether.ws.bench;

import dev.tether.ws.codec.handshake.ClientHandshake;
import dev.tether.ws.codec.handshake.HandshakeResult;
import dev.tether.ws.codec.handshake.HttpHeadParser;
import dev.tether.ws.codec.handshake.HttpResponseHead;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Group "handshake": Tether's client side of the opening handshake, alone (the other stacks
 * cannot be driven at this level without their I/O): build the upgrade request with a fresh
 * key, parse a 101 response and validate it (Sec-WebSocket-Accept is a SHA-1 per handshake).
 * The key source is fixed here so that one prepared response matches every request.
 */
@State(Scope.Thread)
public class HandshakeBench extends BenchDefaults {

    private static final class FixedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;

        @Override
        public void nextBytes(byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (i * 31 + 7);
            }
        }
    }

    private ClientHandshake.Builder builder;
    private byte[] response;

    @Setup
    public void setup() {
        builder = ClientHandshake.builder("echo.example.com", 80, false)
                .resource("/chat?room=1")
                .origin("http://example.com")
                .random(new FixedRandom());
        String key = builder.build().key();
        response = ("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ClientHandshake.acceptFor(key) + "\r\n"
                + "Date: Fri, 27 Nov 2026 00:00:00 GMT\r\n"
                + "Server: bench\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public HandshakeResult tether(Blackhole bh) throws Exception {
        ClientHandshake hs = builder.build();
        bh.consume(hs.requestBytes());
        HttpResponseHead head = HttpHeadParser.forResponses().parse(ByteBuffer.wrap(response)).orElseThrow();
        return hs.validate(head);
    }
}
