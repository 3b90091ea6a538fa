package dev.tether.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A connection's handler thread: when tasks come close together it waits for the next without a
 * timer of its own, and {@link LingerSweeper} ends it once idle for one to two sweep periods; when
 * they come further apart it ends as soon as its work is done. Whatever the moment a task comes,
 * it runs, once, in order, never beside another.
 */
class SerialExecutorTest {
    private static final long PERIOD_MILLIS = TimeUnit.NANOSECONDS.toMillis(LingerSweeper.PERIOD_NANOS);

    @Test
    void anIdleDrainThreadLingersAtLeastOneSweepPeriodThenEndsAndIsForgotten() throws Exception {
        SerialExecutor executor = new SerialExecutor("test-linger");
        Ran first = Ran.on(executor);
        assertThat(first.swept()).as("a fresh executor's first thread does not linger").isFalse();
        first.thread().join(java.time.Duration.ofSeconds(5));
        int tries = 0;
        Ran ran;
        long lived;
        do {  // the next task soon after: its thread lingers (a loaded machine may come late; try again)
            ran = Ran.on(executor);
            assertThat(ran.thread().join(java.time.Duration.ofSeconds(5))).as("the idle drain thread ended").isTrue();
            lived = System.nanoTime() - ran.doneAt();
        } while (!ran.swept() && ++tries < 50);
        assertThat(ran.swept()).as("a task that came soon after the last idle moment lingers").isTrue();
        assertThat(ran.thread().isVirtual()).isTrue();
        // Two sweeps, a period apart, must find it idle: it cannot end sooner.
        assertThat(lived).isGreaterThanOrEqualTo(LingerSweeper.PERIOD_NANOS);
        assertThat(LingerSweeper.knows(executor)).as("the sweeper let go of it").isFalse();
    }

    @Test
    void aTaskThatComesLongAfterTheLastRunsOnAThreadThatEndsWithoutLingering() throws Exception {
        SerialExecutor executor = new SerialExecutor("test-sparse");
        for (int i = 0; i < 5; i++) {
            Ran ran = Ran.on(executor);
            assertThat(ran.swept()).as("task %d: its thread was given to the sweeper", i).isFalse();
            assertThat(ran.thread().join(java.time.Duration.ofSeconds(5))).isTrue();
            Thread.sleep(4 * PERIOD_MILLIS);  // well past a linger: the next would not have met one
        }
    }

    @Test
    void aTaskThatComesWithinThePeriodRunsOnTheLingeringThread() throws Exception {
        SerialExecutor executor = new SerialExecutor("test-reuse");
        int within = 0;
        for (int attempt = 0; attempt < 20 && within < 5; attempt++) {
            Ran.on(executor);  // work close together from here on: the threads below linger
            AtomicReference<Thread> first = new AtomicReference<>();
            AtomicReference<Thread> second = new AtomicReference<>();
            long[] firstEndedAt = new long[1];
            boolean[] firstLingers = new boolean[1];
            CountDownLatch firstDone = new CountDownLatch(1);
            CountDownLatch secondDone = new CountDownLatch(1);
            executor.execute(() -> {
                first.set(Thread.currentThread());
                firstLingers[0] = LingerSweeper.knows(executor);
                firstEndedAt[0] = System.nanoTime();  // the thread turns idle after this
                firstDone.countDown();
            });
            assertThat(firstDone.await(5, TimeUnit.SECONDS)).isTrue();
            executor.execute(() -> {
                second.set(Thread.currentThread());
                secondDone.countDown();
            });
            long submittedAfter = System.nanoTime() - firstEndedAt[0];
            assertThat(secondDone.await(5, TimeUnit.SECONDS)).isTrue();
            if (firstLingers[0] && submittedAfter < LingerSweeper.PERIOD_NANOS) {
                // The thread had not been idle for a whole period: no sweep could have ended it.
                within++;
                assertThat(second.get()).isSameAs(first.get());
            }
            first.get().join(java.time.Duration.ofSeconds(5));  // the next attempt starts fresh
        }
        assertThat(within).as("attempts whose second task came within the period").isPositive();
    }

    @Test
    void tasksComingAsTheSweeperEndsTheThreadAllRunOnceInOrderAndNeverTogether() throws Exception {
        SerialExecutor executor = new SerialExecutor("test-race");
        ConcurrentLinkedQueue<Integer> order = new ConcurrentLinkedQueue<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicReference<Thread> last = new AtomicReference<>();
        AtomicInteger reused = new AtomicInteger();
        AtomicInteger fresh = new AtomicInteger();
        Random random = new Random(42);
        // At least 150 tasks, and on until both outcomes were met (bounded: a loaded machine may
        // oversleep every gap, or run the sweeps late).
        int n = 0;
        while (n < 150 || (reused.get() == 0 || fresh.get() < 2) && n < 600) {
            int id = n++;
            executor.execute(() -> {
                if (running.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
                order.add(id);
                (last.getAndSet(Thread.currentThread()) == Thread.currentThread() ? reused : fresh).incrementAndGet();
                running.decrementAndGet();
                done.incrementAndGet();
            });
            // Gaps on both sides of the moment a sweep ends the idle thread (one to two periods).
            Thread.sleep(random.nextLong(PERIOD_MILLIS - 2, 2 * PERIOD_MILLIS + 3));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (done.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(done).as("every task ran").hasValue(n);
        assertThat(overlaps).hasValue(0);
        assertThat(new ArrayList<>(order)).isEqualTo(java.util.stream.IntStream.range(0, n).boxed().toList());
        assertThat(reused.get()).as("tasks that found the thread still lingering").isPositive();
        assertThat(fresh.get()).as("tasks that came after a sweep ended it (the first included)").isGreaterThan(1);
    }

    /** One task run on {@code executor}: its thread, whether the sweeper knew the executor then, and when it was done. */
    private record Ran(Thread thread, boolean swept, long doneAt) {
        static Ran on(SerialExecutor executor) throws InterruptedException {
            AtomicReference<Thread> thread = new AtomicReference<>();
            boolean[] swept = new boolean[1];
            long[] doneAt = new long[1];
            CountDownLatch done = new CountDownLatch(1);
            executor.execute(() -> {
                thread.set(Thread.currentThread());
                swept[0] = LingerSweeper.knows(executor);
                doneAt[0] = System.nanoTime();
                done.countDown();
            });
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            return new Ran(thread.get(), swept[0], doneAt[0]);
        }
    }
}
