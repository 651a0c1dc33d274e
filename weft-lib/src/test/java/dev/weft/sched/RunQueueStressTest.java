package dev.weft.sched;

import dev.weft.sched.RunQueueTest.Item;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queue under real contention: one owner pushes a million distinct tasks, overflowing to a
 * concurrent queue when full and popping some itself, while three thieves steal from it (and
 * now and then from each other, so a queue is robbed while its owner steals into it) and pop
 * what they took. Every task must be taken exactly once. The preemptive timeout turns a hang (a
 * retry loop that never ends, or a queue that never looks empty because its counters went wrong)
 * into a failure.
 */
class RunQueueStressTest {

    private static final int TASKS = 1_000_000;
    private static final int THIEVES = 3;
    /** Small rings, so that the owner's ring fills and overflows and thieves' rings fill too. */
    private static final int OWNER_CAPACITY = 64;
    private static final int THIEF_CAPACITY = 32;
    private static final Duration HANG = Duration.ofMinutes(1);

    private static final int LOW_BITS = (1 << TaskCell.QUEUED_AT_BITS) - 1;

    @Test
    void everyTaskIsTakenExactlyOnce() {
        assertTimeoutPreemptively(HANG, () -> run(0, OWNER_CAPACITY, OWNER_CAPACITY, false));
    }

    @Test
    void everyTaskIsTakenExactlyOnceWhileTheCountersWrap() {
        // Every queue's counters cross 2^31 after its first thousand tasks.
        assertTimeoutPreemptively(HANG, () -> run(Integer.MAX_VALUE - 1_000, OWNER_CAPACITY, OWNER_CAPACITY, false));
    }

    @Test
    void everyTaskIsTakenExactlyOnceWhileTheRingGrows() {
        // The owner's ring starts at 2 slots and doubles up to 4096 while thieves steal from it,
        // with the counters crossing 2^31 on the way.
        assertTimeoutPreemptively(HANG, () -> run(Integer.MAX_VALUE - 1_000, 2, 4096, false));
    }

    @Test
    void forgottenEntriesAreSkippedAndNothingElseIsLost() {
        // The owner clears every fifth entry right after pushing it, as a joiner does for a task
        // it runs inline, and another one three pushes back, which a pop or a thief may have
        // taken by then (then nothing is cleared). A cleared entry is never delivered; one that a thief copied just
        // before the clear may be delivered once (the scheduler's claim CAS then skips it); no
        // entry is delivered twice, and every entry not cleared is delivered.
        assertTimeoutPreemptively(HANG, () -> run(Integer.MAX_VALUE - 1_000, 2, 4096, true));
    }

