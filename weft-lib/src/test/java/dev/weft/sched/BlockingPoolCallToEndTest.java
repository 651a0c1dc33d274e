package dev.weft.sched;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code BlockingPool.callToEnd}: an interrupt of the caller drops a call that has not started,
 * and never reaches one that has: that call runs to its end on a thread that is not interrupted,
 * and its caller gets its result with the interrupt set again.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BlockingPoolCallToEndTest {

    @Test
    void aStartedCallRunsToItsEndUninterruptedAndItsCallerGetsTheResultAndItsInterruptBack() throws Exception {
        BlockingPool pool = new BlockingPool("bp-to-end", 1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean callSawInterrupt = new AtomicBoolean();
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicBoolean callerInterrupted = new AtomicBoolean();
        try {
            Thread caller = Thread.ofPlatform().start(() -> {
                try {
                    result.set(pool.callToEnd(() -> {
                        started.countDown();
                        release.await(); // an interrupt of this thread would end the wait
                        callSawInterrupt.set(Thread.currentThread().isInterrupted());
                        return 42;
                    }, "caller"));
                } catch (Exception e) {
                    result.set(e);
                }
                callerInterrupted.set(Thread.currentThread().isInterrupted());
            });
            assertTrue(started.await(10, TimeUnit.SECONDS));
            caller.interrupt();
            Thread.sleep(50); // the caller takes the interrupt and keeps waiting
            assertTrue(caller.isAlive(), "the caller waits for the started call");
            release.countDown();
            caller.join();
            assertEquals(42, result.get(), "the call's result, not an exception");
            assertFalse(callSawInterrupt.get(), "the pool thread was not interrupted");
            assertTrue(callerInterrupted.get(), "the caller's interrupt is set again");
        } finally {
            release.countDown();
            pool.close();
            assertTrue(pool.awaitStopped(TimeUnit.SECONDS.toNanos(10)));
        }
    }

    @Test
    void aCallThatHasNotStartedIsDroppedWhenItsCallerIsInterrupted() throws Exception {
        BlockingPool pool = new BlockingPool("bp-drop", 1);
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean ran = new AtomicBoolean();
        AtomicReference<Object> outcome = new AtomicReference<>();
        try {
            Thread blocker = Thread.ofPlatform().start(() -> {
                try {
                    pool.callToEnd(() -> {
                        busy.countDown();
                        release.await();
                        return null;
                    }, "blocker");
                } catch (Exception e) {
                    outcome.compareAndSet(null, e);
                }
            });
            assertTrue(busy.await(10, TimeUnit.SECONDS)); // the one thread is taken
            Thread caller = Thread.ofPlatform().start(() -> {
                try {
                    outcome.set(pool.callToEnd(() -> {
                        ran.set(true);
                        return "ran";
                    }, "caller"));
                } catch (Exception e) {
                    outcome.set(e);
                }
            });
            Thread.sleep(50); // queued behind the blocker
            caller.interrupt();
            caller.join();
            assertInstanceOf(InterruptedException.class, outcome.get());
            release.countDown();
            blocker.join();
            assertFalse(ran.get(), "the dropped call never ran");
        } finally {
            release.countDown();
            pool.close();
            assertTrue(pool.awaitStopped(TimeUnit.SECONDS.toNanos(10)));
        }
    }
    /**
     * Callers interrupted at random moments, on a pool with fewer threads than callers: every
     * call either ran once and its caller got its result, or never ran and its caller got
     * {@link InterruptedException}; no pool thread ever saw an interrupt. (The CAS out of NEW in
     * {@code ToEnd} decides which, once.)
     */
    @Test
    void underRandomInterruptsEveryCallEitherRunsAndReturnsOrIsDroppedUnrun() throws Exception {
        BlockingPool pool = new BlockingPool("bp-to-end-stress", 2);
        int callers = 6;
        int callsEach = 400;
        java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger returned = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger dropped = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger sawInterrupt = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger unexpected = new java.util.concurrent.atomic.AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        try {
            Thread[] threads = new Thread[callers];
            for (int c = 0; c < callers; c++) {
                threads[c] = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < callsEach; i++) {
                        try {
                            Object r = pool.callToEnd(() -> {
                                ran.incrementAndGet();
                                if (Thread.currentThread().isInterrupted()) {
                                    sawInterrupt.incrementAndGet();
                                }
                                java.util.concurrent.locks.LockSupport.parkNanos(20_000); // room for an interrupt while it runs
                                return "ran";
                            }, "stress caller");
                            if ("ran".equals(r)) {
                                returned.incrementAndGet();
                            } else {
                                unexpected.incrementAndGet();
                            }
                        } catch (InterruptedException e) {
                            dropped.incrementAndGet();
                        } catch (Exception e) {
                            unexpected.incrementAndGet();
                        }
                        Thread.interrupted(); // the next call starts uninterrupted
                    }
                });
            }
            Thread interrupter = Thread.ofPlatform().start(() -> {
                java.util.Random random = new java.util.Random(12);
                while (!stop.get()) {
                    threads[random.nextInt(callers)].interrupt();
                    Thread.onSpinWait();
                }
            });
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(20));
                assertFalse(t.isAlive(), "a caller finished its calls");
            }
            stop.set(true);
            interrupter.join();
            assertEquals(0, unexpected.get(), "no other outcome");
            assertEquals(callers * callsEach, returned.get() + dropped.get(), "every call had one outcome");
            assertEquals(ran.get(), returned.get(), "a call ran exactly when its caller got its result");
            assertEquals(0, sawInterrupt.get(), "no pool thread was interrupted");
        } finally {
            stop.set(true);
            pool.close();
            assertTrue(pool.awaitStopped(TimeUnit.SECONDS.toNanos(10)));
        }
    }
}
