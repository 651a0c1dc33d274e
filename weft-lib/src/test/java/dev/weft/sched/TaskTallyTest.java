package dev.weft.sched;

import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import dev.weft.task.TaskKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TaskTally}: a family of tasks counted from its first task's spawn to its last end. */
class TaskTallyTest {

    private Scheduler scheduler;

    @AfterEach
    void close() throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdownNow();
            assertTrue(scheduler.awaitTermination(Duration.ofSeconds(30)), "the runtime did not terminate");
        }
    }

    @Test
    void everyTaskSpawnedTransitivelyCountsUntilItHasEnded() throws Exception {
        scheduler = Scheduler.start(SchedulerConfig.of(2, "tally"));
        Semaphore zero = new Semaphore(0);
        TaskTally tally = new TaskTally(zero::release);
        AtomicInteger ended = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        scheduler.spawnTallied(tally, () -> {
            for (int i = 0; i < 10; i++) {
                Task.spawn(() -> {
                    // grandchildren, one of them dedicated and named through a builder
                    Task.spawn(() -> {
                        release.await();
                        ended.incrementAndGet();
                        return null;
                    });
                    scheduler.taskBuilder().name("grandchild").kind(TaskKind.DEDICATED).spawn(() -> {
                        release.await();
                        ended.incrementAndGet();
                        return null;
                    });
                    ended.incrementAndGet();
                });
            }
        });
        assertTrue(spinUntil(() -> ended.get() == 10), "the children ran");
        assertEquals(20, tally.live(), "the twenty waiting grandchildren count");
        assertFalse(zero.tryAcquire(), "the count has not reached zero");
        release.countDown();
        assertTrue(zero.tryAcquire(30, TimeUnit.SECONDS), "the count reached zero");
        assertEquals(30, ended.get());
        assertEquals(0, tally.live());
    }

    @Test
    void tasksSpawnedFromOutsideTheFamilyDoNotCount() throws Exception {
        scheduler = Scheduler.start(SchedulerConfig.of(2, "tally"));
        TaskTally tally = new TaskTally(() -> { });
        CountDownLatch release = new CountDownLatch(1);
        JoinHandle<Void> outside = scheduler.spawn(() -> {
            release.await();
            return null;
        });
        scheduler.spawnTallied(tally, () -> { }).join(Duration.ofSeconds(10));
        assertTrue(spinUntil(() -> tally.live() == 0), "the family's one task ended");
        assertFalse(outside.isDone());
        release.countDown();
        outside.join(Duration.ofSeconds(10));
    }

    @Test
    void aCarryingTaskDoesNotCountButItsChildrenDo() throws Exception {
        scheduler = Scheduler.start(SchedulerConfig.of(2, "tally"));
        TaskTally tally = new TaskTally(() -> { });
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch carrierRuns = new CountDownLatch(1);
        CountDownLatch childSpawned = new CountDownLatch(1);
        scheduler.spawnTallied(tally, () -> {
            scheduler.spawnCarrying(() -> {
                carrierRuns.countDown();
                Task.spawn(() -> {
                    release.await();
                    return null;
                });
                childSpawned.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        });
        assertTrue(childSpawned.await(10, TimeUnit.SECONDS));
        assertTrue(spinUntil(() -> tally.live() == 1),
                "only the carrier's child counts (the first task ended; the carrier does not count): " + tally);
        release.countDown();
        assertTrue(spinUntil(() -> tally.live() == 0), "the child left the count");
    }

    @Test
    void aTaskThatNeverRunsStillLeavesTheCount() throws Exception {
        scheduler = Scheduler.start(SchedulerConfig.of(1, "tally"));
        TaskTally tally = new TaskTally(() -> { });
        CountDownLatch spawned = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        scheduler.spawnTallied(tally, () -> {
            JoinHandle<Void> child = Task.spawn(() -> { }); // queued behind this task on the one worker
            child.cancel();
            spawned.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(spawned.await(10, TimeUnit.SECONDS));
        assertEquals(1, tally.live(), "the cancelled child left the count; its parent waits");
        release.countDown();
        assertTrue(spinUntil(() -> tally.live() == 0), "the parent left the count too");
    }

    private static boolean spinUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }
}
