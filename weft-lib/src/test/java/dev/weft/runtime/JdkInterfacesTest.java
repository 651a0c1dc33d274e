package dev.weft.runtime;

import dev.weft.task.ChildJvm;
import dev.weft.task.Task;
import dev.weft.task.TaskKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JDK's executors, futures and structured scopes run on weft's workers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkInterfacesTest {

    private static final String PREFIX = "jdkif";
    private Weft rt;

    @BeforeEach
    void start() {
        rt = Weft.start(Config.builder().workers(2).threadNamePrefix(PREFIX).build());
    }

    @AfterEach
    void stop() throws InterruptedException {
        rt.shutdownNow();
        assertTrue(rt.awaitTermination(Duration.ofSeconds(20)));
    }

    /** Where the calling code runs: its task's kind, and its carrier (from the virtual thread's name). */
    static String where() {
        Thread t = Thread.currentThread();
        String carrier = t.toString().substring(t.toString().lastIndexOf('@') + 1);
        return Task.current().kind() + "@" + carrier.replaceAll("-\\d+$", "");
    }

    @Test
    void completableFutureSupplyAsyncRunsAsAPooledTask() throws Exception {
        assertEquals("POOLED@" + PREFIX, CompletableFuture.supplyAsync(JdkInterfacesTest::where, rt.executor())
                .thenApplyAsync(s -> s, rt.executor()).get());
    }

    @Test
    void threadPerTaskExecutorOnTheFactoryRunsDedicatedTasks() throws Exception {
        try (ExecutorService ex = Executors.newThreadPerTaskExecutor(rt.threadFactory())) {
            List<Future<String>> all = ex.invokeAll(List.of(JdkInterfacesTest::where, JdkInterfacesTest::where));
            for (Future<String> f : all) {
                assertEquals("DEDICATED@" + PREFIX, f.get());
            }
            assertEquals("slept", ex.submit(() -> {
                Task.sleep(Duration.ofMillis(5)); // the runtime's timer
                return "slept";
            }).get());
        }
    }

    @Test
    void theExecutorFollowsTheExecutorServiceContract() throws Exception {
        ExecutorService ex = rt.executor();
        assertEquals("POOLED@" + PREFIX, ex.submit(JdkInterfacesTest::where).get());
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            calls.add(() -> n * n);
        }
        int sum = 0;
        for (Future<Integer> f : ex.invokeAll(calls)) {
            sum += f.get();
        }
        assertEquals(2470, sum);
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> ex.submit(() -> Files.readString(Path.of("/nonexistent/weft"))).get());
        assertInstanceOf(java.nio.file.NoSuchFileException.class, failed.getCause());
        CountDownLatch release = new CountDownLatch(1);
        Future<String> slow = ex.submit(() -> {
            release.await();
            return "finished";
        });
        ex.shutdown();
        assertTrue(ex.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> ex.execute(() -> { }));
        assertThrows(RejectedExecutionException.class, () -> ex.submit(() -> 1));
        assertTrue(!ex.awaitTermination(10, TimeUnit.MILLISECONDS) && !ex.isTerminated(),
                "a running task keeps the executor from terminating");
        release.countDown();
        assertEquals("finished", slow.get());
        assertTrue(ex.awaitTermination(20, TimeUnit.SECONDS));
        assertTrue(ex.isTerminated() && rt.isTerminated(), "the executor's lifecycle is the runtime's");
    }

    @Test
    void shutdownNowCancelsTheFutureOfAQueuedTask() throws Exception {
        Weft one = Weft.start(Config.builder().workers(1).build());
        CountDownLatch spinning = new CountDownLatch(1);
        one.spawn(() -> {
            spinning.countDown();
            while (!Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait(); // holds the only worker
            }
        });
        spinning.await();
        Future<String> queued = one.executor().submit(() -> "ran");
        assertEquals(List.of(), one.executor().shutdownNow());
        assertTrue(one.awaitTermination(Duration.ofSeconds(20)));
        assertThrows(java.util.concurrent.CancellationException.class, queued::get);
    }

    @Test
    void theFactoryRefusesThreadsOnceTheRuntimeIsClosed() throws Exception {
        java.util.concurrent.ThreadFactory f = rt.threadFactory();
        Thread t = f.newThread(() -> { });
        t.start();
        t.join();
        rt.close();
        assertNull(f.newThread(() -> { }));
        try (ExecutorService ex = Executors.newThreadPerTaskExecutor(f)) {
            assertThrows(RejectedExecutionException.class, () -> ex.submit(() -> 1));
        }
    }

    /**
     * {@code StructuredTaskScope} is a preview API in JDK 25 (JEP 505): code using it compiles and
     * runs only with {@code --enable-preview}, which the build does not pass. So this runs a
     * source file that uses it in a JVM of its own, with the preview enabled and weft's classes on
     * its class path, and checks what it printed.
     */
    @Test
    void structuredTaskScopeForksOnTheFactory() throws Exception {
        ChildJvm.Result r = ChildJvm.java(ChildJvm.resource("sts/StructuredScopeOnWeft.java"),
                "--enable-preview", "--source", "25");
        String out = r.output();
        assertEquals(0, r.exitCode(), out);
        assertTrue(out.contains("forked: [DEDICATED@sts, DEDICATED@sts]"), out);
    }
}
