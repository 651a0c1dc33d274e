package dev.weft.examples;

import dev.weft.idle.Backoff;
import dev.weft.sched.CarrierPin;
import dev.weft.time.Timer;
import dev.weft.uring.Abi;
import dev.weft.uring.KernelFeatures;
import dev.weft.uring.Ring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The javadoc examples of weft's internal packages: idle, time, uring, sched. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InternalExamplesTest {

    static final AtomicInteger polls = new AtomicInteger();

    static boolean ready() {
        return polls.incrementAndGet() > 100;
    }

    /** {@code dev.weft.idle}'s package javadoc. */
    static void idle() {
        long step = 0;
        while (!ready()) {
            step = Backoff.DEFAULT.idle(step);
        }
    }

    @Test
    void theIdleExampleWaitsUntilReady() {
        polls.set(0);
        idle();
        assertEquals(101, polls.get());
    }

    static int work;

    static void doWork() {
        work++;
    }

    /** {@code dev.weft.time}'s package javadoc; whether the timeout was cancelled before it fired. */
    static boolean time() {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        Thread worker = Thread.currentThread();
        Timer timer = new Timer("weft-timer");
        Thread me = Thread.currentThread();
        Timer.Entry entry = timer.schedule(System.nanoTime() + 5_000_000, () -> LockSupport.unpark(me));
        while (!entry.isFired()) {
            LockSupport.park(entry);        // isFired() is true before the action unparks
        }

        Timer.Entry timeout = timer.schedule(deadline, () -> worker.interrupt());
        doWork();
        boolean cancelled = timeout.cancel(); // true: it will never fire

        timer.close();                      // nothing fires after this returns
        return cancelled;
    }

    @Test
    void theTimeExampleFiresOneEntryAndCancelsTheOther() {
        assertTrue(time());
        assertEquals(false, Thread.interrupted());
    }

    /** {@code dev.weft.uring}'s package javadoc: a NOP through the ring. */
    static void uring() throws Exception {
        Ring ring = Ring.open(256, KernelFeatures.probe(), false);
        long sqe = ring.nextSqe();
        ring.prepare(sqe, Abi.OP_NOP, -1, 0, 0, 0, 42);
        ring.submitAndWait(1, -1);
        ring.reap((userData, res, flags) -> System.out.println(userData + " -> " + res));
        ring.close();
    }

    @Test
    void theUringExampleCompletesANop() throws Exception {
        assertEquals("42 -> 0", Printed.by(InternalExamplesTest::uring).strip());
    }

    /** {@code CarrierPin}'s javadoc. */
    static void carrierPin(Selector selector) {
        CarrierPin.enter();
        try {
            selector.wakeup(); // the selector's interrupt lock, also taken by the worker after select
        } finally {
            CarrierPin.exit();
        }
    }

    @Test
    void theCarrierPinExampleWakesTheSelectorFromAVirtualThread() throws Exception {
        try (Selector selector = Selector.open()) {
            Thread vt = Thread.ofVirtual().start(() -> carrierPin(selector));
            vt.join();
            assertEquals(0, selector.select(), "the wake-up made select return (a missing one hangs until the timeout)");
        }
    }
}
