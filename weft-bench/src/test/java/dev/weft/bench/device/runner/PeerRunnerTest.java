package dev.weft.bench.device.runner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the peer runner adds to a queue: batching, bounded capacity, parking and waking. */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PeerRunnerTest {

    @Test
    void noBatchHoldsMoreThanOneWeftBufferOfTasks() {
        try (PeerRunner runner = new PeerRunner("jctools", new JctoolsQueue(PeerRunner.CAPACITY))) {
            CountDownLatch release = new CountDownLatch(1);
            runner.submit(s -> awaitQuietly(release)); // hold the runner while the queue fills
            // tasksRun advances once per batch, after it: tasks of one batch all see one value
            Map<Long, Integer> tasksPerBatch = new HashMap<>(); // runner thread only
            for (int i = 0; i < PeerRunner.CAPACITY; i++) {
                runner.submit(s -> tasksPerBatch.merge(runner.tasksRun(), 1, Integer::sum));
            }
            release.countDown();
            runner.call(s -> s.count);

            assertEquals(PeerRunner.CAPACITY, tasksPerBatch.values().stream().mapToInt(i -> i).sum());
            assertEquals(PeerRunner.BATCH, Collections.max(tasksPerBatch.values()),
                    "largest batch (a full queue of 64 was waiting)");
        }
    }

    @Test
    void producerFacingAFullQueueWaitsUntilTheRunnerMakesRoom() throws Exception {
        try (PeerRunner runner = new PeerRunner("abq", new AbqQueue(PeerRunner.CAPACITY))) {
            CountDownLatch release = new CountDownLatch(1);
            runner.submit(s -> awaitQuietly(release));
            Thread producer = new Thread(() -> {
                for (int i = 0; i < 3 * PeerRunner.CAPACITY; i++) {
                    runner.submit(s -> s.count++);
                }
            });
            producer.start();
            producer.join(200);
            assertTrue(producer.isAlive(), "the producer cannot finish while the queue is full");
            release.countDown();
            producer.join();
            assertEquals(3L * PeerRunner.CAPACITY, runner.<Long>call(s -> s.count));
        }
    }

    @Test
    void parkedRunnerIsWokenBySubmit() throws Exception {
        try (PeerRunner runner = new PeerRunner("agrona", new AgronaQueue(PeerRunner.CAPACITY))) {
            Thread runnerThread = runner.call(s -> Thread.currentThread());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            Thread.State seen; // read once per check: a parked runner wakes now and then to re-check
            while ((seen = runnerThread.getState()) != Thread.State.TIMED_WAITING
                    && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(Thread.State.TIMED_WAITING, seen, "idle runner parks");
            assertEquals(1L, runner.<Long>call(s -> ++s.count));
        }
    }

    @Test
    void failingTaskIsCountedAndLaterTasksRun() {
        try (PeerRunner runner = new PeerRunner("disruptor", new DisruptorQueue(PeerRunner.CAPACITY))) {
            runner.submit(s -> {
                throw new IllegalStateException("boom");
            });
            runner.submit(s -> s.count++);
            assertEquals(1L, runner.<Long>call(s -> s.count));
            assertEquals(1, runner.tasksFailed());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