    private static void run(int initialCounter, int ownerCapacity, int growthLimit, boolean forgetting)
            throws Exception {
        AtomicIntegerArray forgotten = new AtomicIntegerArray(TASKS);
        int[] queuedAt = new int[TASKS]; // the owner's alone; it forgets by the low bits, as a task cell does
        Item[] items = new Item[TASKS];
        for (int i = 0; i < TASKS; i++) {
            items[i] = new Item(i);
        }
        AtomicIntegerArray taken = new AtomicIntegerArray(TASKS);
        RunQueue owner = new RunQueue(ownerCapacity, initialCounter, growthLimit);
        RunQueue[] thiefQueues = new RunQueue[THIEVES];
        for (int k = 0; k < THIEVES; k++) {
            thiefQueues[k] = new RunQueue(THIEF_CAPACITY, initialCounter);
        }
        ConcurrentLinkedQueue<Runnable> overflow = new ConcurrentLinkedQueue<>();
        long[] stolen = new long[THIEVES]; // each written by its thief only, read after join
        long[] overflowCalls = new long[1];
        CyclicBarrier start = new CyclicBarrier(THIEVES + 1);
        Stop stop = new Stop();
        AtomicReference<Throwable> failure = new AtomicReference<>();

        List<Thread> threads = new ArrayList<>();
        threads.add(Thread.ofPlatform().daemon().name("owner").unstarted(() -> {
            await(start);
            for (int i = 0; i < TASKS && !stop.abort; i++) {
                queuedAt[i] = owner.tailCounter();
                if (owner.pushOrOverflow(items[i], overflow::add) != 0) {
                    overflowCalls[0]++;
                }
                // The newest entry, and one three back that a pop or a thief may have taken.
                int old = i - 3;
                if (forgetting && i % 5 == 2 && owner.forget(items[i], queuedAt[i] & LOW_BITS, TaskCell.QUEUED_AT_BITS)) {
                    forgotten.set(i, 1);
                }
                if (forgetting && i % 5 == 4 && old >= 0 && owner.forget(items[old], queuedAt[old] & LOW_BITS, TaskCell.QUEUED_AT_BITS)) {
                    forgotten.set(old, 1);
                }
                if (i % 3 == 0) {
                    take(owner.pop(), taken);
                }
            }
            for (Runnable r; (r = owner.pop()) != null; ) {
                take(r, taken);
            }
            stop.ownerDone = true;
        }));
        for (int k = 0; k < THIEVES; k++) {
            int self = k;
            threads.add(Thread.ofPlatform().daemon().name("thief-" + k).unstarted(() -> {
                RunQueue mine = thiefQueues[self];
                RunQueue peer = thiefQueues[(self + 1) % THIEVES];
                await(start);
                for (long round = 0; !stop.abort; round++) {
                    RunQueue victim = (round & 3) == 3 ? peer : owner;
                    int n = victim.stealInto(mine);
                    stolen[self] += n;
                    // Run at most two, so that peers find something to steal here.
                    take(mine.pop(), taken);
                    take(mine.pop(), taken);
                    if (stop.ownerDone && owner.isEmpty()) {
                        break; // nothing more arrives in the owner's queue
                    }
                    if (n == 0) {
                        Thread.onSpinWait();
                    }
                }
                for (Runnable r; (r = mine.pop()) != null; ) {
                    take(r, taken); // only this thread adds to its queue: it stays empty now
                }
            }));
        }
        for (Thread t : threads) {
            t.setUncaughtExceptionHandler((th, e) -> failure.compareAndSet(null, e));
            t.start();
        }
        try {
            for (Thread t : threads) {
                t.join();
            }
        } finally {
            stop.abort = true; // on a timeout, the interrupted join lands here: stop the spinners
        }
        if (failure.get() != null) {
            throw new AssertionError("a queue thread failed", failure.get());
        }
        for (Runnable r : overflow) {
            take(r, taken);
        }

        List<String> wrong = new ArrayList<>();
        long cleared = 0;
        for (int i = 0; i < TASKS && wrong.size() < 10; i++) {
            cleared += forgotten.get(i);
            boolean ok = forgotten.get(i) == 1 ? taken.get(i) <= 1 : taken.get(i) == 1;
            if (!ok) {
                wrong.add("task " + i + " taken " + taken.get(i) + " times, cleared " + forgotten.get(i));
            }
        }
        if (forgetting) {
            assertTrue(cleared > 0, "the owner cleared no entry");
        }
        assertEquals(List.of(), wrong, "every task must be taken exactly once");
        long totalStolen = 0;
        for (long s : stolen) {
            totalStolen += s;
        }
        assertTrue(totalStolen > 0, "the thieves stole nothing: the run had no contention");
        System.out.printf("start %d: %d stolen, %d tasks overflowed in %d overflows%n",
                initialCounter, totalStolen, overflow.size(), overflowCalls[0]);
    }

    private static final class Stop {
        /** The owner pushed every task and emptied its queue. */
        volatile boolean ownerDone;
        /** The test is over (it timed out): threads still spinning stop. */
        volatile boolean abort;
    }

    private static void take(Runnable r, AtomicIntegerArray taken) {
        if (r != null) {
            taken.incrementAndGet(((Item) r).value());
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
