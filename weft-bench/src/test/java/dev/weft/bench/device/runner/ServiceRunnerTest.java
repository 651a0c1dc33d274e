package dev.weft.bench.device.runner;

import dev.weft.bench.device.BenchDevices;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract every runner the device suite measures must keep, weft's and each peer's. */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServiceRunnerTest {

    static final List<String> IMPLS = ServiceRunners.IMPLS;

    private static ServiceRunner open(String impl) {
        return ServiceRunners.open(impl, BenchDevices.next());
    }

    @ParameterizedTest
    @FieldSource("IMPLS")
    void everyTaskRunsExactlyOnceInPerProducerOrder(String impl) throws Exception {
        int producers = 2;
        int perProducer = 10_000;
        // Touched by tasks only, so by the runner thread only; read here after a call.
        long[] next = new long[producers];
        long[] outOfOrder = new long[1];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (ServiceRunner runner = open(impl)) {
            Thread[] threads = new Thread[producers];
            for (int p = 0; p < producers; p++) {
                int producer = p;
                threads[p] = new Thread(() -> {
                    try {
                        for (long i = 0; i < perProducer; i++) {
                            long seq = i;
                            runner.submit(s -> {
                                if (next[producer] != seq) {
                                    outOfOrder[0]++;
                                }
                                next[producer] = seq + 1;
                                s.count++;
                            });
                        }
                        runner.flush();
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                threads[p].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            long ran = runner.call(s -> s.count); // queued after every producer's tasks

            assertNull(failure.get());
            assertEquals((long) producers * perProducer, ran, "tasks run");
            assertEquals(0, outOfOrder[0], "tasks run out of their producer's order");
            assertArrayEquals(new long[] {perProducer, perProducer}, next);
        }
    }

    @ParameterizedTest
    @FieldSource("IMPLS")
    void callRunsAfterTheTasksItsThreadSubmitted(String impl) {
        try (ServiceRunner runner = open(impl)) {
            for (int i = 0; i < 100; i++) {
                runner.submit(s -> s.count++);
            }
            assertEquals(100L, runner.<Long>call(s -> s.count));
        }
    }

    @ParameterizedTest
    @FieldSource("IMPLS")
    void throwingCallReachesTheCallerAndTheRunnerCarriesOn(String impl) {
        try (ServiceRunner runner = open(impl)) {
            RuntimeException thrown = assertThrows(RuntimeException.class,
                    () -> runner.call(s -> {
                        throw new IllegalStateException("boom");
                    }));
            assertTrue(causes(thrown, "boom"), "the body's exception is carried: " + thrown);
            assertEquals(1L, runner.<Long>call(s -> ++s.count));
        }
    }

    @ParameterizedTest
    @FieldSource("IMPLS")
    void burstWaiterSeesTheLastTaskOfTheBurst(String impl) {
        try (ServiceRunner runner = open(impl)) {
            for (int burst = 1; burst <= 50; burst++) {
                for (int k = 1; k < 32; k++) {
                    runner.submit(s -> s.count++);
                }
                runner.submit(CounterService::incrementAndPublish);
                runner.flush();
                runner.service().awaitPublished(32L * burst);
            }
            assertEquals(50L * 32, runner.<Long>call(s -> s.count));
        }
    }

    @ParameterizedTest
    @FieldSource("IMPLS")
    void closeRunsWhatWasAcceptedThenEndsTheRunnerThread(String impl) {
        AtomicLong ran = new AtomicLong();
        ServiceRunner runner = open(impl);
        Thread runnerThread = runner.call(s -> Thread.currentThread());
        for (int i = 0; i < 10; i++) {
            runner.submit(s -> ran.incrementAndGet()); // not flushed: close must still run them
        }
        runner.close();

        assertEquals(10, ran.get());
        assertTrue(!runnerThread.isAlive(), runnerThread.getName() + " is still alive after close");
    }

    private static boolean causes(Throwable t, String message) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (message.equals(c.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
