package dev.weft.time;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Behaviour of the timer, one thread scheduling. No assertion is about how late an entry fires
 * (that is the benchmarks' business); waits are bounded and generous, and a wait that runs out
 * fails the test. Where an entry must not fire before the test has done something, the timer
 * thread is held in a {@link Gate} action, so the test does not depend on how fast it runs.
 */
class TimerTest {

    private static final long WAIT_SECONDS = 10;
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    private String name;
    private Timer timer;

    @BeforeEach
    void start(TestInfo info) {
        name = "timer-test-" + info.getTestMethod().orElseThrow().getName();
        timer = new Timer(name);
    }

    @AfterEach
    void stop() {
        timer.close();
    }

    /** An action that holds the timer thread until the test opens it. */
    private static final class Gate implements Runnable {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);

        @Override
        public void run() {
            entered.countDown();
            try {
                open.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Schedules a gate now and returns once the timer thread is inside it. */
    private Gate holdTimerThread() throws InterruptedException {
        Gate gate = new Gate();
        timer.schedule(System.nanoTime(), gate);
        assertTrue(gate.entered.await(WAIT_SECONDS, TimeUnit.SECONDS), "the gate entry never fired");
        return gate;
    }

    private Thread timerThread() throws InterruptedException {
        AtomicReference<Thread> thread = new AtomicReference<>();
        CountDownLatch fired = new CountDownLatch(1);
        timer.schedule(System.nanoTime(), () -> {
            thread.set(Thread.currentThread());
            fired.countDown();
        });
        assertTrue(fired.await(WAIT_SECONDS, TimeUnit.SECONDS), "the entry never fired");
        return thread.get();
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), what);
    }

    private static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - end < 0, what);
            Thread.sleep(1);
        }
    }

    @Test
    void firesOnlyOnceTheDeadlineHasPassed() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        AtomicLong firedAt = new AtomicLong();
        CountDownLatch fired = new CountDownLatch(1);
        Timer.Entry entry = timer.schedule(deadline, () -> {
            firedAt.set(System.nanoTime());
            fired.countDown();
        });
        assertEquals(deadline, entry.deadlineNanos());
        await(fired, "the entry never fired");
        assertTrue(firedAt.get() - deadline >= 0,
                "fired " + (deadline - firedAt.get()) + " ns before its deadline");
        assertTrue(entry.isFired());
        assertEquals(1, timer.fired());
        assertEquals(0, timer.pending());
    }

    @Test
    void aDeadlineAlreadyPastFires() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        timer.schedule(System.nanoTime() - TimeUnit.SECONDS.toNanos(1), fired::countDown);
        await(fired, "an entry whose deadline had passed never fired");
    }

    @Test
    void entriesScheduledTogetherFireInDeadlineOrder() throws InterruptedException {
        Gate gate = holdTimerThread();
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            offsets.add(i);
        }
        Collections.shuffle(offsets, new Random(1));
        Queue<Integer> order = new ConcurrentLinkedQueue<>();
        CountDownLatch all = new CountDownLatch(offsets.size());
        long base = System.nanoTime();
        for (int offset : offsets) {
            timer.schedule(base + offset * 1_000L, () -> {
                order.add(offset);
                all.countDown();
            });
        }
        gate.open.countDown();
        await(all, "not every entry fired");
        List<Integer> expected = new ArrayList<>(offsets);
        expected.sort(null);
        assertEquals(expected, new ArrayList<>(order));
    }

    @Test
    void cancelBeforeFiringStopsTheEntry() throws InterruptedException {
        Gate gate = holdTimerThread();
        AtomicBoolean ran = new AtomicBoolean();
        long now = System.nanoTime();
        Timer.Entry entry = timer.schedule(now, () -> ran.set(true)); // due, but the timer is held
        CountDownLatch later = new CountDownLatch(1);
        timer.schedule(now + 1, later::countDown);
        assertTrue(entry.cancel(), "cancelling a pending entry");
        gate.open.countDown();
        await(later, "the entry after the cancelled one never fired");
        assertFalse(ran.get(), "a cancelled entry fired");
        assertFalse(entry.isFired());
        assertEquals(2, timer.fired()); // the gate and the later entry
        assertEquals(0, timer.pending());
    }

    @Test
    void cancelAfterFiringReturnsFalse() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        Timer.Entry entry = timer.schedule(System.nanoTime(), fired::countDown);
        await(fired, "the entry never fired");
        assertFalse(entry.cancel(), "cancel of a fired entry");
        assertTrue(entry.isFired());
        assertEquals(0, timer.pending());
    }

    @Test
    void secondCancelReturnsFalse() {
        Timer.Entry entry = timer.schedule(System.nanoTime() + HOUR, () -> { });
        assertTrue(entry.cancel());
        assertFalse(entry.cancel());
        assertFalse(entry.isFired());
        assertEquals(0, timer.pending());
    }

    @Test
    void pendingCountsEntriesNeitherFiredNorCancelled() throws InterruptedException {
        long far = System.nanoTime() + HOUR;
        Timer.Entry a = timer.schedule(far, () -> { });
        timer.schedule(far + 1, () -> { });
        timer.schedule(far + 2, () -> { });
        assertEquals(3, timer.pending());
        a.cancel();
        assertEquals(2, timer.pending());
        CountDownLatch fired = new CountDownLatch(1);
        timer.schedule(System.nanoTime(), fired::countDown);
        await(fired, "the due entry never fired");
        assertEquals(2, timer.pending());
        assertEquals(1, timer.fired());
    }

    @Test
    void aThrowingActionIsCountedAndLaterEntriesStillFire() throws InterruptedException {
        long now = System.nanoTime();
        timer.schedule(now, () -> {
            throw new IllegalStateException("thrown on purpose by the test");
        });
        timer.schedule(now + 1, () -> {
            throw new AssertionError("an Error, thrown on purpose by the test");
        });
        CountDownLatch later = new CountDownLatch(1);
        timer.schedule(now + 2, later::countDown);
        await(later, "an entry after throwing actions never fired");
        assertEquals(2, timer.failed());
        assertEquals(3, timer.fired());
    }

    @Test
    void theTimerThreadIsANamedDaemonPlatformThread() throws InterruptedException {
        Thread t = timerThread();
        assertEquals(name, t.getName());
        assertTrue(t.isDaemon());
        assertFalse(t.isVirtual());
    }

    @Test
    void scheduleAfterCloseIsRejectedNamingTheThread() {
        timer.close();
        var e = assertThrows(IllegalStateException.class, () -> timer.schedule(System.nanoTime(), () -> { }));
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void closeEndsTheThreadAndPendingEntriesNeverFire() throws InterruptedException {
        Thread t = timerThread();
        AtomicInteger ran = new AtomicInteger();
        List<Timer.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            entries.add(timer.schedule(System.nanoTime() + HOUR, ran::incrementAndGet));
        }
        timer.close();
        t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertFalse(t.isAlive(), "the timer thread is still alive after close");
        assertEquals(0, ran.get());
        for (Timer.Entry e : entries) {
            assertFalse(e.isFired());
        }
    }

    @Test
    void dueEntriesDoNotFireOnceCloseHasBegun() throws InterruptedException {
        Thread t = timerThread();
        Gate gate = holdTimerThread();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            timer.schedule(System.nanoTime(), ran::incrementAndGet); // due while the gate holds the timer
        }
        Thread closer = Thread.ofPlatform().start(timer::close); // waits up to a second for the gate
        awaitCondition(() -> timer.toString().endsWith("closed]"), "close() never took effect");
        gate.open.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertFalse(t.isAlive(), "the timer thread is still alive after close");
        assertEquals(0, ran.get(), "entries fired after close()");
    }

    @Test
    void closeIsIdempotent() throws InterruptedException {
        Thread t = timerThread();
        timer.close();
        timer.close();
        t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertFalse(t.isAlive(), "the timer thread is still alive after close");
        timer.close();
    }

    @Test
    void closeFromAnActionEndsTheTimer() throws InterruptedException {
        Thread t = timerThread();
        CountDownLatch closed = new CountDownLatch(1);
        timer.schedule(System.nanoTime(), () -> {
            timer.close(); // on the timer thread: must not wait for itself
            closed.countDown();
        });
        await(closed, "the closing action never fired");
        t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertFalse(t.isAlive(), "the timer thread is still alive after closing itself");
        assertThrows(IllegalStateException.class, () -> timer.schedule(System.nanoTime(), () -> { }));
    }

    @Test
    void interruptingTheTimerThreadDoesNotStopIt() throws InterruptedException {
        timerThread().interrupt();
        CountDownLatch fired = new CountDownLatch(1);
        timer.schedule(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5), fired::countDown);
        await(fired, "an entry never fired after the timer thread was interrupted");
    }

    @Test
    void aMillionCancelledEntriesLeaveNothingPendingAndArePurged() throws InterruptedException {
        int n = 1_000_000;
        Runnable nothing = () -> { };
        long far = System.nanoTime() + HOUR;
        Timer.Entry[] entries = new Timer.Entry[n];
        for (int i = 0; i < n; i++) {
            entries[i] = timer.schedule(far + i, nothing);
        }
        assertEquals(n, timer.pending());
        CountDownLatch drained = new CountDownLatch(1); // fires once the timer has taken them all in
        timer.schedule(System.nanoTime(), drained::countDown);
        await(drained, "the entry after the million never fired");

        // Cancel all but the earliest, so the top of the heap stays live: only a purge helps.
        for (int i = n - 1; i >= 1; i--) {
            assertTrue(entries[i].cancel());
        }
        assertEquals(1, timer.pending());
        // The cancels wake the timer to purge, down to the last few it is not woken for.
        awaitCondition(() -> timer.heapSize() <= 1 + Timer.PURGE_WAKE_MIN_CANCELS,
                "the heap still holds " + timer.heapSize() + " entries");

        assertTrue(entries[0].cancel());
        assertEquals(0, timer.pending());
        // Any later turn purges the rest: they are more than half the heap.
        CountDownLatch fired = new CountDownLatch(1);
        timer.schedule(System.nanoTime(), fired::countDown);
        await(fired, "the entry after the cancelled ones never fired");
        awaitCondition(() -> timer.heapSize() == 0, "the heap still holds " + timer.heapSize() + " entries");
        assertEquals(2, timer.fired());
    }
}
