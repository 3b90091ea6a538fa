package dev.tether.ws.engine;

import dev.tether.ws.Event;
import dev.tether.ws.MessageStream;
import dev.tether.ws.WebSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Run in a child JVM with a small heap by {@link StreamTest}: receives {@code /source}'s large
 * message as a stream, hashes it, and prints {@code RESULT <bytes> <sha-256>} and the server's
 * own {@code SENT <bytes> <sha-256>}. Exit status 0 only when everything arrived in time.
 *
 * <p>Arguments: URL, transport, compression (true/false).
 */
public final class StreamReceiver {
    private StreamReceiver() {
    }

    public static void main(String[] args) throws Exception {
        WebSocket ws = WebSocket.builder(args[0]).transport(args[1])
                .compression(Boolean.parseBoolean(args[2]))
                .maxMessageSize(1 << 20)  // the buffered path stays small; streams are not bounded by it
                .build();
        CompletableFuture<String> received = new CompletableFuture<>();
        CompletableFuture<String> sent = new CompletableFuture<>();
        ws.on(Event.STREAM, in -> {
            if (in.isText()) {
                sent.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } else {
                received.complete(digest(in));
            }
        });
        ws.on(Event.ERROR, e -> {
            received.completeExceptionally(e);
            sent.completeExceptionally(e);
        });
        if (!ws.connect(Duration.ofSeconds(10))) {
            throw new IOException("no connection: " + ws.lastError());
        }
        System.out.println("RESULT " + received.get(5, TimeUnit.MINUTES));
        System.out.println("SENT " + sent.get(1, TimeUnit.MINUTES));
        System.out.println("HEAP max " + Runtime.getRuntime().maxMemory());
        ws.close();
    }

    static String digest(MessageStream in) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[64 * 1024];
        long bytes = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            sha.update(buffer, 0, n);
            bytes += n;
        }
        return bytes + " " + HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
