package dev.weft.sched;

import dev.weft.sched.RunQueueTest.Item;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The injector on real threads, more of them than this machine has cores, so that producers are
 * preempted between the two steps of a push. Task {@code p * TASKS + i} is producer {@code p}'s
 * {@code i}-th push.
 * <ul>
 *   <li>Three producers, two consumers racing for the flag, each alternating poll and pollInto
 *       into its own ring: every task is taken exactly once, and each consumer sees each
 *       producer's tasks in push order.</li>
 *   <li>The sleep protocol of the class comment of {@link Injector}, with a consumer that parks
 *       with no timeout: a lost wake-up hangs the test until its timeout. Producers pause
 *       between bursts, so the consumer goes to sleep thousands of times.</li>
 * </ul>
 * On a timeout JUnit interrupts the joining test thread; the {@code finally} then stops the
 * threads still running.
 */
class InjectorStressTest {

    private static final int PRODUCERS = 3;
    private static final int TASKS = 300_000;
    private static final int CONSUMERS = 2;
    private static final int RING = 64;
    /** Sleeper test: tasks a producer pushes between pauses, and the pause. */
    private static final int BURST = 128;
    private static final long PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void competingConsumersTakeEveryTaskExactlyOnceInEachProducersOrder() throws Exception {
        Injector injector = new Injector();
        Item[] items = items();
        AtomicIntegerArray taken = new AtomicIntegerArray(items.length);
        Flags flags = new Flags();
        long[] batches = new long[CONSUMERS]; // each written by its consumer only, read after join
        CyclicBarrier start = new CyclicBarrier(PRODUCERS + CONSUMERS);

        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            threads.add(producer(p, injector, items, start, flags, null));
        }
        for (int c = 0; c < CONSUMERS; c++) {
            int self = c;
            threads.add(thread("consumer-" + c, () -> {
                RunQueue ring = new RunQueue(RING);
                int[] lastSeen = new int[PRODUCERS];
                Arrays.fill(lastSeen, -1);
                await(start);
                for (long round = 0; !flags.abort; round++) {
                    if ((round & 1) == 0) {
                        take(injector.poll(), taken, lastSeen);
                    } else {
                        // max runs past the ring's capacity, so that both limits are hit. The
                        // ring is emptied before the next poll, which would overtake it.
                        int n = injector.pollInto(ring, 1 + (int) (round % (RING + 7)));
                        if (n > 0) {
                            batches[self]++;
                        }
                        for (Runnable r; (r = ring.pop()) != null; ) {
                            take(r, taken, lastSeen);
                        }
                    }
                    if (flags.producersDone == PRODUCERS && injector.isEmpty()) {
                        break; // nothing more arrives
                    }
                }
            }));
        }
        runAll(threads, flags, null);

        assertEveryTaskTakenOnce(taken);
        assertTrue(injector.isEmpty());
        assertNull(injector.poll());
        assertTrue(batches[0] > 0 && batches[1] > 0,
                "both consumers should take batches: " + batches[0] + ", " + batches[1]);
        System.out.printf("competing consumers: %d and %d batches%n", batches[0], batches[1]);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aConsumerThatSleepsOnAnEmptyCheckIsAlwaysWoken() throws Exception {
        Injector injector = new Injector();
        Item[] items = items();
        AtomicIntegerArray taken = new AtomicIntegerArray(items.length);
        Flags flags = new Flags();
        CyclicBarrier start = new CyclicBarrier(PRODUCERS + 1);
        long[] sleeps = new long[1];
        long[] inFlight = new long[1]; // polls that found nothing while isEmpty() was false

        Thread consumer = thread("sleeper", () -> {
            int[] lastSeen = new int[PRODUCERS];
            Arrays.fill(lastSeen, -1);
            await(start);
            int count = 0;
            while (count < items.length && !flags.abort) {
                Runnable r = injector.poll();
                if (r != null) {
                    take(r, taken, lastSeen);
                    count++;
                    continue;
                }
                flags.sleeping = true;
                VarHandle.fullFence();
                if (injector.isEmpty()) {
                    sleeps[0]++;
                    LockSupport.park(); // no timeout: only a producer's unpark ends it
                } else {
                    inFlight[0]++;
                    Thread.yield(); // a push in flight: look again soon
                }
                flags.sleeping = false;
            }
        });
        List<Thread> threads = new ArrayList<>();
        threads.add(consumer);
        for (int p = 0; p < PRODUCERS; p++) {
            threads.add(producer(p, injector, items, start, flags, consumer));
        }
        runAll(threads, flags, consumer);

        assertEveryTaskTakenOnce(taken);
        assertTrue(injector.isEmpty());
        assertTrue(sleeps[0] > 0, "the consumer never slept: the protocol was not exercised");
        System.out.printf("sleeper: %d sleeps, %d times a push in flight%n", sleeps[0], inFlight[0]);
    }

