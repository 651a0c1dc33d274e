package dev.weft.sched;

import dev.weft.idle.Backoff;
import dev.weft.runtime.RuntimeStats;
import dev.weft.runtime.WorkerStats;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The worker sleep/wake protocol (the class comment of {@link Worker}: "why no wake-up is lost")
 * under work that arrives while workers fall asleep. Each round waits a random time, so that the
 * other workers are searching, spinning before they park, yielding, or parked, and then makes
 * work appear one of the ways the protocol covers:
 * <ul>
 *   <li>a burst of spawns from outside (the injector's push and notify);</li>
 *   <li>an unpark from outside of a task parked in its body (the JDK schedules it through
 *       {@link Scheduler#execute}, into the injector);</li>
 *   <li>spawns from a task that then keeps its worker busy, so that the children run only if
 *       another worker wakes for them (a local push and its unfenced notify, then stealing);</li>
 *   <li>an unpark from a task that keeps its worker busy: the woken task is queued on that
 *       worker and runs only if another worker wakes;</li>
 *   <li>with three workers or more, children that wait for each other to start while their
 *       parent keeps its worker busy: they all run only if every other worker wakes, which takes
 *       the chain of wake-ups by the last searcher that finds work.</li>
 * </ul>
 * Workers sleep in a {@link ThreadParker}, whose park has no time limit: a lost wake-up leaves
 * a worker asleep for good, and the work it was woken for waits until a bound far above any
 * delay the machine adds (a join's time limit, or a busy wait's), which fails the test naming
 * the round and its kind. Each runtime runs rounds until a count or a time budget is reached,
 * then every task must have run exactly once and the runtime must terminate.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerWakeStressTest {

    /** Rounds per runtime, unless the time budget ends them first. */
    private static final int ROUNDS = 20_000;
    private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** How long a round's work may take to run before it counts as lost. */
    private static final long LOST_NANOS = TimeUnit.SECONDS.toNanos(20);

    enum Kind { OUTSIDE_SPAWNS, OUTSIDE_UNPARK, TASK_SPAWNS, TASK_UNPARK, RENDEZVOUS }

    private Scheduler scheduler;
    /** Task bodies that ran, counted by each body. */
    private final AtomicLong ran = new AtomicLong();
    /** Tasks spawned by the test and its tasks. */
    private final AtomicLong spawned = new AtomicLong();

    @ParameterizedTest(name = "{0} workers on {1} processors")
    @CsvSource({"1, 1", "2, 2", "2, 1", "4, 2"}) // the last two oversubscribed: idle workers yield, never spin
    void everyTaskRunsWhenWorkArrivesAsWorkersFallAsleep(int workers, int processors) throws Exception {
        scheduler = Scheduler.start(SchedulerConfig.of(workers, "wake").withProcessors(processors));
        assertEquals(workers > processors ? Worker.SLEEP_YIELD : Backoff.DEFAULT, scheduler.workers[0].sleepWait,
                "how an idle worker waits");
        try {
            List<Kind> kinds = new ArrayList<>(List.of(Kind.OUTSIDE_SPAWNS, Kind.OUTSIDE_UNPARK));
            if (workers >= 2) {
                kinds.add(Kind.TASK_SPAWNS); // the spawner's worker is busy: others must wake
                kinds.add(Kind.TASK_UNPARK);
            }
            if (workers >= 3) {
                kinds.add(Kind.RENDEZVOUS); // every other worker must wake for the children
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int[] perKind = new int[Kind.values().length];
            long end = System.nanoTime() + BUDGET_NANOS;
            int rounds = 0;
            while (rounds < ROUNDS && System.nanoTime() < end) {
                Kind kind = kinds.get(random.nextInt(kinds.size()));
                String round = "round " + rounds + " (" + kind + ")";
                switch (kind) {
                    case OUTSIDE_SPAWNS -> outsideSpawns(round, random);
                    case OUTSIDE_UNPARK -> outsideUnpark(round, random);
                    case TASK_SPAWNS -> taskSpawns(round);
                    case TASK_UNPARK -> taskUnpark(round);
                    case RENDEZVOUS -> rendezvous(round, workers - 1);
                }
                perKind[kind.ordinal()]++;
                rounds++;
            }
            for (Kind k : kinds) {
                assertTrue(perKind[k.ordinal()] > 0, "no " + k + " round ran in the budget");
            }
            scheduler.close();
            assertTrue(scheduler.awaitTermination(Duration.ofSeconds(30)),
                    "the runtime did not terminate: " + scheduler.stats(RuntimeStats::new, WorkerStats::new));
            assertEquals(spawned.get(), ran.get(), "task bodies that ran");
            assertEquals(spawned.get(), scheduler.stats(RuntimeStats::new, WorkerStats::new).total(WorkerStats::completed),
                    "tasks the workers completed");
        } finally {
            scheduler.close();
        }
    }

    // ---------------------------------------------------------------------------------------
    // The kinds of round

    /** One to three spawns from this (non-worker) thread after a delay; each must run. */
    private void outsideSpawns(String round, ThreadLocalRandom random) throws Exception {
        delayOutside(random);
        int n = 1 + random.nextInt(3);
        List<JoinHandle<Object>> hs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            hs.add(spawn(() -> null));
        }
        for (JoinHandle<Object> h : hs) {
            await(round, h);
        }
    }

    /** A task parks in its body; after a delay this thread unparks it; it must resume. */
    private void outsideUnpark(String round, ThreadLocalRandom random) throws Exception {
        Waiter waiter = new Waiter();
        JoinHandle<Object> h = spawn(waiter::waitForRelease);
        waiter.awaitParked(round, this);
        delayOutside(random);
        waiter.release();
        await(round, h);
    }

    /**
     * A task lets the other workers fall asleep, spawns one to three children and then keeps its
     * worker busy until they have run: they run only on other workers, which must wake.
     */
    private void taskSpawns(String round) throws Exception {
        JoinHandle<String> parent = spawn(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            delayInTask(random);
            int n = 1 + random.nextInt(3);
            AtomicInteger done = new AtomicInteger();
            for (int i = 0; i < n; i++) {
                spawnFromTask(done::incrementAndGet);
            }
            return busyUntil(() -> done.get() == n) ? "ran" : done.get() + " of " + n + " children ran";
        });
        assertEquals("ran", await(round, parent), round + ": spawned while the other workers slept");
    }

    /**
     * A task parked in its body is unparked by a task that then keeps its worker busy until the
     * first has resumed: it was queued on the busy worker, so another worker must wake for it.
     */
    private void taskUnpark(String round) throws Exception {
        Waiter waiter = new Waiter();
        JoinHandle<Object> parked = spawn(waiter::waitForRelease);
        waiter.awaitParked(round, this);
        JoinHandle<String> waker = spawn(() -> {
            delayInTask(ThreadLocalRandom.current());
            waiter.release();
            return busyUntil(() -> waiter.resumed) ? "resumed" : "still parked";
        });
        assertEquals("resumed", await(round, waker), round + ": unparked while the other workers slept");
        await(round, parked);
    }

    /**
     * A task spawns {@code n} children that each wait until all {@code n} have started, and
     * keeps its worker busy meanwhile: they need every other worker awake at once.
     */
    private void rendezvous(String round, int n) throws Exception {
        JoinHandle<String> parent = spawn(() -> {
            delayInTask(ThreadLocalRandom.current());
            AtomicInteger started = new AtomicInteger();
            AtomicInteger met = new AtomicInteger();
            for (int i = 0; i < n; i++) {
                spawnFromTask(() -> {
                    started.incrementAndGet();
                    if (busyUntil(() -> started.get() == n)) {
                        met.incrementAndGet();
                    }
                });
            }
            return busyUntil(() -> met.get() == n) ? "met" : started.get() + " of " + n + " children started; " + wakeState();
        });
        assertEquals("met", await(round, parent), round + ": children that need every worker");
    }

    // ---------------------------------------------------------------------------------------

    /** A task that parks in its body until released, with no weft wait in between. */
    private final class Waiter {
        volatile Thread thread;
        volatile boolean released;
        volatile boolean resumed;

        Object waitForRelease() {
            thread = Thread.currentThread();
            while (!released) {
                LockSupport.park(this);
            }
            resumed = true;
            return null;
        }

        /** Waits until the task is parked, so that the unpark is what makes it runnable. */
        void awaitParked(String round, WorkerWakeStressTest test) throws Exception {
            long end = System.nanoTime() + LOST_NANOS;
            for (;;) {
                Thread t = thread;
                if (t != null && t.getState() == Thread.State.WAITING) {
                    return;
                }
                if (System.nanoTime() > end) {
                    fail(round + ": the waiting task never parked: " + test.scheduler.stats(RuntimeStats::new, WorkerStats::new));
                }
                Thread.onSpinWait();
            }
        }

        void release() {
            released = true;
            LockSupport.unpark(thread);
        }
    }

    /** The wake protocol's shared state, for a failure message. */
    private String wakeState() {
        StringBuilder b = new StringBuilder("searching=").append(scheduler.searching.get())
                .append(" sleepers=").append(scheduler.sleepers.get())
                .append(" injector empty=").append(scheduler.injector.isEmpty());
        for (Worker w : scheduler.workers) {
            b.append(" [").append(w.getName()).append(w.state == Worker.SLEEPING ? " SLEEPING" : " RUNNING")
                    .append(w.parked ? " parked" : "").append(" queue=").append(w.queue.size()).append(']');
        }
        return b.toString();
    }

    /** Spawns from this thread a body that is counted when it runs. */
    private <T> JoinHandle<T> spawn(Callable<T> body) {
        spawned.incrementAndGet();
        return scheduler.spawn(() -> {
            ran.incrementAndGet();
            return body.call();
        });
    }

    /** Spawns from the calling task a body that is counted when it runs. */
    private void spawnFromTask(Runnable body) {
        spawned.incrementAndGet();
        Task.spawn(() -> {
            ran.incrementAndGet();
            body.run();
        });
    }

    private <T> T await(String round, JoinHandle<T> h) throws Exception {
        try {
            return h.join(Duration.ofNanos(2 * LOST_NANOS)); // above a busy wait's bound
        } catch (TimeoutException e) {
            fail(round + ": a task never ran (a lost wake-up): " + scheduler.stats(RuntimeStats::new, WorkerStats::new));
            throw e;
        }
    }

    /**
     * Spins, holding the worker (no yield, no weft wait), until {@code done} or the loss bound;
     * returns whether {@code done} became true.
     */
    private static boolean busyUntil(BooleanSupplier done) {
        return busyUntil(done, LOST_NANOS);
    }

    /** {@link #busyUntil(BooleanSupplier)} with a bound of {@code nanos}. */
    static boolean busyUntil(BooleanSupplier done, long nanos) {
        long end = System.nanoTime() + nanos;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /**
     * A delay on this (outside) thread: none, a spin within the workers' spin before parking
     * (about 90 µs of {@link dev.weft.idle.Backoff#DEFAULT}), or a park long enough that they
     * reach their own park.
     */
    private static void delayOutside(ThreadLocalRandom random) {
        switch (random.nextInt(3)) {
            case 0 -> { }
            case 1 -> spinFor(random.nextLong(150_000));
            default -> LockSupport.parkNanos(random.nextLong(2_000_000));
        }
    }

    /** A delay inside a task, holding its worker: none, or a spin of up to a millisecond. */
    private static void delayInTask(ThreadLocalRandom random) {
        if (random.nextInt(4) != 0) {
            spinFor(random.nextLong(1_000_000));
        }
    }

    private static void spinFor(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
