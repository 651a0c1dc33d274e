package dev.weft.task;

import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Task.sleep, sleepUntil and timeout on the runtime's timer. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskTimeTest {

    private Weft rt;

    @BeforeEach
    void start() {
        rt = Weft.start(Config.builder().workers(1).build());
    }

    @AfterEach
    void stop() throws InterruptedException {
        rt.close();
        assertTrue(rt.awaitTermination(Duration.ofSeconds(20)));
    }

    @Test
    void sleepNeverEndsEarly() throws Exception {
        long slept = rt.spawn(() -> {
            long t0 = System.nanoTime();
            Task.sleep(Duration.ofMillis(5));
            return System.nanoTime() - t0;
        }).join();
        assertTrue(slept >= 5_000_000L, "slept " + slept + " ns");
    }

    @Test
    void aSleepingTaskFreesItsWorker() throws Exception {
        // One worker: the second task can only run while the first sleeps.
        CountDownLatch second = new CountDownLatch(1);
        JoinHandle<Boolean> sleeper = rt.spawn(() -> {
            Task.spawn(second::countDown);
            Task.sleep(Duration.ofMillis(200));
            return second.getCount() == 0;
        });
        assertTrue(sleeper.join());
    }

    @Test
    void manySleepersAllWakeInDeadlineOrderGroups() throws Exception {
        List<JoinHandle<Long>> hs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int ms = 1 + i % 10;
            hs.add(rt.spawn(() -> {
                long t0 = System.nanoTime();
                Task.sleep(Duration.ofMillis(ms));
                return System.nanoTime() - t0 - ms * 1_000_000L;
            }));
        }
        for (JoinHandle<Long> h : hs) {
            assertTrue(h.join() >= 0, "a sleep ended early");
        }
        assertEquals(0, rt.stats().timersPending());
    }

    @Test
    void sleepUntilAPastInstantReturnsAtOnce() throws Exception {
        assertEquals("ok", rt.spawn(() -> {
            Task.sleepUntil(Instant.now().minusSeconds(5));
            return "ok";
        }).join());
    }

    @Test
    void sleepUntilWaitsForTheInstant() throws Exception {
        Instant target = Instant.now().plusMillis(20);
        Instant woke = rt.spawn(() -> {
            Task.sleepUntil(target);
            return Instant.now();
        }).join();
        assertFalse(woke.isBefore(target.minusMillis(1)), "woke at " + woke + ", target " + target);
    }

    @Test
    void cancelWakesASleeperWithInterruptedException() throws Exception {
        CountDownLatch asleep = new CountDownLatch(1);
        JoinHandle<Void> h = rt.spawn(() -> {
            asleep.countDown();
            try {
                Task.sleep(Duration.ofHours(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException("woken", e);
            }
        });
        asleep.await();
        Thread.sleep(10);
        assertTrue(h.cancel());
        JoinException e = assertThrows(JoinException.class, h::join);
        assertTrue(e.isCancelled());
        assertEquals(0, rt.stats().timersPending(), "the cancelled sleep's timer is gone");
    }

    @Test
    void negativeSleepIsRejectedNamingTheValue() throws Exception {
        JoinException e = assertThrows(JoinException.class,
                () -> rt.spawn(() -> {
                    Task.sleep(Duration.ofMillis(-3));
                    return null;
                }).join());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("PT-0.003S"), e.getCause().getMessage());
    }

    @Test
    void timeoutReturnsTheValueOfABodyThatEndsInTime() throws Exception {
        assertEquals(9, rt.spawn(() -> Task.timeout(Duration.ofSeconds(10), () -> 9)).join());
    }

    @Test
    void timeoutInterruptsASlowBodyAndClearsTheInterrupt() throws Exception {
        String outcome = rt.spawn(() -> {
            try {
                Task.timeout(Duration.ofMillis(10), () -> {
                    Task.sleep(Duration.ofHours(1));
                    return "slept";
                });
                return "no timeout";
            } catch (TimeoutException e) {
                return "timed out, interrupted=" + Thread.currentThread().isInterrupted()
                        + ", cause=" + e.getCause().getClass().getSimpleName();
            }
        }).join();
        assertEquals("timed out, interrupted=false, cause=InterruptedException", outcome);
    }

    @Test
    void aTimeoutRacingItsBodysEndNeverLeaksItsInterrupt() throws Exception {
        // Limits of 0 to 200 µs against bodies that spin 0 to 400 µs (a timer fires about 90 µs
        // after its deadline here): the timer fires before, during and after the body's end.
        // Whichever wins, the task leaves timeout() with its interrupt status clear, and the
        // outcome is either the value or a TimeoutException.
        int[] outcomes = rt.spawn(() -> {
            int[] counts = new int[2];
            java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
            for (int i = 0; i < 2_000; i++) {
                long spin = random.nextLong(400_000);
                try {
                    int v = Task.timeout(Duration.ofNanos(random.nextLong(200_000)), () -> {
                        long end = System.nanoTime() + spin;
                        while (System.nanoTime() < end) {
                            Thread.onSpinWait();
                        }
                        return 1;
                    });
                    counts[0] += v;
                } catch (TimeoutException e) {
                    counts[1]++;
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new AssertionError("round " + i + ": the timeout's interrupt leaked");
                }
            }
            return counts;
        }).join();
        assertEquals(2_000, outcomes[0] + outcomes[1]);
    }

    @Test
    void timeoutPassesOnTheBodysOwnException() throws Exception {
        JoinException e = assertThrows(JoinException.class, () -> rt.spawn(() ->
                Task.timeout(Duration.ofSeconds(10), () -> {
                    throw new IllegalArgumentException("mine");
                })).join());
        assertEquals("mine", e.getCause().getMessage());
    }

    @Test
    void timeoutOutsideATaskNamesTheProblem() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Task.timeout(Duration.ofSeconds(1), () -> 1));
        assertTrue(e.getMessage().contains("Task.timeout") && e.getMessage().contains("not a weft task"),
                e.getMessage());
    }
}
