package dev.weft.device;

import dev.weft.idle.Backoff;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stress tests of the channel and the runner under real contention. Each checks exactly-once and
 * per-producer order, or that no wake-up is lost: a lost wake-up with the one-hour park period
 * used here is a hang, and the preemptive timeout turns a hang into a failure.
 */
class BatchChannelStressTest {

    /** Parks almost at once and never wakes by itself: only the protocol's unparks wake it. */
    private static final Backoff PARK_AT_ONCE = new Backoff(0, 1, 1_000, TimeUnit.HOURS.toNanos(1));

    /** Runs on the runner thread only: checks each producer's sequence arrives 0, 1, 2, ... */
    static final class OrderCheck {
        final long[] next;
        long outOfOrder;
        long total;

        OrderCheck(int producers) {
            next = new long[producers];
        }

        void see(int producer, long seq) {
            if (next[producer] != seq) {
                outOfOrder++;
            }
            next[producer] = seq + 1;
            total++;
        }
    }

    @Test
    void fourProducersMillionTasksEachRunExactlyOnceInOrder() {
        assertTimeoutPreemptively(Duration.ofMinutes(3), () ->
                runProducers(DeviceConfig.DEFAULT, 4, 1_000_000));
    }

    @Test
    void tinyBatchesWithParkingProducersLoseNothing() {
        // Batch size 1 and immediate parking: producers meet two full buffers all the time and
        // park on the waiter stack; the runner parks whenever it catches up.
        assertTimeoutPreemptively(Duration.ofMinutes(3), () ->
                runProducers(DeviceConfig.DEFAULT.withBatchSize(1).withBackoff(PARK_AT_ONCE), 4, 20_000));
    }

    private static void runProducers(DeviceConfig config, int producers, int perProducer) throws Exception {
        DeviceId dev = Devices.fresh();
        DeviceHandle.configure(dev, config);
        DeviceHandle<OrderCheck> h = DeviceHandle.open(dev, OrderCheck.class, id -> new OrderCheck(producers));
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (long i = 0; i < perProducer; i++) {
                    long seq = i;
                    h.submit(c -> c.see(producer, seq));
                }
                h.flush();
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long[] expectedNext = new long[producers];
        java.util.Arrays.fill(expectedNext, perProducer);
        OrderCheck result = h.submitBlocking(c -> c);
        long[] next = h.submitBlocking(c -> c.next.clone());
        assertEquals(0, (long) h.submitBlocking(c -> c.outOfOrder), "tasks out of per-producer order");
        assertEquals((long) producers * perProducer, (long) h.submitBlocking(c -> c.total), "tasks lost or run twice");
        assertArrayEquals(expectedNext, next);
        assertTrue(result != null);
        assertTrue(DeviceHandle.shutdown(dev, Duration.ofSeconds(10)));
    }

    @Test
    void roundTripsWithParkingOnBothSidesNeverLoseAWakeUp() {
        // Every call: the caller flushes (wakes a parked runner), the runner completes (wakes a
        // parked caller). Both sides park at once, so each call races two park/unpark pairs.
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            DeviceId dev = Devices.fresh();
            DeviceHandle.configure(dev, DeviceConfig.DEFAULT.withBackoff(PARK_AT_ONCE));
            DeviceHandle<AtomicLong> h = DeviceHandle.open(dev, AtomicLong.class, id -> new AtomicLong());
            int callers = 2;
            int calls = 20_000;
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < calls; i++) {
                        h.submitBlocking(AtomicLong::incrementAndGet);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals((long) callers * calls, (long) h.submitBlocking(AtomicLong::get));
            assertTrue(DeviceHandle.shutdown(dev, Duration.ofSeconds(10)));
        });
    }

    @Test
    void flushRacingARunnerAboutToParkIsNeverLost() {
        // One task, one flush, then wait for it to run: repeated, so flushes land at every point of
        // the runner's path to parking.
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            DeviceId dev = Devices.fresh();
            DeviceHandle.configure(dev, DeviceConfig.DEFAULT.withBackoff(PARK_AT_ONCE));
            DeviceHandle<AtomicLong> h = DeviceHandle.open(dev, AtomicLong.class, id -> new AtomicLong());
            AtomicLong ran = h.submitBlocking(c -> c);
            for (int i = 1; i <= 20_000; i++) {
                h.submit(AtomicLong::incrementAndGet);
                h.flush();
                long step = 0;
                while (ran.get() < i) {
                    step = Backoff.DEFAULT.idle(step);
                }
            }
            assertTrue(DeviceHandle.shutdown(dev, Duration.ofSeconds(10)));
        });
    }

    @Test
    void shutdownRacingSendersRunsEveryAcceptedTaskAndRejectsTheRest() {
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            for (int round = 0; round < 20; round++) {
                DeviceId dev = Devices.fresh();
                DeviceHandle<AtomicLong> h = DeviceHandle.open(dev, AtomicLong.class, id -> new AtomicLong());
                AtomicLong ran = h.submitBlocking(c -> c);
                AtomicLong accepted = new AtomicLong();
                CountDownLatch going = new CountDownLatch(4);
                List<Thread> threads = new ArrayList<>();
                for (int p = 0; p < 4; p++) {
                    threads.add(Thread.ofPlatform().start(() -> {
                        going.countDown();
                        try {
                            for (;;) {
                                h.submit(AtomicLong::incrementAndGet);
                                accepted.incrementAndGet();
                            }
                        } catch (IllegalStateException rejected) {
                            // the device is shut down: this submit was not accepted
                        }
                    }));
                }
                going.await();
                Thread.sleep(round % 5); // shut down at varying points
                assertTrue(DeviceHandle.shutdown(dev, Duration.ofSeconds(30)));
                for (Thread t : threads) {
                    t.join();
                }
                assertEquals(accepted.get(), ran.get(), "round " + round + ": accepted vs run");
            }
        });
    }
}
