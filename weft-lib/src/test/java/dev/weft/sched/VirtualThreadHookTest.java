package dev.weft.sched;

import org.junit.jupiter.api.Test;

import java.lang.reflect.InaccessibleObjectException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VirtualThreadHookTest {

    /** A one-thread scheduler: runs every submitted continuation on its own platform thread. */
    static final class OneCarrier implements Executor, AutoCloseable {
        final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
        final AtomicInteger executes = new AtomicInteger();
        final Thread carrier = Thread.ofPlatform().name("test-carrier").daemon().start(this::loop);

        @Override
        public void execute(Runnable continuation) {
            executes.incrementAndGet();
            queue.add(continuation);
        }

        private void loop() {
            try {
                for (;;) {
                    queue.take().run();
                }
            } catch (InterruptedException e) {
                // closed
            }
        }

        @Override
        public void close() {
            carrier.interrupt();
        }
    }

    @Test
    void virtualThreadsOfTheBuilderRunOnTheGivenExecutor() throws Exception {
        VirtualThreadHook.check();
        try (OneCarrier scheduler = new OneCarrier()) {
            AtomicReference<Thread> carrierBeforePark = new AtomicReference<>();
            AtomicReference<Thread> carrierAfterPark = new AtomicReference<>();
            CountDownLatch parked = new CountDownLatch(1);
            Thread vt = VirtualThreadHook.builder(scheduler).name("hooked").unstarted(() -> {
                carrierBeforePark.set(VirtualThreadHook.currentCarrier());
                parked.countDown();
                LockSupport.park();
                carrierAfterPark.set(VirtualThreadHook.currentCarrier());
            });
            assertTrue(vt.isVirtual());
            vt.start();
            assertTrue(parked.await(30, TimeUnit.SECONDS));
            // Wait until it has really unmounted, then wake it: the wake-up must come back through
            // the executor as a second execute.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (vt.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            LockSupport.unpark(vt);
            vt.join(TimeUnit.SECONDS.toMillis(30));
            assertTrue(!vt.isAlive());
            assertSame(scheduler.carrier, carrierBeforePark.get());
            assertSame(scheduler.carrier, carrierAfterPark.get());
            assertTrue(scheduler.executes.get() >= 2, "start and unpark each submit: " + scheduler.executes);
        }
    }

    @Test
    void theCarrierOfAPlatformThreadIsItself() {
        assertSame(Thread.currentThread(), VirtualThreadHook.currentCarrier());
    }

    @Test
    void aMissingFlagIsNamedWithTheFix() {
        IllegalStateException e = VirtualThreadHook.unavailable(
                new InaccessibleObjectException("module java.base does not open java.lang"));
        assertTrue(e.getMessage().contains(VirtualThreadHook.REQUIRED_FLAG), e.getMessage());
    }

    @Test
    void theFlagOpensJavaLangToTheNamedModuleWeftRunsIn() {
        // The tests run weft as the named module dev.weft, as the weft command does.
        assertEquals("--add-opens java.base/java.lang=dev.weft", VirtualThreadHook.REQUIRED_FLAG);
    }

    @Test
    void theFlagOpensJavaLangToTheClassPathWhenWeftIsOnIt() {
        assertEquals("--add-opens java.base/java.lang=ALL-UNNAMED",
                VirtualThreadHook.requiredFlag(ClassLoader.getSystemClassLoader().getUnnamedModule()));
    }

    @Test
    void aJdkWithoutTheHookIsNamed() {
        IllegalStateException e = VirtualThreadHook.unavailable(
                new NoSuchMethodException("java.lang.Thread.currentCarrierThread()"));
        assertTrue(e.getMessage().contains("currentCarrierThread") && e.getMessage().contains("JDK"),
                e.getMessage());
    }
}
