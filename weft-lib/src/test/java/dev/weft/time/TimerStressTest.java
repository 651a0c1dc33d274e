package dev.weft.time;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The timer under real concurrency: exactly-once firing against racing cancels, and no lost
 * wake-up. The timer parks without a safety-net period, so a lost wake-up is a wait for a far
 * deadline: the bounded waits here turn it into a failure.
 */
class TimerStressTest {

    @Test
    void concurrentSchedulesAndCancelsFireEachEntryExactlyOnceOrNever() {
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            int threads = 4;
            int perThread = 100_000;
            int total = threads * perThread;
            Timer.Entry[] entries = new Timer.Entry[total];
            AtomicIntegerArray fires = new AtomicIntegerArray(total);
            boolean[] cancelled = new boolean[total]; // written by the entry's scheduling thread
            AtomicReference<Throwable> failure = new AtomicReference<>();
            try (Timer timer = new Timer("timer-stress-exactly-once")) {
                List<Thread> schedulers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int first = t * perThread;
                    Runnable body = () -> {
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        int[] toCancel = new int[64]; // cancels lag the schedules: some race the firing
                        int queued = 0;
                        for (int i = first; i < first + perThread; i++) {
                            int index = i;
                            long deadline = System.nanoTime() + random.nextLong(2_000_000);
                            entries[index] = timer.schedule(deadline, () -> fires.incrementAndGet(index));
                            if (random.nextBoolean()) {
                                if (random.nextInt(4) == 0) {
                                    cancelled[index] = entries[index].cancel();
                                } else {
                                    if (queued == toCancel.length) {
                                        int k = random.nextInt(queued);
                                        int j = toCancel[k];
                                        cancelled[j] = entries[j].cancel();
                                        toCancel[k] = toCancel[--queued];
                                    }
                                    toCancel[queued++] = index;
                                }
                            }
                        }
                        for (int q = 0; q < queued; q++) {
                            cancelled[toCancel[q]] = entries[toCancel[q]].cancel();
                        }
                    };
                    // Half on virtual threads, as tasks will be; half on platform threads, as workers.
                    Thread.Builder builder = t % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
                    schedulers.add(builder.name("scheduler-" + t).uncaughtExceptionHandler(
                            (th, e) -> failure.compareAndSet(null, e)).start(body));
                }
                for (Thread s : schedulers) {
                    s.join();
                }
                assertEquals(null, failure.get(), "a scheduling thread failed");

                int cancels = 0;
                for (boolean c : cancelled) {
                    cancels += c ? 1 : 0;
                }
                long expectedFires = total - cancels;
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (timer.fired() < expectedFires && System.nanoTime() - end < 0) {
                    Thread.sleep(1);
                }
                assertEquals(expectedFires, timer.fired(), "entries fired (" + cancels + " cancelled)");
                assertEquals(0, timer.pending());
                for (int i = 0; i < total; i++) {
                    int expected = cancelled[i] ? 0 : 1;
                    assertEquals(expected, fires.get(i), "entry " + i + " (cancel returned "
                            + cancelled[i] + ") fired " + fires.get(i) + " times");
                    assertEquals(!cancelled[i], entries[i].isFired(), "isFired() of entry " + i);
                }
                assertTrue(cancels > total / 3, "only " + cancels + " of " + total + " cancels took effect");
            }
        });
    }

    @Test
    void cancelsRacingTheFiringOfADueBatchNeverBothCancelAndFire() {
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            int rounds = 2_000; // the canceller overtakes the timer once a round: a race on one entry
            int batch = 500;
            try (Timer timer = new Timer("timer-stress-racing-cancels")) {
                for (int round = 0; round < rounds; round++) {
                    // Hold the timer thread while a batch of due entries piles up in its inbox.
                    CountDownLatch held = new CountDownLatch(1);
                    CountDownLatch release = new CountDownLatch(1);
                    timer.schedule(System.nanoTime(), () -> {
                        held.countDown();
                        try {
                            release.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    assertTrue(held.await(20, TimeUnit.SECONDS), "round " + round + ": the timer never fired");
                    AtomicIntegerArray fires = new AtomicIntegerArray(batch);
                    Timer.Entry[] entries = new Timer.Entry[batch];
                    long base = System.nanoTime();
                    for (int i = 0; i < batch; i++) {
                        int index = i;
                        entries[i] = timer.schedule(base + i, () -> fires.incrementAndGet(index));
                    }
                    // Then cancel the batch in firing order while the timer fires it.
                    boolean[] cancelled = new boolean[batch];
                    long firedBefore = timer.fired();
                    release.countDown();
                    while (timer.fired() == firedBefore) {
                        Thread.onSpinWait();
                    }
                    for (int i = 0; i < batch; i++) {
                        cancelled[i] = entries[i].cancel();
                    }
                    CountDownLatch done = new CountDownLatch(1);
                    timer.schedule(base + batch, done::countDown);
                    assertTrue(done.await(20, TimeUnit.SECONDS), "round " + round + ": the batch never finished");
                    for (int i = 0; i < batch; i++) {
                        assertEquals(cancelled[i] ? 0 : 1, fires.get(i), "round " + round + ", entry " + i
                                + " (cancel returned " + cancelled[i] + ") fired " + fires.get(i) + " times");
                    }
                }
            }
        });
    }

    @Test
    void noWakeUpIsLostWhileTheTimerSleepsUntilAFarDeadline() {
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            try (Timer timer = new Timer("timer-stress-wake-up")) {
                timer.schedule(System.nanoTime() + TimeUnit.HOURS.toNanos(1), () -> { });
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 10_000; i++) {
                    // Vary the moment of scheduling against the timer's way back to its park.
                    for (int spins = random.nextInt(2_000); spins > 0; spins--) {
                        Thread.onSpinWait();
                    }
                    CountDownLatch fired = new CountDownLatch(1);
                    long delay = i % 2 == 0 ? TimeUnit.MILLISECONDS.toNanos(1) : 0;
                    timer.schedule(System.nanoTime() + delay, fired::countDown);
                    assertTrue(fired.await(20, TimeUnit.SECONDS), "round " + i + ": the timer, asleep"
                            + " until an hour from now, was not woken for an entry due "
                            + delay + " ns after scheduling");
                }
                assertEquals(10_000, timer.fired());
            }
        });
    }
}
