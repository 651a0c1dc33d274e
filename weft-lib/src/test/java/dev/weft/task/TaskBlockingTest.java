package dev.weft.task;

import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Task.blocking: calls that would pin a carrier run on the runtime's blocking threads while the task parks. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskBlockingTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private Weft rt;

    private Weft start(String prefix, int blockingThreads) {
        rt = Weft.start(Config.builder().workers(1).threadNamePrefix(prefix).blockingThreads(blockingThreads).build());
        return rt;
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (rt != null) {
            rt.close();
            assertTrue(rt.awaitTermination(WAIT), "runtime did not terminate");
        }
    }

    @Test
    void theCallRunsOnANamedDaemonPlatformThreadAndItsValueComesBack() throws Exception {
        start("blk-value", 4);
        Thread[] ran = new Thread[1];
        String got = rt.spawn(() -> Task.blocking(() -> {
            ran[0] = Thread.currentThread();
            return "looked up";
        })).join(WAIT);
        assertEquals("looked up", got);
        assertFalse(ran[0].isVirtual(), "the call ran on " + ran[0]);
        assertTrue(ran[0].isDaemon(), ran[0] + " is not a daemon");
        assertEquals("blk-value-blocking-0", ran[0].getName());
    }

    /** Checked exception of the caller's own type: the same object reaches the task, not a wrapper. */
    static final class LegacyFailure extends Exception {
        LegacyFailure(String message) {
            super(message);
        }
    }

    @Test
    void theCallsExceptionReachesTheTaskAsItIs() throws Exception {
        start("blk-throw", 4);
        LegacyFailure thrown = new LegacyFailure("legacy library said no");
        Throwable caught = rt.spawn(() -> {
            try {
                Task.blocking(() -> {
                    throw thrown;
                });
                return null;
            } catch (LegacyFailure e) {
                return e;
            }
        }).join(WAIT);
        assertSame(thrown, caught);
        RuntimeException unchecked = new IllegalArgumentException("bad argument");
        Throwable caught2 = rt.spawn(() -> {
            try {
                return Task.blocking(() -> {
                    throw unchecked;
                });
            } catch (IllegalArgumentException e) {
                return e;
            }
        }).join(WAIT);
        assertSame(unchecked, caught2);
    }

    /** With one worker, another task runs to its end while a task waits in Task.blocking. */
    @Test
    void theWorkerRunsOtherTasksWhileATaskIsInBlocking() throws Exception {
        start("blk-free", 4);
        CountDownLatch callStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JoinHandle<Integer> waiter = rt.spawn(() -> Task.blocking(() -> {
            callStarted.countDown();
            while (release.getCount() > 0) {
                Thread.onSpinWait(); // never unmounts, like a native call: on a worker it would hold it
            }
            return 42;
        }));
        assertTrue(callStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the call did not start");
        assertEquals("done", rt.spawn(() -> "done").join(WAIT),
                "a task spawned while the other waits in Task.blocking must complete on the one worker");
        assertEquals(1, release.getCount(), "the blocking call is still waiting");
        assertEquals(1, rt.stats().blockingParked(), "one task is parked in Task.blocking");
        release.countDown();
        assertEquals(42, waiter.join(WAIT));
        assertEquals(0, rt.stats().blockingParked());
    }

    /** A cancelled task's wait ends with InterruptedException and its call is interrupted. */
    @Test
    void interruptingTheWaitingTaskEndsItsWaitAndInterruptsTheCall() throws Exception {
        start("blk-cancel", 4);
        CountDownLatch callStarted = new CountDownLatch(1);
        CountDownLatch callInterrupted = new CountDownLatch(1);
        AtomicReference<Throwable> taskSaw = new AtomicReference<>();
        JoinHandle<Object> waiter = rt.spawn(() -> {
            try {
                return Task.blocking(() -> {
                    callStarted.countDown();
                    try {
                        new CountDownLatch(1).await(); // until interrupted
                    } catch (InterruptedException e) {
                        callInterrupted.countDown();
                        throw e;
                    }
                    return "never";
                });
            } catch (Throwable t) {
                taskSaw.set(t);
                throw t;
            }
        });
        assertTrue(callStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the call did not start");
        waiter.cancel();
        JoinException e = assertThrows(JoinException.class, () -> waiter.join(WAIT));
        assertTrue(e.isCancelled() || e.isFailed(), e.toString());
        assertInstanceOf(InterruptedException.class, taskSaw.get());
        assertTrue(callInterrupted.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the call was not interrupted");
        assertEquals(0, rt.stats().blockingParked());
    }

    /** The pool's threads end with the runtime: after awaitTermination none is left. */
    @Test
    void theBlockingThreadsStopWithTheRuntime() throws Exception {
        start("blk-leak", 4);
        CountDownLatch all = new CountDownLatch(3);
        List<JoinHandle<String>> calls = List.of(1, 2, 3).stream().map(i -> rt.spawn(() -> Task.blocking(() -> {
            all.countDown();
            all.await(); // three at once: three threads
            return Thread.currentThread().getName();
        }))).toList();
        for (JoinHandle<String> h : calls) {
            assertTrue(h.join(WAIT).startsWith("blk-leak-blocking-"));
        }
        assertEquals(3, liveThreads("blk-leak-blocking-"), "three calls at once ran on three threads");
        rt.close();
        assertTrue(rt.awaitTermination(WAIT), "runtime did not terminate");
        assertEquals(0, liveThreads("blk-leak-blocking-"), "blocking threads outlived their runtime");
        rt = null;
    }

    @Test
    void callsBeyondThePoolSizeWaitTheirTurn() throws Exception {
        start("blk-one", 1);
        CountDownLatch release = new CountDownLatch(1);
        JoinHandle<String> first = rt.spawn(() -> Task.blocking(() -> {
            release.await();
            return Thread.currentThread().getName();
        }));
        JoinHandle<String> second = rt.spawn(() -> Task.blocking(() -> Thread.currentThread().getName()));
        assertThrows(java.util.concurrent.TimeoutException.class, () -> second.join(Duration.ofMillis(200)),
                "with one blocking thread busy, the second call must wait");
        release.countDown();
        assertEquals("blk-one-blocking-0", first.join(WAIT));
        assertEquals("blk-one-blocking-0", second.join(WAIT));
    }

    @Test
    void outsideATaskTheCallRunsOnTheCallingThread() throws Exception {
        Thread caller = Thread.currentThread();
        assertSame(caller, Task.blocking(Thread::currentThread));
    }

    @Test
    void aPoolSizeOutOfRangeIsRefusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Config.builder().blockingThreads(0).build());
        assertTrue(e.getMessage().contains("blockingThreads 0"), e.getMessage());
        assertEquals(Config.DEFAULT_BLOCKING_THREADS, Config.defaults().blockingThreads());
    }

    private static long liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive()).count();
    }
}
