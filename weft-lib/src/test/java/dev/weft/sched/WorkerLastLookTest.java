package dev.weft.sched;

import dev.weft.runtime.RuntimeStats;
import dev.weft.runtime.WorkerStats;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One interleaving of the sleep/wake protocol ({@link Worker}: "Taking itself back"), forced
 * with the scheduler's {@code beforeSleep} seam instead of hoped for in a stress run: the last
 * searcher is held just before it goes to sleep while a busy task spawns two children, so every
 * spawn's notifier sees a searcher and leaves the waking to it. Released, the searcher finds the
 * children in its last look and takes itself back; it must go on as a searcher, so that when it
 * takes one child it wakes the sleeping worker for the other. (It used to go on uncounted: it
 * stole one of the two, woke nobody, and the other child waited on the busy worker's queue while
 * a worker slept.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerLastLookTest {

    /** How long work may wait for a worker before it counts as lost: far above any delay the machine adds. */
    private static final long LOST_NANOS = TimeUnit.SECONDS.toNanos(10);

    private Scheduler scheduler;

    @AfterEach
    void close() throws InterruptedException {
        if (scheduler != null) {
            scheduler.beforeSleep = null;
            scheduler.close();
            assertTrue(scheduler.awaitTermination(Duration.ofSeconds(30)), "the runtime did not terminate");
        }
    }

    @Test
    void aSearcherWhoseLastLookFindsTwoTasksWakesASleeperForTheSecond() throws Exception {
        scheduler = Scheduler.start(SchedulerConfig.of(3, "last-look"));
        assertTrue(spinUntil(this::allParked), "the workers did not all go to sleep: " + scheduler.stats(RuntimeStats::new, WorkerStats::new));

        AtomicReference<Worker> held = new AtomicReference<>();
        CountDownLatch release = new CountDownLatch(1);
        scheduler.beforeSleep = w -> {
            // The first worker about to sleep while still counted as searching: the one the
            // parent's start woke (the parent's worker found it, and as the last searcher woke it).
            if (w.isSearching() && held.compareAndSet(null, w)) {
                try {
                    release.await(LOST_NANOS, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        AtomicInteger started = new AtomicInteger();
        JoinHandle<String> parent = scheduler.spawn(() -> {
            // Hold this worker throughout (spins, no weft wait): the children can run only elsewhere.
            if (!spinUntil(() -> held.get() != null)) {
                return "no worker went to sleep counted as searching";
            }
            if (scheduler.searching.get() != 1 || scheduler.sleepers.get() != 1) {
                release.countDown();
                return "not the set-up: searching=" + scheduler.searching.get() + " sleepers=" + scheduler.sleepers.get();
            }
            for (int i = 0; i < 2; i++) {
                Task.spawn(() -> {
                    started.incrementAndGet();
                    // Hold this worker too until both run, for longer than the parent waits: a
                    // child that gave up first would free its worker for the other child.
                    WorkerWakeStressTest.busyUntil(() -> started.get() == 2, 2 * LOST_NANOS);
                });
            }
            release.countDown(); // the held searcher goes to sleep, and its last look finds both
            return spinUntil(() -> started.get() == 2) ? "both started"
                    : started.get() + " of 2 children started; searching=" + scheduler.searching.get()
                    + " sleepers=" + scheduler.sleepers.get() + " queued=" + queued();
        });
        assertEquals("both started", parent.join(Duration.ofNanos(4 * LOST_NANOS)),
                "children spawned while the last searcher went to sleep");
    }

    private boolean allParked() {
        for (Worker w : scheduler.workers) {
            if (w.state != Worker.SLEEPING || !w.parked) {
                return false;
            }
        }
        return true;
    }

    private String queued() {
        StringBuilder b = new StringBuilder();
        for (Worker w : scheduler.workers) {
            b.append(b.isEmpty() ? "" : ",").append(w.queue.size());
        }
        return b.toString();
    }

    /** Spins (holding the thread's worker, if any) until {@code done} or the loss bound; whether it became true. */
    private static boolean spinUntil(BooleanSupplier done) {
        return WorkerWakeStressTest.busyUntil(done, LOST_NANOS);
    }
}
