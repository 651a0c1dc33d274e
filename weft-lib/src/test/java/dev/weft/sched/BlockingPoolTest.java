package dev.weft.sched;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blocking pool on its own, called from plain threads. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockingPoolTest {

    /**
     * {@code size} calls that each wait for all the others can only end if each got its own thread,
     * also when the threads of the previous round are idle (two submits in a row must not both be
     * given the same idle thread).
     */
    @Test
    void callsThatWaitForEachOtherAllGetAThread() throws Exception {
        int size = 8;
        for (int pass = 0; pass < 10; pass++) {
            BlockingPool pool = new BlockingPool("bp-barrier", size);
            try {
                // k calls at once, k growing: each round finds k - 1 idle threads and needs one more
                for (int k = 1; k <= size; k++) {
                    CyclicBarrier barrier = new CyclicBarrier(k);
                    CountDownLatch go = new CountDownLatch(1);
                    List<Thread> callers = new ArrayList<>();
                    AtomicReference<Throwable> failure = new AtomicReference<>();
                    AtomicInteger done = new AtomicInteger();
                    for (int i = 0; i < k; i++) {
                        callers.add(Thread.ofPlatform().start(() -> {
                            try {
                                go.await();
                                pool.call(() -> barrier.await(5, TimeUnit.SECONDS), "caller");
                                done.incrementAndGet();
                            } catch (Throwable t) {
                                failure.compareAndSet(null, t);
                            }
                        }));
                    }
                    go.countDown(); // submits in a burst
                    for (Thread t : callers) {
                        t.join();
                    }
                    if (failure.get() != null) {
                        throw new AssertionError("pass " + pass + ", " + k + " calls: one did not get a thread",
                                failure.get());
                    }
                    assertEquals(k, done.get());
                    assertTrue(pool.threadCount() <= size, "threads: " + pool.threadCount());
                }
            } finally {
                pool.close();
                assertTrue(pool.awaitStopped(TimeUnit.SECONDS.toNanos(10)));
            }
        }
    }

    @Test
    void neverMoreThreadsThanItsSize() throws Exception {
        BlockingPool pool = new BlockingPool("bp-bound", 2);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            callers.add(Thread.ofPlatform().start(() -> {
                try {
                    pool.call(() -> {
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        Thread.sleep(20);
                        running.decrementAndGet();
                        return null;
                    }, "caller");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
        }
        for (Thread t : callers) {
            t.join();
        }
        assertTrue(most.get() <= 2, "calls at once: " + most.get());
        assertTrue(pool.threadCount() <= 2);
        pool.close();
        assertTrue(pool.awaitStopped(TimeUnit.SECONDS.toNanos(10)));
    }

    @Test
    void closeInterruptsARunningCallStopsEveryThreadAndRefusesLaterCalls() throws Exception {
        BlockingPool pool = new BlockingPool("bp-close", 4);
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> callerSaw = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                pool.call(() -> {
                    started.countDown();
                    new CountDownLatch(1).await();
                    return null;
                }, "caller");
            } catch (Throwable t) {
                callerSaw.set(t);
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        pool.close();
        caller.join();
        // the call ended by the close's interrupt: its InterruptedException reaches the caller as it is
        assertInstanceOf(InterruptedException.class, callerSaw.get());
        assertTrue(pool.awaitStopped(TimeUnit.SECONDS.toNanos(10)), "a pool thread outlived close");
        assertEquals(0, pool.threadCount());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.call(() -> 1, "late"));
        assertTrue(e.getMessage().contains("terminated"), e.getMessage());
    }

    @Test
    void aThrowableThatIsNoExceptionComesBackWrapped() {
        BlockingPool pool = new BlockingPool("bp-throwable", 1);
        try {
            Throwable odd = new Throwable("neither Exception nor Error");
            ExecutionException e = assertThrows(ExecutionException.class, () -> pool.call(() -> {
                throw sneaky(odd);
            }, "caller"));
            assertEquals(odd, e.getCause());
            AssertionError err = new AssertionError("an Error");
            assertEquals(err, assertThrows(AssertionError.class, () -> pool.call(() -> {
                throw err;
            }, "caller")));
        } finally {
            pool.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
