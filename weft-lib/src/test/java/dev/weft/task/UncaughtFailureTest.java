package dev.weft.task;

import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A task that fails while nobody joins it is reported, once; a joined one is not. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UncaughtFailureTest {

    record Report(String runtime, long id, String name, Throwable error) {
    }

    private final List<Report> reports = new CopyOnWriteArrayList<>();
    private Weft rt;

    private Weft start(int workers) {
        rt = Weft.start(Config.builder().workers(workers).threadNamePrefix("uncaught")
                .uncaughtFailureHandler((runtime, task, error) ->
                        reports.add(new Report(runtime, task.id(), task.name(), error)))
                .build());
        return rt;
    }

    @AfterEach
    void stop() {
        if (rt != null) {
            rt.shutdownNow();
            rt.close();
        }
    }

    @Test
    void aFailureNobodyJoinsGoesToTheHandlerOnce() throws Exception {
        start(2);
        IOException boom = new IOException("boom");
        JoinHandle<Object> h = rt.task().name("lonely").spawn(() -> {
            throw boom;
        });
        rt.close(); // waits: the handler has run before the task counts as ended
        assertEquals(List.of(new Report("uncaught", h.id(), "lonely", boom)), reports);
        assertSame(boom, assertThrows(JoinException.class, h::join).getCause(), "a late join still sees it");
        assertEquals(1, reports.size(), "reported once");
    }

    @Test
    void aFailureAJoinerWaitsForIsNotReported() throws Exception {
        start(2);
        CountDownLatch release = new CountDownLatch(1);
        JoinHandle<Object> h = rt.spawn(() -> {
            release.await();
            throw new IllegalStateException("seen by the joiner");
        });
        Thread joiner = Thread.currentThread();
        Thread.ofPlatform().start(() -> {
            while (joiner.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            release.countDown();
        });
        assertThrows(JoinException.class, h::join);
        rt.close();
        assertEquals(List.of(), reports);
    }

    @Test
    void aChildRunInlineByItsJoinerIsNotReported() throws Exception {
        start(1);
        String what = rt.spawn(() -> {
            JoinHandle<Object> child = Task.spawn(() -> {
                throw new IllegalStateException("child");
            });
            return assertThrows(JoinException.class, child::join).getCause().getMessage();
        }).join();
        rt.close();
        assertEquals("child", what);
        assertEquals(List.of(), reports);
    }

    @Test
    void aCancelledTaskIsNotReported() throws Exception {
        start(2);
        CountDownLatch parked = new CountDownLatch(1);
        JoinHandle<Void> h = rt.spawn(() -> {
            parked.countDown();
            new CountDownLatch(1).await();
        });
        parked.await();
        h.cancel();
        rt.close();
        assertEquals(List.of(), reports);
    }

    @Test
    void aThrowingHandlerIsDroppedAndTheWorkerGoesOn() throws Exception {
        rt = Weft.start(Config.builder().workers(1).uncaughtFailureHandler((runtime, task, error) -> {
            throw new IllegalStateException("handler");
        }).build());
        JoinHandle<Void> h = rt.spawn(() -> {
            throw new IllegalArgumentException("body");
        });
        while (!h.isDone()) {
            Thread.sleep(1);
        }
        assertEquals("body", assertThrows(JoinException.class, h::join).getCause().getMessage());
        assertEquals(5, rt.spawn(() -> 5).join());
    }

    @Test
    void aThreadFromTheFactoryThatThrowsIsReported() throws Exception {
        start(2);
        Thread t = rt.threadFactory().newThread(() -> {
            throw new IllegalStateException("thread");
        });
        t.start();
        t.join();
        rt.close();
        assertEquals(1, reports.size(), reports.toString());
        assertEquals("thread", reports.getFirst().error().getMessage());
    }

    @Test
    void failuresDuringAShutdownAreCountedNotReported() throws Exception {
        start(2);
        CountDownLatch release = new CountDownLatch(1);
        rt.spawn(() -> {
            release.await();
            throw new IOException("listener closed by the shutdown");
        });
        Thread stopper = Thread.ofPlatform().start(() -> {
            try {
                rt.shutdown(Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        while (!rt.isClosed()) {
            Thread.sleep(1);
        }
        release.countDown();
        stopper.join(30_000);
        assertTrue(rt.isTerminated());
        assertEquals(List.of(), reports);
        assertEquals(1, rt.stats().failed());
    }

    /**
     * The default handler logs through {@link System.Logger}: run in a JVM of its own, so that the
     * JDK's default logging setup prints the record.
     */
    @Test
    void byDefaultAWarningNamesTheTaskAndTheRuntime() throws Exception {
        ChildJvm.Result r = ChildJvm.java(ChildJvm.resource("failure/UnjoinedFailure.java"));
        assertEquals(0, r.exitCode(), r.output());
        String out = r.output();
        assertTrue(out.contains("WARNING") && out.contains("task #1 'acceptor' of weft runtime 'logged' failed")
                && out.contains("java.io.IOException: boom"), out);
        assertEquals(1, out.split("'acceptor'", -1).length - 1, "one record per failed task: " + out);
    }
}
