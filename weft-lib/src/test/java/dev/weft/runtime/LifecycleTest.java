package dev.weft.runtime;

import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import dev.weft.task.JoinException;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code close()} waits, {@code shutdownNow()} cancels everything, one signal hook per runtime. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LifecycleTest {

    private Weft rt;

    @AfterEach
    void stop() throws InterruptedException {
        if (rt != null) {
            rt.shutdownNow();
            assertTrue(rt.awaitTermination(Duration.ofSeconds(20)), "runtime did not terminate");
        }
    }

    @Test
    void closeWaitsForTheTasksAndTheWorkers() {
        rt = Weft.start(Config.builder().workers(2).build());
        AtomicBoolean finished = new AtomicBoolean();
        rt.spawn(() -> {
            Task.sleep(Duration.ofMillis(100));
            finished.set(true);
            return null;
        });
        rt.close();
        assertTrue(finished.get(), "close() returned before the task ended");
        assertTrue(rt.isTerminated(), "close() returned before the workers stopped");
        rt.close(); // idempotent, and returns at once
    }

    @Test
    void anInterruptedCloseCancelsEveryTaskAndReturnsInterrupted() throws Exception {
        rt = Weft.start(Config.builder().workers(2).build());
        CountDownLatch parked = new CountDownLatch(1);
        JoinHandle<Void> stuck = rt.spawn(() -> {
            parked.countDown();
            new CountDownLatch(1).await(); // forever, unless interrupted
            return null;
        });
        parked.await();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Thread closer = Thread.ofPlatform().start(() -> {
            rt.close();
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        while (closer.getState() != Thread.State.WAITING) {
            Thread.sleep(1); // until close() waits
        }
        closer.interrupt();
        closer.join(20_000);
        assertFalse(closer.isAlive(), "close() went on waiting after its thread was interrupted");
        assertTrue(interruptedAfter.get(), "close() cleared the interrupt");
        assertTrue(rt.isTerminated());
        assertTrue(assertThrows(JoinException.class, stuck::join).isCancelled());
    }

    @Test
    void closeFromATaskOfTheRuntimeDoesNotWaitForItself() throws Exception {
        rt = Weft.start(Config.builder().workers(1).build());
        assertEquals("closed", rt.spawn(() -> {
            rt.close();
            return rt.isClosed() ? "closed" : "open";
        }).join());
        assertTrue(rt.awaitTermination(Duration.ofSeconds(20)));
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void shutdownNowCancelsTasksWhereverTheyWait(IoMode mode) throws Exception {
        rt = Weft.start(Config.builder().workers(1).io(mode == IoMode.URING ? IoMode.AUTO : mode).build());
        org.junit.jupiter.api.Assumptions.assumeTrue(mode != IoMode.URING
                || rt.ioInfo().backend().equals("io_uring"), "no io_uring here");
        ReentrantLock held = new ReentrantLock();
        CountDownLatch lockHeld = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().daemon().start(() -> {
            held.lock();
            lockHeld.countDown();
            while (!Thread.currentThread().isInterrupted()) {
                java.util.concurrent.locks.LockSupport.park();
            }
        });
        lockHeld.await();
        List<Thread> waiters = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<AtomicReference<Throwable>> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            seen.add(new AtomicReference<>());
        }
        List<JoinHandle<?>> tasks = new ArrayList<>();
        JoinHandle<Void> forever = rt.spawn(() -> record(null, waiters, () -> new CountDownLatch(1).await()));
        tasks.add(forever);
        tasks.add(rt.task().name("sleeper").spawn(
                () -> record(seen.get(0), waiters, () -> Task.sleep(Duration.ofDays(1)))));
        tasks.add(rt.task().name("joiner").spawn(() -> record(seen.get(1), waiters, forever::join)));
        tasks.add(rt.task().name("locker").spawn(() -> record(seen.get(2), waiters, held::lockInterruptibly)));
        tasks.add(rt.task().name("condition").spawn(() -> {
            ReentrantLock own = new ReentrantLock();
            Condition never = own.newCondition();
            own.lock();
            try {
                return record(seen.get(3), waiters, never::await);
            } finally {
                own.unlock();
            }
        }));
        TcpListener listener = rt.spawn(() -> TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 4)).join();
        tasks.add(rt.task().name("acceptor").spawn(() -> record(seen.get(4), waiters, listener::accept)));
        tasks.add(rt.task().name("reader").spawn(() -> {
            // to a listener nobody accepts on: the kernel's backlog completes the connect
            try (TcpListener quiet = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 4);
                 TcpStream s = TcpStream.connect(quiet.localAddress(), Duration.ofSeconds(10))) {
                return record(seen.get(5), waiters, () -> s.read(ByteBuffer.allocateDirect(16)));
            }
        }));
        while (waiters.size() < 7 || !waiters.stream().allMatch(LifecycleTest::suspended)) {
            Thread.sleep(2);
        }
        // The only worker is now held by a loop that never suspends, so the next task stays queued.
        CountDownLatch spinning = new CountDownLatch(1);
        JoinHandle<Void> spinner = rt.spawn(() -> {
            spinning.countDown();
            while (!Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait();
            }
        });
        spinning.await();
        AtomicBoolean queuedRan = new AtomicBoolean();
        JoinHandle<Void> queued = rt.spawn(() -> queuedRan.set(true));
        rt.shutdownNow();
        assertTrue(rt.awaitTermination(Duration.ofSeconds(20)), "tasks left after shutdownNow: " + rt.stats());
        tasks.add(spinner);
        tasks.add(queued);
        for (JoinHandle<?> h : tasks) {
            JoinException e = assertThrows(JoinException.class, h::join, h.toString());
            assertTrue(e.isCancelled(), h + ": " + e);
        }
        assertFalse(queuedRan.get(), "a task queued at shutdownNow ran");
        for (int i = 0; i < 4; i++) {
            assertInstanceOf(InterruptedException.class, seen.get(i).get(), tasks.get(i + 1).toString());
        }
        assertInstanceOf(InterruptedIOException.class, seen.get(4).get(), "accept");
        assertInstanceOf(InterruptedIOException.class, seen.get(5).get(), "read");
        assertThrows(IllegalStateException.class, () -> rt.spawn(() -> 1), "spawn after shutdownNow");
        holder.interrupt();
    }

    private static boolean suspended(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    @FunctionalInterface
    private interface Wait {
        void run() throws Exception;
    }

    /**
     * Notes the calling thread in {@code waiters}, runs {@code wait}, keeps what it threw in
     * {@code seen} (if given) and rethrows it, so the task ends as it would.
     */
    private static Void record(AtomicReference<Throwable> seen, List<Thread> waiters, Wait wait) throws Exception {
        waiters.add(Thread.currentThread());
        try {
            wait.run();
            return null;
        } catch (Exception e) {
            if (seen != null) {
                seen.set(e);
            }
            throw e;
        }
    }

    @Test
    void awaitTerminationWithoutTimeoutReturnsOnceAnotherThreadClosed() throws Exception {
        rt = Weft.start(Config.builder().workers(1).build());
        Thread main = Thread.ofPlatform().start(() -> {
            try {
                rt.awaitTermination();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(20);
        assertTrue(main.isAlive(), "awaitTermination() returned while the runtime was open");
        rt.spawn(() -> rt.close());
        main.join(20_000);
        assertFalse(main.isAlive());
        assertTrue(rt.isTerminated());
    }

    /** Records hooks instead of giving them to the JVM. */
    private static final class RecordingHooks implements ShutdownHooks {
        final List<Thread> added = new ArrayList<>();
        final List<Thread> removed = new ArrayList<>();

        @Override
        public synchronized void add(Thread hook) {
            added.add(hook);
        }

        @Override
        public synchronized void remove(Thread hook) {
            removed.add(hook);
        }
    }

    @Test
    void shutdownOnSignalsAddsOneHookAndRemovesItOnTermination() throws Exception {
        rt = Weft.start(Config.builder().workers(1).build());
        RecordingHooks hooks = new RecordingHooks();
        rt.hooks(hooks);
        for (int i = 0; i < 5; i++) {
            assertSame(rt, rt.shutdownOnSignals(Duration.ofMillis(100 + i)));
        }
        assertEquals(1, hooks.added.size(), "hooks added");
        Thread hook = hooks.added.getFirst();
        assertTrue(hooks.removed.isEmpty());
        AtomicBoolean ran = new AtomicBoolean();
        rt.spawn(() -> {
            Task.sleep(Duration.ofMillis(20));
            ran.set(true);
            return null;
        });
        hook.start(); // what the JVM does on SIGTERM: an orderly shutdown, waiting out the grace
        hook.join(20_000);
        assertTrue(rt.isTerminated(), "the hook shut the runtime down");
        assertTrue(ran.get(), "the task finished within the grace");
        assertEquals(List.of(hook), hooks.removed, "the hook is removed once the runtime ended");
        rt.shutdownOnSignals(Duration.ofSeconds(1));
        assertEquals(1, hooks.added.size(), "no hook for a terminated runtime");
    }
}