    // ---------------------------------------------------------------------------------------

    private static final class Flags {
        /** Producers that pushed all their tasks. */
        volatile int producersDone;
        /** The sleeper announces it may park. */
        volatile boolean sleeping;
        /** The test is over (it timed out): threads still running stop. */
        volatile boolean abort;
    }

    private static Item[] items() {
        Item[] items = new Item[PRODUCERS * TASKS];
        for (int i = 0; i < items.length; i++) {
            items[i] = new Item(i);
        }
        return items;
    }

    /**
     * Pushes producer {@code p}'s tasks. Without a {@code sleeper}, yields now and then. With one,
     * wakes it after a push if it announced sleep (the push's swap is the producer's fence), and
     * pauses after every {@link #BURST} tasks, so that the sleeper catches up, finds the injector
     * empty and sleeps, again and again.
     */
    private static Thread producer(int p, Injector injector, Item[] items, CyclicBarrier start,
                                   Flags flags, Thread sleeper) {
        return thread("producer-" + p, () -> {
            await(start);
            for (int i = 0; i < TASKS && !flags.abort; i++) {
                injector.push(items[p * TASKS + i]);
                if (sleeper != null && flags.sleeping) {
                    LockSupport.unpark(sleeper);
                }
                if (sleeper == null) {
                    if ((i & 1023) == 1023) {
                        Thread.yield();
                    }
                } else if (i % BURST == BURST - 1) {
                    LockSupport.parkNanos(PAUSE_NANOS);
                }
            }
            synchronized (flags) {
                flags.producersDone++;
            }
        });
    }

    private static Thread thread(String name, Runnable body) {
        return Thread.ofPlatform().daemon().name(name).unstarted(body);
    }

    private static void runAll(List<Thread> threads, Flags flags, Thread sleeper) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (Thread t : threads) {
            t.setUncaughtExceptionHandler((th, e) -> failure.compareAndSet(null, e));
            t.start();
        }
        try {
            for (Thread t : threads) {
                t.join();
            }
        } finally {
            flags.abort = true; // on a timeout, the interrupted join lands here
            if (sleeper != null) {
                LockSupport.unpark(sleeper);
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("an injector thread failed", failure.get());
        }
    }

    /** Counts the task and checks it comes after this consumer's last task from its producer. */
    private static void take(Runnable r, AtomicIntegerArray taken, int[] lastSeen) {
        if (r == null) {
            return;
        }
        int v = ((Item) r).value();
        int producer = v / TASKS;
        int seq = v % TASKS;
        if (seq <= lastSeen[producer]) {
            throw new AssertionError("producer " + producer + "'s task " + seq
                    + " taken after its task " + lastSeen[producer]);
        }
        lastSeen[producer] = seq;
        taken.incrementAndGet(v);
    }

    private static void assertEveryTaskTakenOnce(AtomicIntegerArray taken) {
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < taken.length() && wrong.size() < 10; i++) {
            if (taken.get(i) != 1) {
                wrong.add("producer " + i / TASKS + "'s task " + i % TASKS + " taken " + taken.get(i) + " times");
            }
        }
        assertEquals(List.of(), wrong, "every task must be taken exactly once");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
