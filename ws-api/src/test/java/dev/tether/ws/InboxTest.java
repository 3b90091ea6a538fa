package dev.tether.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Which connection's end the recv queue reports. Connections of one WebSocket overlap: a
 * connect() may replace one whose end is still being processed on its reader thread, and that
 * end arrives after the new connection's attempt has begun, failed, or opened.
 */
class InboxTest {
    private final Inbox inbox = new Inbox(1 << 20, () -> { });
    private final Object first = new Object();
    private final Object second = new Object();

    @Test
    void aWaitingTakeWakesWhenTheConnectionThatOpenedLastEnds() throws Exception {
        inbox.opened(first);
        CompletableFuture<Received> taken = takeInBackground();
        Thread.sleep(50);
        // Whatever came between (a newer attempt that failed before its upgrade reports neither
        // opened nor ended), the first connection's end is the one that counts.
        inbox.ended(first, new IOException("first ended"));
        Received r = taken.get(5, TimeUnit.SECONDS);
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).hasMessage("first ended");
    }

    @Test
    void theEndOfAReplacedConnectionDoesNotEndTheOneThatOpenedAfterIt() throws Exception {
        inbox.opened(first);
        inbox.opened(second);
        inbox.ended(first, new IOException("first ended late"));
        assertThat(inbox.take(TimeUnit.MILLISECONDS.toNanos(100)).error())
                .as("still serving the second connection: a timeout, not the first's end")
                .isInstanceOf(java.util.concurrent.TimeoutException.class);
        inbox.ended(second, new IOException("second ended"));
        assertThat(inbox.take(-1).error()).hasMessage("second ended");
    }

    @Test
    void messagesQueuedBeforeTheEndAreHandedOutBeforeIt() throws Exception {
        inbox.opened(first);
        inbox.put(Message.text("last words"), false);
        inbox.ended(first, new IOException("ended"));
        assertThat(inbox.take(-1).data().text()).isEqualTo("last words");
        assertThat(inbox.take(-1).error()).hasMessage("ended");
    }

    @Test
    void beforeAnyConnectionATakeSaysToConnectFirst() throws Exception {
        assertThat(inbox.take(-1).error()).hasMessageContaining("call connect() first");
    }

    private CompletableFuture<Received> takeInBackground() {
        CompletableFuture<Received> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(inbox.take(-1));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }
}
