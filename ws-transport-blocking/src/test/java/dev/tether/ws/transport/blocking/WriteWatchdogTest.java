package dev.tether.ws.transport.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-connection write watchdog on its own, with writes stood in by sleeps and spins. */
class WriteWatchdogTest {

    @Test
    void aWriteThatEndsInTimeIsNotTimedOutAndTheTimerThenGoesOff() throws Exception {
        AtomicInteger timeouts = new AtomicInteger();
        WriteWatchdog w = new WriteWatchdog(200, timeouts::incrementAndGet);
        long ticket = w.begin();
        assertThat(w.timerPending()).isTrue();
        assertThat(w.end(ticket)).isTrue();
        awaitTimerOff(w);
        assertThat(timeouts).hasValue(0);
    }

    @Test
    void writesThatEachEndInTimeGoOnLongPastTheTimeoutWithoutOneTimedOut() throws Exception {
        AtomicInteger timeouts = new AtomicInteger();
        // Writes of about 2 ms under a 200 ms timeout, for five timeouts' time: a margin no
        // scheduling hiccup on a loaded machine comes near.
        WriteWatchdog w = new WriteWatchdog(200, timeouts::incrementAndGet);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
        int writes = 0;
        while (System.nanoTime() - until < 0) {
            long ticket = w.begin();
            Thread.sleep(2);
            assertThat(w.end(ticket)).as("write %d", writes).isTrue();
            writes++;
        }
        assertThat(writes).isGreaterThan(10);
        awaitTimerOff(w);
        assertThat(timeouts).hasValue(0);
    }

    @Test
    void aWriteThatHangsIsTimedOutOnceNoSoonerThanItsTimeout() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        AtomicInteger timeouts = new AtomicInteger();
        WriteWatchdog w = new WriteWatchdog(100, () -> {
            timeouts.incrementAndGet();
            fired.countDown();
        });
        // A write that ended first: the hanging one is timed out from its own start.
        w.end(w.begin());
        Thread.sleep(60);
        long started = System.nanoTime();
        long ticket = w.begin();
        assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(w.end(ticket)).as("the write lost the race it never ran").isFalse();
        Thread.sleep(250);
        assertThat(timeouts).hasValue(1);
        assertThat(w.timerPending()).isFalse();
    }

    @Test
    void aWriteBegunAfterTheTimerWentOffArmsItAgain() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        WriteWatchdog w = new WriteWatchdog(50, fired::countDown);
        w.end(w.begin());
        awaitTimerOff(w);
        w.begin();
        assertThat(w.timerPending()).isTrue();
        assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void stopCancelsTheTimerAndNoWriteIsTimedOutAfterIt() throws Exception {
        AtomicInteger timeouts = new AtomicInteger();
        WriteWatchdog w = new WriteWatchdog(50, timeouts::incrementAndGet);
        w.begin();
        w.stop();
        assertThat(w.timerPending()).isFalse();
        Thread.sleep(200);
        assertThat(timeouts).hasValue(0);
        w.begin();  // a write racing the close finds no timer set for it either
        assertThat(w.timerPending()).isFalse();
    }

    /** Writes that end around their deadline: each either ends in time or is timed out, never both, never neither. */
    @Test
    void aWriteEndingAtItsDeadlineIsEitherInTimeOrTimedOutNeverBoth() throws Exception {
        record Trial(WriteWatchdog watchdog, AtomicInteger timeouts, boolean inTime) { }
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            AtomicInteger timeouts = new AtomicInteger();
            WriteWatchdog w = new WriteWatchdog(1, timeouts::incrementAndGet);
            long ticket = w.begin();
            long spin = System.nanoTime() + ThreadLocalRandom.current().nextLong(700_000, 1_300_000);
            while (System.nanoTime() - spin < 0) {
                Thread.onSpinWait();
            }
            trials.add(new Trial(w, timeouts, w.end(ticket)));
        }
        for (Trial t : trials) {
            awaitTimerOff(t.watchdog());
            assertThat(t.timeouts().get()).isEqualTo(t.inTime() ? 0 : 1);
        }
    }

    private static void awaitTimerOff(WriteWatchdog w) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (w.timerPending()) {
            assertThat(System.nanoTime() - deadline).as("timer still set after 10 s").isNegative();
            Thread.sleep(10);
        }
    }
}
