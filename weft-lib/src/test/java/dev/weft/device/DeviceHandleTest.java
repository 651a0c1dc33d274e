package dev.weft.device;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceHandleTest {

    /** A service that records what ran on it, and on which thread. */
    static final class Recorder {
        final List<Integer> seen = new ArrayList<>();
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        void record(int value) {
            seen.add(value);
            threads.add(Thread.currentThread().getName());
        }
    }

    @ServiceStage(Stage.DOWNSTREAM)
    static final class Readback {
        String thread() {
            return Thread.currentThread().getName();
        }
    }

    static final class Counter {
        long count;
    }

    private static <S> DeviceHandle<S> open(DeviceId device, Class<S> type, java.util.function.Supplier<S> make) {
        return DeviceHandle.open(device, type, id -> make.get());
    }

    @Test
    void runnerThreadIsStartedOnFirstUseAndNamedForStageAndDevice() {
        DeviceId dev = Devices.fresh();
        String up = "weft-device-U-" + dev.type() + "-" + dev.index();
        String down = "weft-device-D-" + dev.type() + "-" + dev.index();
        assertFalse(threadExists(up));
        assertTrue(DeviceHandle.stats(dev).isEmpty());
        DeviceHandle<Recorder> rec = open(dev, Recorder.class, Recorder::new);
        assertEquals(up, rec.exclusive(() -> Thread.currentThread().getName()));
        assertFalse(threadExists(down));
        DeviceHandle<Readback> rb = open(dev, Readback.class, Readback::new);
        assertEquals(Stage.DOWNSTREAM, rb.stage());
        assertEquals(down, rb.submitBlocking(Readback::thread));
        assertTrue(DeviceHandle.shutdown(dev, Duration.ofSeconds(10)));
    }

    @Test
    void initRunsOnceUnderContention() throws Exception {
        DeviceId dev = Devices.fresh();
        int threads = 48;
        AtomicInteger inits = new AtomicInteger();
        CyclicBarrier barrier = new CyclicBarrier(threads);
        List<DeviceHandle<Counter>> handles = new CopyOnWriteArrayList<>();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    barrier.await();
                    handles.add(DeviceHandle.open(dev, Counter.class, id -> {
                        inits.incrementAndGet();
                        return new Counter();
                    }));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
        }
        for (Thread t : ts) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertEquals(threads, handles.size());
        assertEquals(1, inits.get());
        for (DeviceHandle<Counter> h : handles) {
            h.submit(c -> c.count++);
        }
        assertEquals((long) threads, (long) handles.get(0).submitBlocking(c -> c.count));
        DeviceHandle.shutdown(dev, Duration.ofSeconds(10));
    }

    @Test
    void openReusesTheServiceAndInitGetsTheDevice() {
        DeviceId dev = Devices.fresh();
        AtomicReference<DeviceId> given = new AtomicReference<>();
        DeviceHandle<Counter> a = DeviceHandle.open(dev, Counter.class, id -> {
            given.set(id);
            return new Counter();
        });
        DeviceHandle<Counter> b = DeviceHandle.open(dev, Counter.class,
                id -> { throw new AssertionError("init ran twice"); });
        assertEquals(dev, given.get());
        a.submitBlocking(c -> c.count = 41);
        assertEquals(41L, (long) b.submitBlocking(c -> c.count));
        Counter fromA = a.submitBlocking(c -> c);
        assertSame(fromA, b.submitBlocking(c -> c));
        DeviceHandle.shutdown(dev, Duration.ofSeconds(10));
    }

    @Test
    void insertInstallsAReadyInstanceAndRefusesASecond() {
        DeviceId dev = Devices.fresh();
        Counter ready = new Counter();
        ready.count = 7;
        DeviceHandle<Counter> h = DeviceHandle.insert(dev, ready);
        assertSame(ready, h.submitBlocking(c -> c));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DeviceHandle.insert(dev, new Counter()));
        assertTrue(e.getMessage().contains(Counter.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(dev.toString()), e.getMessage());
        assertSame(ready, DeviceHandle.open(dev, Counter.class, id -> new Counter()).submitBlocking(c -> c));
        DeviceHandle.shutdown(dev, Duration.ofSeconds(10));
    }

    @Test
    void failingInitSurfacesAndALaterOpenRetries() {
        DeviceId dev = Devices.fresh();
        CallException e = assertThrows(CallException.class, () -> DeviceHandle.open(dev, Counter.class,
                id -> { throw new IllegalArgumentException("no such device"); }));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        DeviceHandle<Counter> h = DeviceHandle.open(dev, Counter.class, id -> new Counter());
        assertEquals(0L, (long) h.submitBlocking(c -> c.count));
        CallException nul = assertThrows(CallException.class,
                () -> DeviceHandle.open(dev, Recorder.class, id -> null));
        assertTrue(nul.getCause().getMessage().contains("returned null"), nul.getCause().getMessage());
        DeviceHandle.shutdown(dev, Duration.ofSeconds(10));
    }

    @Test
    void tasksFromOneProducerRunInOrderOnTheRunner() {
        DeviceId dev = Devices.fresh();
        DeviceHandle<Recorder> h = open(dev, Recorder.class, Recorder::new);
        for (int i = 0; i < 1_000; i++) {
            int v = i;
            h.submit(r -> r.record(v));
        }
        List<Integer> seen = h.submitBlocking(r -> List.copyOf(r.seen));
        assertEquals(1_000, seen.size());
        for (int i = 0; i < 1_000; i++) {
            assertEquals(i, seen.get(i));
        }
        assertEquals(Set.of("weft-device-U-" + dev.type() + "-" + dev.index()),
                h.submitBlocking(r -> Set.copyOf(r.threads)));
        DeviceHandle.shutdown(dev, Duration.ofSeconds(10));
    }

    @Test
    void submitBlockingReturnsWhatTheFunctionComputesFromCapturedLocals() {
        DeviceId dev = Devices.fresh();
        DeviceHandle<Counter> h = open(dev, Counter.class, Counter::new);
        long base = 1_000;
        String suffix = "!";
        assertEquals("1005!", h.submitBlocking(c -> {
            c.count += 5;
            return (base + c.count) + suffix;
        }));
        DeviceHandle.shutdown(dev, Duration.ofSeconds(10));
    }

    @Test
    void flushMakesSubmittedTasksRunWithoutABlockingCall() throws Exception {
        DeviceId dev = Devices.fresh();
        DeviceHandle<Counter> h = open(dev, Counter.class, Counter::new);
        CountDownLatch ran = new CountDownLatch(1);
        h.submit(c -> ran.countDown());
        h.flush();
        assertTrue(ran.await(30, TimeUnit.SECONDS), "flushed task did not run");
        DeviceHandle.shutdown(dev, Duration.ofSeconds(10));
    }

    @Test
    void aFullBatchRunsWithoutFlush() throws Exception {
        DeviceId dev = Devices.fresh();
        DeviceHandle.configure(dev, DeviceConfig.DEFAULT.withBatchSize(4));
        DeviceHandle<Counter> h = open(dev, Counter.class, Counter::new);
        CountDownLatch ran = new CountDownLatch(4);
        for (int i = 0; i < 4; i++) {
            h.submit(c -> ran.countDown());
        }
        assertTrue(ran.await(30, TimeUnit.SECONDS), "a full batch did not run");
        DeviceHandle.shutdown(dev, Duration.ofSeconds(10));
    }

    @Test
    void exclusiveRunsOnTheRunnerWithoutAService() {
        DeviceId dev = Devices.fresh();
        assertEquals("weft-device-D-" + dev.type() + "-" + dev.index(),
                DeviceHandle.exclusive(dev, Stage.DOWNSTREAM, () -> Thread.currentThread().getName()));
        DeviceHandle.shutdown(dev, Duration.ofSeconds(10));
    }

    @Test
    void aThrowingCallDeliversTheOriginalAndTheRunnerCarriesOn() {
        DeviceId dev = Devices.fresh();
        DeviceHandle<Counter> h = open(dev, Counter.class, Counter::new);
        IllegalStateException original = new IllegalStateException("bad state 42");
        CallException e = assertThrows(CallException.class, () -> h.submitBlocking(c -> { throw original; }));
        assertSame(original, e.getCause());
        assertEquals("bad state 42", e.getCause().getMessage());
        assertTrue(e.getCause().getStackTrace().length > 0);
        assertEquals(dev, e.device());
        assertTrue(e.getMessage().contains("bad state 42"), e.getMessage());
        assertSame(original, assertThrows(IllegalStateException.class, e::rethrowCause));
        assertEquals(3L, (long) h.submitBlocking(c -> c.count += 3)); // the runner still works
        assertEquals(1, DeviceHandle.stats(dev).getFirst().callsFailed());
        DeviceHandle.shutdown(dev, Duration.ofSeconds(10));
    }

    @Test
    void aCheckedExceptionIsRethrowableAsItself() {
        DeviceId dev = Devices.fresh();
        CallException e = assertThrows(CallException.class, () -> DeviceHandle.exclusive(dev, Stage.UPSTREAM,
                () -> { throw sneaky(new IOException("disk gone")); }));
        IOException io = assertThrows(IOException.class, () -> {
            throw e.rethrowCause();
        });
        assertEquals("disk gone", io.getMessage());
        DeviceHandle.shutdown(dev, Duration.ofSeconds(10));
    }

    @Test
    void whatAFailedCallCapturedIsReleased() throws Exception {
        DeviceId dev = Devices.fresh();
        DeviceHandle<Counter> h = open(dev, Counter.class, Counter::new);
        WeakReference<Object> ref = failWhileCapturing(h);
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(ref.get(), "the runner, its channel or the call still holds what the task captured");
        assertEquals(0L, (long) h.submitBlocking(c -> c.count)); // and the runner carries on
        DeviceHandle.shutdown(dev, Duration.ofSeconds(10));
    }

    /** Runs a failing call that captures a large object; returns a weak reference to it. */
    private static WeakReference<Object> failWhileCapturing(DeviceHandle<Counter> h) {
        byte[] big = new byte[1 << 20];
        WeakReference<Object> ref = new WeakReference<>(big);
        CallException e = assertThrows(CallException.class, () -> h.submitBlocking(c -> {
            throw new IllegalStateException("fails holding " + big.length + " bytes");
        }));
        assertTrue(e.getCause().getMessage().contains("1048576"));
        return ref;
    }

    @Test
    void aThrowingSubmitGoesToTheHandlerAndIsCounted() throws Exception {
        DeviceId dev = Devices.fresh();
        List<Throwable> handled = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        DeviceHandle.configure(dev, DeviceConfig.DEFAULT.withFailureHandler((device, stage, stream, error) -> {
            handled.add(error);
            threads.add(Thread.currentThread().getName());
            throw new RuntimeException("a handler that throws must not end the runner");
        }));
        DeviceHandle<Counter> h = open(dev, Counter.class, Counter::new);
        RuntimeException boom = new RuntimeException("boom");
        h.submit(c -> { throw boom; });
        h.submit(c -> c.count++);
        assertEquals(1L, (long) h.submitBlocking(c -> c.count));
        assertEquals(List.of(boom), handled);
        assertEquals(List.of("weft-device-U-" + dev.type() + "-" + dev.index()), threads);
        RunnerStats stats = DeviceHandle.stats(dev).getFirst();
        assertEquals(1, stats.tasksFailed());
        assertEquals(0, stats.callsFailed());
        assertTrue(stats.tasksRun() >= 3, stats.toString());
        DeviceHandle.shutdown(dev, Duration.ofSeconds(10));
    }

    @Test
    void aCallToItsOwnDeviceRunsInlineInsteadOfDeadlocking() {
        DeviceId dev = Devices.fresh();
        DeviceHandle<Recorder> h = open(dev, Recorder.class, Recorder::new);
        List<Integer> order = h.submitBlocking(r -> {
            r.record(1);
            h.submit(inner -> inner.record(2));                       // inline, at once
            int three = h.submitBlocking(inner -> 3);                 // inline
            r.record(three);
            r.record(DeviceHandle.exclusive(dev, Stage.UPSTREAM, () -> 4)); // inline
            return List.copyOf(r.seen);
        });
        assertEquals(List.of(1, 2, 3, 4), order);
        DeviceHandle.shutdown(dev, Duration.ofSeconds(10));
    }

    @Test
    void theCallersStreamIsCurrentWhileItsTaskRuns() throws Exception {
        DeviceId dev = Devices.fresh();
        DeviceHandle<Counter> h = open(dev, Counter.class, Counter::new);
        StreamId mine = StreamId.current();
        assertEquals(Thread.currentThread().threadId(), mine.value());
        assertEquals(mine, h.submitBlocking(c -> StreamId.current()));
        StreamId bound = new StreamId(99);
        StreamId seen = StreamId.callWith(bound, () -> h.submitBlocking(c -> StreamId.current()));
        assertEquals(bound, seen);
        // A task submitting further work passes its stream on.
        StreamId nested = StreamId.callWith(bound, () -> h.submitBlocking(c ->
                DeviceHandle.exclusive(dev, Stage.DOWNSTREAM, StreamId::current)));
        assertEquals(bound, nested);
        // Fire-and-forget tasks carry it too.
        AtomicReference<StreamId> fromSubmit = new AtomicReference<>();
        StreamId.runWith(new StreamId(5), () -> h.submit(c -> fromSubmit.set(StreamId.current())));
        h.flush();
        h.submitBlocking(c -> null);
        assertEquals(new StreamId(5), fromSubmit.get());
        DeviceHandle.shutdown(dev, Duration.ofSeconds(10));
    }

    @Test
    void shutdownRunsWhatIsQueuedThenRejectsEveryCall() throws Exception {
        DeviceId dev = Devices.fresh();
        DeviceHandle<Counter> h = open(dev, Counter.class, Counter::new);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            h.submit(c -> ran.incrementAndGet()); // not flushed
        }
        assertTrue(DeviceHandle.shutdown(dev, Duration.ofSeconds(10)));
        assertEquals(10, ran.get());
        assertFalse(threadExists("weft-device-U-" + dev.type() + "-" + dev.index()));
        for (Runnable call : List.<Runnable>of(
                () -> h.submit(c -> { }),
                () -> h.submitBlocking(c -> 1),
                () -> h.exclusive(() -> 1),
                () -> DeviceHandle.open(dev, Counter.class, id -> new Counter()),
                () -> DeviceHandle.insert(dev, new Recorder()),
                () -> DeviceHandle.configure(dev, DeviceConfig.DEFAULT))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call::run);
            assertTrue(e.getMessage().contains(dev.toString()) && e.getMessage().contains("shut down"),
                    e.getMessage());
        }
    }

    @Test
    void aRunnerThatDoesNotStopInTimeIsReportedNotWaitedOn() throws Exception {
        DeviceId dev = Devices.fresh();
        DeviceHandle<Counter> h = open(dev, Counter.class, Counter::new);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch inTask = new CountDownLatch(1);
        h.submit(c -> {
            inTask.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        h.flush();
        assertTrue(inTask.await(30, TimeUnit.SECONDS));
        assertFalse(DeviceHandle.shutdown(dev, Duration.ofMillis(50)));
        assertTrue(DeviceHandle.stats(dev).getFirst().running());
        release.countDown();
        Thread runner = findThread("weft-device-U-" + dev.type() + "-" + dev.index());
        if (runner != null) {
            runner.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(runner.isAlive());
        }
    }

    @Test
    void configureAfterFirstUseIsRefused() {
        DeviceId dev = Devices.fresh();
        open(dev, Counter.class, Counter::new);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DeviceHandle.configure(dev, DeviceConfig.DEFAULT.withBatchSize(8)));
        assertTrue(e.getMessage().contains("before"), e.getMessage());
        DeviceHandle.shutdown(dev, Duration.ofSeconds(10));
    }

    @Test
    void handlesAreEqualInUseWhereverTheyAreShared() throws Exception {
        DeviceId dev = Devices.fresh();
        DeviceHandle<Counter> h = open(dev, Counter.class, Counter::new);
        Thread t = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 100; i++) {
                h.submit(c -> c.count++);
            }
            h.flush();
        });
        t.join();
        assertEquals(100L, (long) h.submitBlocking(c -> c.count));
        assertNotSame(null, h.toString());
        assertTrue(h.toString().contains(Counter.class.getName()));
        DeviceHandle.shutdown(dev, Duration.ofSeconds(10));
    }

    @Test
    void deviceIdsAreOrderedAndValidated() {
        assertTrue(new DeviceId(0, 5).compareTo(new DeviceId(1, 0)) < 0);
        assertTrue(new DeviceId(1, 2).compareTo(new DeviceId(1, 1)) > 0);
        assertEquals(0, new DeviceId(3, 3).compareTo(new DeviceId(3, 3)));
        var e = assertThrows(IllegalArgumentException.class, () -> new DeviceId(-1, 0));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DeviceId(0, -3));
        var b = assertThrows(IllegalArgumentException.class, () -> DeviceConfig.DEFAULT.withBatchSize(0));
        assertTrue(b.getMessage().contains("batchSize") && b.getMessage().contains("0"), b.getMessage());
    }

    private static boolean threadExists(String name) {
        return findThread(name) != null;
    }

    private static Thread findThread(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name) && t.isAlive())
                .findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static <X extends Throwable> RuntimeException sneaky(Throwable t) throws X {
        throw (X) t;
    }
}
