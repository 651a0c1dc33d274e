package dev.weft.runtime;

import dev.weft.task.JoinException;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import dev.weft.task.TaskKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WeftTest {

    private Weft rt;

    private Weft start(int workers) {
        rt = Weft.start(Config.builder().workers(workers).build());
        return rt;
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (rt != null) {
            rt.close();
            assertTrue(rt.awaitTermination(Duration.ofSeconds(20)), "runtime did not terminate");
        }
    }

    @Test
    void spawnFromOutsideReturnsTheValue() throws Exception {
        assertEquals(42, start(2).spawn(() -> 6 * 7).join());
    }

    @Test
    void runnableTaskJoinsToNull() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        assertEquals(null, start(2).spawn(() -> ran.set(true)).join());
        assertTrue(ran.get());
    }

    @Test
    void nestedSpawnsSumATree() throws Exception {
        long sum = start(2).spawn(() -> tree(0, 5)).join();
        assertEquals(sumBelow(100_000), sum);
    }

    /** Skynet-shaped: node {@code num} at {@code depth} levels above the leaves, fan-out 10. */
    static long tree(long num, int depth) throws InterruptedException {
        if (depth == 0) {
            return num;
        }
        List<JoinHandle<Long>> children = new ArrayList<>(10);
        for (int i = 0; i < 10; i++) {
            long child = num * 10 + i;
            children.add(Task.spawn(() -> tree(child, depth - 1)));
        }
        long sum = 0;
        for (JoinHandle<Long> h : children) {
            sum += h.join();
        }
        return sum;
    }

    static long sumBelow(long n) {
        return n * (n - 1) / 2;
    }

    @Test
    void aFailureReachesTheJoinerAndTheWorkerGoesOn() throws Exception {
        start(1);
        IOException boom = new IOException("boom");
        JoinHandle<Object> h = rt.task().name("thrower").spawn(() -> {
            throw boom;
        });
        JoinException e = assertThrows(JoinException.class, h::join);
        assertTrue(e.isFailed());
        assertFalse(e.isCancelled());
        assertSame(boom, e.getCause());
        assertTrue(e.getMessage().contains("thrower"), e.getMessage());
        assertEquals(7, rt.spawn(() -> 7).join(), "the only worker still runs tasks");
        assertEquals(1, rt.stats().failed());
    }

    @Test
    void cancelOfAQueuedTaskOnABusyWorker() throws Exception {
        start(1);
        AtomicBoolean ran = new AtomicBoolean();
        JoinException e = rt.spawn(() -> {
            JoinHandle<Void> victim = Task.spawn(() -> ran.set(true));
            assertTrue(victim.cancel(), "the victim is queued behind this running task");
            assertFalse(victim.cancel(), "a second cancel does nothing");
            return assertThrows(JoinException.class, victim::join);
        }).join();
        assertTrue(e.isCancelled());
        assertTrue(e.getMessage().contains("before it started"), e.getMessage());
        assertFalse(ran.get());
    }

    @Test
    void cancelInterruptsASuspendedTask() throws Exception {
        start(2);
        CountDownLatch parked = new CountDownLatch(1);
        AtomicReference<Throwable> seen = new AtomicReference<>();
        JoinHandle<Void> h = rt.spawn(() -> {
            try {
                parked.countDown();
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                seen.set(e);
            }
        });
        parked.await();
        assertTrue(h.cancel());
        JoinException e = assertThrows(JoinException.class, h::join);
        assertTrue(e.isCancelled());
        assertTrue(e.getMessage().contains("while running"), e.getMessage());
        assertInstanceOf(InterruptedException.class, seen.get());
    }

    @Test
    void cancellingAFinishedTaskIsAReportedNoOp() throws Exception {
        JoinHandle<String> h = start(1).spawn(() -> "done");
        assertEquals("done", h.join());
        assertFalse(h.cancel());
        assertTrue(h.isDone());
        assertEquals("done", h.join());
    }

    @Test
    void theCancelInterruptDoesNotLeakIntoTheNextTaskOnThePooledThread() throws Exception {
        start(1);
        for (int i = 0; i < 200; i++) {
            CountDownLatch started = new CountDownLatch(1);
            JoinHandle<Void> h = rt.spawn(() -> {
                started.countDown();
                long spin = 0;
                while (!Thread.currentThread().isInterrupted() && spin++ < 1_000_000) {
                    Thread.onSpinWait();
                }
            });
            started.await();
            h.cancel();
            assertThrows(JoinException.class, h::join);
            assertFalse(rt.spawn(() -> Thread.currentThread().isInterrupted()).join(),
                    "the next task starts uninterrupted");
        }
    }

    @Test
    void joinWithTimeoutTimesOutAndTheTaskGoesOn() throws Exception {
        start(2);
        CountDownLatch release = new CountDownLatch(1);
        JoinHandle<Integer> h = rt.spawn(() -> {
            awaitUninterruptibly(release);
            return 5;
        });
        assertThrows(TimeoutException.class, () -> h.join(Duration.ofMillis(20)));
        assertFalse(h.isDone());
        release.countDown();
        assertEquals(5, h.join(Duration.ofSeconds(20)));
    }

    @Test
    void joinInsideATaskParksItAndFreesTheWorker() throws Exception {
        start(1);
        CountDownLatch release = new CountDownLatch(1);
        JoinHandle<Integer> slow = rt.spawn(() -> {
            awaitUninterruptibly(release);
            return 1;
        });
        JoinHandle<Integer> joiner = rt.spawn(() -> slow.join() + 1);
        // With one worker, this task runs only if the two above have parked.
        rt.spawn(release::countDown).join();
        assertEquals(2, joiner.join());
    }

    @Test
    void currentNamesTheTask() throws Exception {
        start(1);
        JoinHandle<String> h = rt.task().name("named").spawn(() -> Task.current().name() + "/" + Task.current().id());
        assertEquals("named/" + h.id(), h.join());
        assertEquals("named", h.name());
        IllegalStateException e = assertThrows(IllegalStateException.class, Task::current);
        assertTrue(e.getMessage().contains("not a weft task"), e.getMessage());
        assertFalse(Task.inTask());
    }

    @Test
    void terminationEndsEveryRunnerThread() throws Exception {
        start(2);
        java.util.Set<Thread> runners = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<JoinHandle<Boolean>> handles = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            handles.add(rt.spawn(() -> runners.add(Thread.currentThread())));
        }
        for (JoinHandle<Boolean> h : handles) {
            h.join();
        }
        rt.close();
        assertTrue(rt.awaitTermination(Duration.ofSeconds(20)));
        // An idle runner left parked would keep its thread, and the runtime, alive for good.
        for (Thread t : runners) {
            assertEquals(Thread.State.TERMINATED, t.getState(), t + " outlived its runtime");
        }
    }

    @Test
    void currentFollowsChildrenRunInlineByTheirJoiners() throws Exception {
        start(1);
        // One worker, busy with the outer task: each join finds its child unstarted and runs it
        // inline on the joiner's thread, three levels deep.
        String seen = rt.task().name("outer").spawn(() -> {
            JoinHandle<String> middle = rt.task().name("middle").spawn(() -> {
                String mine = Task.current().name();
                JoinHandle<String> inner = rt.task().name("inner").spawn(() -> Task.current().name());
                String fromInner = inner.join();
                return mine + ">" + fromInner + ">" + Task.current().name();
            });
            String fromMiddle = middle.join();
            return Task.current().name() + ">" + fromMiddle + ">" + Task.current().name();
        }).join();
        assertEquals("outer>middle>inner>middle>outer", seen);
    }

    @Test
    void aPooledTaskKeepsItsThreadAcrossAPark() throws Exception {
        start(2);
        assertTrue(rt.spawn(() -> {
            Thread before = Thread.currentThread();
            Thread.sleep(1);
            new CountDownLatch(0).await();
            Task.yieldNow();
            return before == Thread.currentThread() && before.isVirtual();
        }).join());
    }

    @Test
    void dedicatedTasksHaveThreadsOfTheirOwn() throws Exception {
        start(1);
        Thread a = rt.task().kind(TaskKind.DEDICATED).spawn(Thread::currentThread).join();
        Thread b = rt.task().kind(TaskKind.DEDICATED).spawn(Thread::currentThread).join();
        assertNotEquals(a, b);
        assertTrue(a.isVirtual());
        assertEquals(TaskKind.DEDICATED, rt.task().kind(TaskKind.DEDICATED).spawn(() -> Task.current().kind()).join());
    }

    @Test
    void yieldLetsTheOtherTasksOfTheWorkerRun() throws Exception {
        start(1);
        AtomicBoolean flag = new AtomicBoolean();
        JoinHandle<Integer> spinner = rt.spawn(() -> {
            int yields = 0;
            while (!flag.get()) {
                Task.yieldNow();
                yields++;
            }
            return yields;
        });
        rt.spawn(() -> flag.set(true));
        assertTrue(spinner.join() >= 0);
    }

    @Test
    void checkYieldsOnceTheTimesliceIsUsed() throws Exception {
        rt = Weft.start(Config.builder().workers(1).timeslice(Duration.ofNanos(1)).build());
        AtomicBoolean flag = new AtomicBoolean();
        JoinHandle<Void> spinner = rt.spawn(() -> {
            while (!flag.get()) {
                Task.check(); // never suspends otherwise: without check the other task never runs
            }
        });
        rt.spawn(() -> flag.set(true));
        spinner.join();
    }

    @Test
    void spawnAfterCloseFailsNamingTheRuntime() throws Exception {
        rt = Weft.start(Config.builder().workers(1).threadNamePrefix("closing").build());
        rt.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rt.spawn(() -> 1));
        assertTrue(e.getMessage().contains("'closing'") && e.getMessage().contains("closed"), e.getMessage());
        assertTrue(rt.isClosed());
    }

    @Test
    void closeLetsRunningTasksFinish() throws Exception {
        start(2);
        CountDownLatch started = new CountDownLatch(1);
        JoinHandle<String> h = rt.spawn(() -> {
            started.countDown();
            Task.sleep(Duration.ofMillis(50));
            return "finished";
        });
        started.await();
        rt.close();
        assertTrue(rt.awaitTermination(Duration.ofSeconds(20)));
        assertEquals("finished", h.join());
    }

    @Test
    void awaitTerminationIsFalseWhileATaskRuns() throws Exception {
        start(1);
        CountDownLatch release = new CountDownLatch(1);
        rt.spawn(() -> awaitUninterruptibly(release));
        rt.executor().shutdown(); // closes without waiting: close() would wait for the task
        assertFalse(rt.awaitTermination(Duration.ofMillis(20)));
        release.countDown();
        assertTrue(rt.awaitTermination(Duration.ofSeconds(20)));
    }

    @Test
    void statsCountWhatRan() throws Exception {
        start(2);
        rt.spawn(() -> {
            List<JoinHandle<Integer>> hs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                hs.add(Task.spawn(() -> 1));
            }
            for (JoinHandle<Integer> h : hs) {
                h.join();
            }
            return null;
        }).join();
        RuntimeStats s = rt.stats();
        assertEquals(2, s.workers().size());
        assertEquals(1000, s.total(WorkerStats::spawned));
        assertEquals(1, s.spawnedOutside());
        assertEquals(1001, s.total(WorkerStats::completed));
        assertTrue(s.workers().get(0).threadName().startsWith(Config.DEFAULT_THREAD_NAME_PREFIX));
    }

    @Test
    void statsNameTheTaskAWorkerIsRunning() throws Exception {
        start(2);
        AtomicBoolean stop = new AtomicBoolean();
        JoinHandle<Void> busy = rt.task().name("busy-loop").spawn(() -> {
            while (!stop.get()) {
                Thread.onSpinWait();
            }
        });
        try {
            boolean seen = false;
            for (int i = 0; i < 20_000 && !seen; i++) {
                seen = rt.stats().workers().stream()
                        .anyMatch(w -> w.currentTaskId() == busy.id() && w.currentTaskName().equals("busy-loop"));
                Thread.sleep(1);
            }
            assertTrue(seen, "no worker reported the running task: " + rt.stats());
        } finally {
            stop.set(true);
        }
        busy.join();
    }

    @Test
    void configRejectsBadValuesNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Config.builder().workers(0).build());
        assertTrue(e.getMessage().contains("0..0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Config.builder().workers(4, 2).build());
        assertTrue(e.getMessage().contains("4..2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Config.builder().timeslice(Duration.ZERO).build());
        assertTrue(e.getMessage().contains("PT0S"), e.getMessage());
        assertEquals(3, Config.builder().workers(3).build().workerCount());
        int cpus = java.lang.Runtime.getRuntime().availableProcessors();
        assertEquals(cpus, Config.defaults().workerCount());
        assertEquals(Math.max(cpus, 2), Config.builder().workers(2, 64).build().workerCount());
    }

    static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        for (;;) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
