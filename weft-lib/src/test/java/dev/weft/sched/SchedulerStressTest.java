package dev.weft.sched;

import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;
import dev.weft.runtime.RuntimeStats;
import dev.weft.runtime.WorkerStats;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The scheduler under races: wake-ups against workers falling asleep, park/unpark hand-offs,
 * stealing, close against spawn. A lost wake-up shows as a join that does not return: each test
 * waits with a bound far above the expected time and fails naming what hung.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SchedulerStressTest {

    @Test
    void aTaskPushedAsTheWorkersFallAsleepStillRuns() throws Exception {
        try (Weft rt = Weft.start(Config.builder().workers(2).build())) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < 20_000; i++) {
                // Workers spin about 90 µs before they park: delays around that window make the
                // spawn land while a worker registers as sleeping, is spinning, or parks.
                long until = System.nanoTime() + random.nextLong(200_000);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                JoinHandle<Integer> h = rt.spawn(() -> 1);
                try {
                    h.join(Duration.ofSeconds(20));
                } catch (TimeoutException e) {
                    fail("spawn " + i + " from outside never ran: a lost wake-up; " + rt.stats());
                }
            }
        }
    }

    @Test
    void tenMillionParkUnparkHandOffsBetweenTasks() throws Exception {
        int roundTrips = 5_000_000; // two hand-offs each
        try (Weft rt = Weft.start(Config.builder().workers(2).build())) {
            PingPong game = new PingPong();
            JoinHandle<Void> a = rt.spawn(() -> game.play(0, roundTrips));
            JoinHandle<Void> b = rt.spawn(() -> game.play(1, roundTrips));
            try {
                a.join(Duration.ofSeconds(150));
                b.join(Duration.ofSeconds(150));
            } catch (TimeoutException e) {
                fail("ping-pong hung at turn " + game.turn + ": a lost wake-up; " + rt.stats());
            }
            assertEquals(2L * roundTrips, game.turn);
        }
    }

    /** Two players take turns: each waits (parks) until the shared counter says its turn. */
    static final class PingPong {
        final Thread[] players = new Thread[2];
        volatile long turn;

        void play(int me, int rounds) {
            play(me, rounds, () -> { });
        }

        /** Plays, running {@code eachTurn} on each of its turns. */
        void play(int me, int rounds, Runnable eachTurn) {
            players[me] = Thread.currentThread();
            while (players[1 - me] == null) {
                Thread.onSpinWait();
                Thread.yield();
            }
            for (int i = 0; i < rounds; i++) {
                while ((turn & 1) != me) {
                    LockSupport.park(this);
                }
                eachTurn.run();
                turn = turn + 1;
                LockSupport.unpark(players[1 - me]);
            }
        }
    }

    @Test
    void underStealingEveryTaskRunsExactlyOnce() throws Exception {
        int parents = 200;
        int children = 1_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(parents * children);
        try (Weft rt = Weft.start(Config.builder().workers(4).build())) {
            rt.spawn(() -> {
                List<JoinHandle<Void>> hs = new ArrayList<>();
                for (int p = 0; p < parents; p++) {
                    int base = p * children;
                    hs.add(Task.spawn(() -> {
                        for (int c = 0; c < children; c++) {
                            int slot = base + c;
                            Task.spawn(() -> {
                                runs.incrementAndGet(slot);
                            });
                        }
                    }));
                }
                for (JoinHandle<Void> h : hs) {
                    h.join();
                }
                return null;
            }).join();
            rt.close();
            assertTrue(rt.awaitTermination(Duration.ofSeconds(60)), "tasks left behind: " + rt.stats());
            RuntimeStats stats = rt.stats();
            assertEquals(1L + parents + (long) parents * children, stats.total(WorkerStats::completed));
        }
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(1, runs.get(i), "task " + i + " ran " + runs.get(i) + " times");
        }
    }

    @Test
    void closeRacingSpawnLosesNoAcceptedTask() throws Exception {
        for (int round = 0; round < 20; round++) {
            Weft rt = Weft.start(Config.builder().workers(2).build());
            AtomicLong accepted = new AtomicLong();
            AtomicLong ran = new AtomicLong();
            AtomicLong rejected = new AtomicLong();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> spawners = new ArrayList<>();
            Runnable spawnUntilRejected = () -> {
                try {
                    go.await();
                    for (;;) {
                        rt.spawn(ran::incrementAndGet);
                        accepted.incrementAndGet();
                    }
                } catch (IllegalStateException e) {
                    assertTrue(e.getMessage().contains("closed"), e.getMessage());
                    rejected.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            for (int i = 0; i < 2; i++) {
                spawners.add(Thread.ofPlatform().start(spawnUntilRejected));
            }
            // Spawners inside the runtime too, so the workers' own spawn path races close.
            for (int i = 0; i < 2; i++) {
                rt.spawn(() -> {
                    try {
                        for (;;) {
                            Task.spawn(ran::incrementAndGet);
                            accepted.incrementAndGet();
                            Task.check();
                        }
                    } catch (IllegalStateException e) {
                        rejected.incrementAndGet();
                    }
                });
            }
            go.countDown();
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 5));
            rt.close();
            for (Thread t : spawners) {
                t.join();
            }
            assertTrue(rt.awaitTermination(Duration.ofSeconds(60)), "round " + round + ": " + rt.stats());
            assertEquals(4, rejected.get());
            assertEquals(accepted.get(), ran.get(), "round " + round + ": every accepted spawn ran");
        }
    }
}
