package dev.weft.sched;

import dev.weft.idle.Backoff;
import dev.weft.task.TaskKind;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A worker: one platform thread that carries weft's virtual threads. It owns a {@link RunQueue};
 * everything it runs comes from that queue, the global {@link Injector}, or other workers' queues.
 *
 * <h2>The loop</h2>
 * Each turn takes one runnable and runs it:
 * <ol>
 *   <li>its own queue, FIFO; every 256th turn the injector first, so work from outside is not
 *       starved by a busy local queue;</li>
 *   <li>when the local queue is empty, up to 256 tasks from the injector;</li>
 *   <li>then up to 4 rounds of stealing: each round visits the other workers from a random one
 *       and takes half of the first non-empty queue, with a spin between rounds that doubles;</li>
 *   <li>the injector once more; then sleep.</li>
 * </ol>
 * What it runs is either a resumed virtual thread (a continuation the JDK handed to
 * {@link Scheduler#execute}), mounted on this thread, or a new {@link TaskCell}: a dedicated task
 * gets a new virtual thread, a pooled one goes to the worker's active {@link Runner}, which then
 * keeps taking pooled tasks itself until something else comes up.
 *
 * <h2>Sleeping and waking: why no wake-up is lost</h2>
 * Two counters in the scheduler, {@code searching} (workers looking for work, not yet asleep) and
 * {@code sleepers} (workers registered as asleep), and each worker's {@code state}, RUNNING or
 * SLEEPING, changed from SLEEPING only by CAS (so exactly one party wakes a sleeper).
 * <ul>
 *   <li><b>Work arrives</b> ({@link Scheduler#notifyWork}): after the push, a full fence, then
 *       read {@code searching} and {@code sleepers}. If some worker is searching, or none sleeps,
 *       return. Otherwise CAS {@code searching} 0 → 1 (one notifier wins), CAS one sleeping
 *       worker to RUNNING, decrement {@code sleepers} and unpark it: it starts out counted as
 *       searching. If no sleeper can be claimed, undo the count and look again: another notifier
 *       may have returned because of our count.</li>
 *   <li><b>A worker goes to sleep</b>: store {@code state = SLEEPING}, increment {@code sleepers},
 *       stop counting itself as searching, then look at the injector and every run queue once
 *       more. If there is work, it takes itself back (CAS to RUNNING; if that fails, a notifier
 *       already did) and searches again, counted as searching. Otherwise it waits for its state
 *       to change: a short spin, then park.</li>
 *   <li><b>A searcher finds work</b>: it stops counting itself; if it was the last searcher it
 *       runs the notifier's check, so more workers wake while there is more work (Go's rule).</li>
 * </ul>
 * <b>Stealing before searching.</b> An awake worker whose queue and the injector are empty first
 * tries one round of stealing without counting itself as searching, and counts itself only if
 * that finds nothing. A worker that runs out of work and steals a task at once (a busy runtime,
 * where another worker spawns while this one drains) then writes no shared counter: counting
 * itself in and out cost two read-modify-writes of {@code searching} per steal, and every spawn
 * elsewhere reads that line, so it moved between the cores once per task. It is safe: a worker
 * that looks for work uncounted only makes notifiers see fewer searchers, so they may wake a
 * sleeper that was not needed, never skip one that was. If the steal took more than one task
 * (the victim has a backlog), the thief runs the notifier's check, as a searcher that finds work
 * does, so that sleeping workers still wake to share a burst.
 * The notifier writes the queue then reads the counters; the sleeper writes the counters (atomic
 * read-modify-writes, full fences) then reads the queues: in the total order of these accesses
 * at least one sees the other (for the injector, whose push is an atomic swap). Either the sleeper's last look finds the task, or the notifier
 * sees the sleeper registered and not searching, and wakes someone. A notifier that sees a
 * searcher relies on it: a searcher either finds work (and, as the last searcher, notifies in
 * turn) or goes to sleep through the same last look, which comes after the notifier's push. So
 * a task pushed just as the last worker goes to sleep still runs. {@code WorkerWakeStressTest}
 * checks this with spawns and unparks, from outside and from tasks that keep their worker busy,
 * timed against workers falling asleep.
 *
 * <p><b>Taking itself back.</b> A worker whose last look (or a look while it spins before
 * parking) finds work counts itself as searching again before it looks for that work, as one
 * that a notifier woke does. The notifiers that pushed the work may have returned because this
 * worker was the searcher, so the duty to wake others for it is this worker's: when it finds a
 * task it stops searching and, as the last searcher, runs the notifier's check. Without the
 * count it would search uncounted, and this interleaving stranded a task (three workers: P busy
 * in a task, S the last searcher, Z asleep): S's steal rounds find nothing; P spawns two tasks
 * into its own queue, and each spawn's notifier sees S searching and returns; S registers as a
 * sleeper, stops searching (0 left) and in its last look sees P's queue; it takes itself back,
 * steals one task of the two uncounted (a steal of one wakes nobody) and runs it. The other task
 * waits in P's queue with nobody searching while Z sleeps, until P's task ends.
 * {@code WorkerLastLookTest} forces that interleaving through the scheduler's
 * {@code beforeSleep} seam.
 *
 * <p><b>Local pushes.</b> A worker pushing to its own queue (a spawn or wake-up from a task
 * running on it) does not fence before reading the counters: a fence per spawn costs about a
 * tenth of a fine-grained task. Nothing can be stranded by it: the pushing worker is awake and
 * runs its own queue. What a missed wake-up could cost is parallelism, if a worker registered as
 * sleeping just while the push was still in the pusher's store buffer and so missed it in its
 * last look; so a sleeping worker looks at the queues again every few steps while it spins
 * before parking (after every yield, when it yields instead), by which time any such push is
 * visible, and takes itself back if it finds work.
 *
 * <p><b>Oversubscribed.</b> With more workers than processors ({@link SchedulerConfig#oversubscribed},
 * from the JVM's processor count, which follows the affinity mask and the container's limit), a
 * worker that spins holds a processor that a worker with work may be waiting for, until the
 * kernel's time slice ends. Such a worker never spins: between steal rounds it yields once, and
 * before parking it yields a few times ({@link #SLEEP_YIELD}), looking at the queues after each
 * yield. The protocol above is unchanged; only the waits between its looks differ.
 *
 * <h2>The driver</h2>
 * Each worker owns a {@link Driver}: its I/O (an io_uring ring or a NIO selector) or a plain
 * thread parker. The loop polls it every 64 turns and whenever the local queue runs dry, if it
 * has operations queued or in flight; completions make their tasks runnable on this worker, and
 * if that left more than one runnable, a sleeping worker is woken to steal. A worker going to
 * sleep spins first (polling the driver every 64 steps), then parks in {@code driver.park()},
 * which also returns when I/O completes: the worker then takes itself back if its queue has
 * work. The waker's side: after its state CAS, {@link #unparkClaimed()} calls
 * {@code driver.wake()} only if the worker has set {@code parked}; the worker sets
 * {@code parked} before its last read of {@code state}, so one of the two sees the other (both
 * volatile). The driver keeps a wake-up that comes before its park (see {@link Driver}).
 *
 * <p>A driver's {@code poll} or {@code park} that throws does not end the worker: the worker
 * hands the exception to {@link Driver#fail} (the I/O driver cancels and reaps what it has in
 * flight, fails its tasks with an I/O error and sleeps on its permit from then on) and goes on
 * running tasks, so that joins, shutdown and termination still work.
 *
 * <h2>Owner-only fields</h2>
 * {@code activeRunner}, {@code pending}, {@code handoff}, the slice and id fields are read and
 * written only by code running on this worker's OS thread: the worker's loop or a virtual
 * thread mounted on it. A virtual thread that runs this worker's code (a runner's search) must
 * not leave the thread halfway, or it would finish the search on another worker and leave what
 * it found in this one's {@code pending}: the search takes no lock but in the driver, whose
 * {@code poll} and {@code wake} pin the caller when they take one ({@link CarrierPin}, and
 * {@link Driver}). Other threads read only {@code state}, the counters (opaque) and
 * {@code currentId}/{@code currentSpec} (for stats).
 */
public final class Worker extends Thread {

    static final int RUNNING = 0;
    static final int SLEEPING = 1;

    private static final int STEAL_ROUNDS = 4;
    private static final int BATCH = 256;
    /** Turns between polls of the driver while the local queue has work (Tokio uses 61). */
    private static final int IO_INTERVAL = 64;
    private static final Backoff SLEEP_SPIN = Backoff.DEFAULT;
    /**
     * The wait before parking when there are more workers than processors: no spinning, a few
     * yields (each gives the processor to a worker that has work), looking for work after each.
     */
    static final Backoff SLEEP_YIELD = new Backoff(0, 8, Backoff.DEFAULT_MIN_PARK_NANOS, Backoff.DEFAULT_MAX_PARK_NANOS);
    /** The pause between steal rounds: spins only, enough for all four rounds. */
    private static final Backoff STEAL_PAUSE = new Backoff(32 + 64 + 128 + 256, 0,
            Backoff.DEFAULT_MIN_PARK_NANOS, Backoff.DEFAULT_MIN_PARK_NANOS);

    // Counter indices, in a padded array of their own: written only by the owner (opaque),
    // read by stats from anywhere.
    private static final int PAD = 16;
    private static final int POLLED = PAD;
    private static final int ENDED = PAD + 1;
    private static final int SPAWNED = PAD + 2;
    private static final int WOKEN_INSIDE = PAD + 3;
    private static final int STOLEN = PAD + 4;
    private static final int PARKS = PAD + 5;
    private static final int FROM_INJECTOR = PAD + 6;
    private static final int COUNTERS = PAD + 7 + PAD;

    final Scheduler scheduler;
    final int index;
    final RunQueue queue;
    /** What this worker polls between ticks and sleeps in: its I/O driver, or a thread parker. */
    final Driver driver;
    /** Whether this worker is inside (or about to enter) {@code driver.park()}: wakers skip the wake-up call otherwise. */
    volatile boolean parked;
    /** What a full run queue moves out, gathered to go to the injector in one push. */
    private Runnable[] spill = new Runnable[0];
    private int spilled;
    private final java.util.function.Consumer<Runnable> spillSink = this::spill;
    private final long[] counters = new long[COUNTERS];

    /** The runner that takes this worker's pooled tasks; null until needed, or after it parked in a task. */
    Runner activeRunner;
    /** What the active runner found and left for this loop to run. */
    Runnable pending;
    private Runnable handoff;
    private boolean expectingHandoff;
    private boolean searching;
    private int turn;
    private long sliceStart;
    private long nextId;
    private long idLimit;
    /**
     * The id of the task this worker last started or resumed through weft, or -1; for stats only
     * (written opaque by the owner, read opaque by stats). An id and not the task: this object
     * lives long, and under G1 every store of a young reference into an old object pays a
     * store-load fence in the write barrier, which was a tenth of a fine-grained task's cost.
     */
    private long currentId = -1L;
    /**
     * That task's spec, for its name: written only when it changes (most tasks share one), so
     * that a task start stores no reference here. Stats read it after the id, so for an instant
     * after a switch the name they show can be the previous task's.
     */
    private TaskSpec currentSpec;
    volatile int state;
    /** More workers than processors: an idle worker does not spin (see "Oversubscribed"). */
    private final boolean oversubscribed;
    /** How this worker waits before it parks: {@link #SLEEP_SPIN}, or {@link #SLEEP_YIELD} if oversubscribed. */
    final Backoff sleepWait;

    Worker(Scheduler scheduler, int index, String name, int queueCapacity, int queueGrowthLimit, Driver driver,
           boolean oversubscribed) {
        super(name);
        setDaemon(true);
        this.scheduler = scheduler;
        this.oversubscribed = oversubscribed;
        this.sleepWait = oversubscribed ? SLEEP_YIELD : SLEEP_SPIN;
        this.index = index;
        this.driver = driver;
        this.queue = new RunQueue(queueCapacity, 0, queueGrowthLimit);
    }

    /**
     * Queues a runnable on this worker; if the run queue is full, moves its older half and the
     * runnable to the injector in one push. Owner only.
     */
    void push(Runnable r) {
        if (queue.pushOrOverflow(r, spillSink) > 0) {
            scheduler.injector.pushAll(spill, spilled);
            java.util.Arrays.fill(spill, 0, spilled, null);
            spilled = 0;
        }
    }

    /**
     * Gathers one runnable leaving the full run queue. An entry whose task was claimed already
     * (run inline by a joiner, or cancelled) is dropped here instead of travelling through the
     * injector: a joiner that runs its children inline leaves one such entry per child.
     */
    private void spill(Runnable r) {
        if (!(r instanceof TaskCell<?> cell) || cell.isUnclaimed()) {
            if (spilled == spill.length) {
                spill = java.util.Arrays.copyOf(spill, queue.capacity() / 2 + 1); // first overflow
            }
            spill[spilled++] = r;
        }
    }

    /** The worker whose thread the caller runs on (for a virtual thread, its carrier), or null. */
    static Worker current() {
        return VirtualThreadHook.currentCarrier() instanceof Worker w ? w : null;
    }

    /**
     * Yields the calling task if it has run for its timeslice since it was started or last
     * resumed. Does nothing outside a weft task.
     */
    public static void checkTimeslice() {
        Worker w = current();
        if (w == null || !Thread.currentThread().isVirtual()) {
            return;
        }
        long now = System.nanoTime();
        long start = w.sliceStart;
        if (start == 0L) {
            w.sliceStart = now; // the slice starts at the first check: free for tasks that never check
        } else if (now - start >= w.scheduler.timesliceNanos) {
            Thread.yield();
        }
    }

    @Override
    public void run() {
        try {
            try {
                driver.attach();
            } catch (RuntimeException | Error e) {
                scheduler.attachFailed(this, e); // Scheduler.start throws it, after every worker exited
                return;
            } finally {
                scheduler.attached();
            }
            for (;;) {
                Runnable r = pending;
                if (r != null) {
                    pending = null;
                } else if ((r = findWork()) == null) {
                    return;
                }
                dispatch(r);
            }
        } finally {
            retireRunner();
            noteCurrent(null);
            driver.close();
            scheduler.workerExited();
        }
    }

    /**
     * Ends this worker's idle runner, if any: mounts it one last time with nothing to run, so
     * that its virtual thread ends instead of staying parked with the runtime reachable from it.
     */
    private void retireRunner() {
        Runner runner = activeRunner;
        activeRunner = null;
        if (runner == null || !runner.isIdle()) {
            return;
        }
        runner.retire();
        resumeIdle(runner);
    }

    private void dispatch(Runnable r) {
        if (!(r instanceof TaskCell<?> cell)) {
            mount(r);
            return;
        }
        if (!cell.claim()) {
            return; // cancelled before it started, or a joiner ran it inline: an empty entry
        }
        if (cell.taskKind() == TaskKind.DEDICATED) {
            start(new Runner(scheduler, cell, true).newThread());
            return;
        }
        Runner runner = activeRunner;
        if (runner == null) {
            runner = new Runner(scheduler, cell, false);
            activeRunner = runner;
            start(runner.newThread());
            return;
        }
        runner.give(cell);
        if (!resumeIdle(runner)) {
            // The runner was already runnable (a spurious unpark queued it): it runs the task
            // wherever it is mounted next. This worker takes a new runner next time.
            activeRunner = null;
        }
    }

    /**
     * Unparks an idle runner (given a task, or retired) and mounts it at once: the JDK's
     * scheduling call lands in this worker's hand-off slot.
     *
     * @return false if the unpark scheduled nothing, because the runner was runnable already
     */
    private boolean resumeIdle(Runner runner) {
        expectingHandoff = true;
        try {
            LockSupport.unpark(runner.thread());
        } finally {
            expectingHandoff = false;
        }
        if (handoff == null) {
            return false;
        }
        mountHandoff();
        return true;
    }

    private void start(Thread thread) {
        expectingHandoff = true;
        try {
            thread.start();
        } finally {
            expectingHandoff = false;
        }
        mountHandoff();
    }

    /**
     * Takes the continuation the JDK just scheduled from this thread, if this thread is waiting
     * for one. Called by {@link Scheduler#execute} on this worker's own thread.
     */
    boolean takeHandoff(Runnable continuation) {
        if (!expectingHandoff || handoff != null) {
            return false;
        }
        handoff = continuation;
        return true;
    }

    private void mountHandoff() {
        Runnable r = handoff;
        handoff = null;
        if (r != null) {
            mount(r);
        }
    }

    /** Runs a virtual thread's continuation on this thread until it parks, yields or ends. */
    private void mount(Runnable continuation) {
        sliceStart = 0L;
        noteCurrent(null);
        continuation.run();
        Runner runner = activeRunner;
        if (runner != null && !runner.isIdle()) {
            activeRunner = null; // it parked or yielded inside a task, which keeps it
        }
        noteCurrent(null);
    }

    // ---------------------------------------------------------------------------------------
    // Finding work

    /** The next runnable, sleeping while there is none; null once the runtime has terminated. */
    private Runnable findWork() {
        for (;;) {
            Runnable r = findWorkWithoutSleeping();
            if (r != null) {
                return r;
            }
            if (!sleep()) {
                return null;
            }
        }
    }

    /** The next runnable from the local queue, the injector or a steal; null if none was found. */
    Runnable findWorkWithoutSleeping() {
        Runnable r = search();
        if (r != null && searching) {
            stopSearching();
        }
        return r;
    }

    private Runnable search() {
        Runnable r;
        int t = ++turn;
        if ((t & (IO_INTERVAL - 1)) == 0 && driver.busy()) {
            pollDriver(); // between ticks: submit what tasks queued, resume what completed
        }
        if ((t & (BATCH - 1)) == 0 && (r = scheduler.injector.poll()) != null) {
            add(FROM_INJECTOR, 1);
            add(POLLED, 1);
            return r;
        }
        if ((r = queue.pop()) != null) {
            add(POLLED, 1);
            return r;
        }
        if (driver.busy()) {
            pollDriver(); // the local queue ran dry: submit and reap before looking elsewhere
            if ((r = queue.pop()) != null) {
                add(POLLED, 1);
                return r;
            }
        }
        if ((r = takeFromInjector()) != null) {
            return r;
        }
        if (!searching && (r = stealOnce()) != null) {
            return r; // found before counting as searching (see "Stealing before searching")
        }
        if (!searching) {
            startSearching();
        }
        long step = 0;
        for (int round = 0; round < STEAL_ROUNDS; round++) {
            if ((r = stealOnce()) != null) {
                return r;
            }
            if (oversubscribed) {
                Thread.yield(); // a spin would hold the processor a worker with work may need
            } else {
                for (long until = step + (32L << round); step < until; step++) {
                    STEAL_PAUSE.idle(step); // 32, 64, 128, 256 spins: the pause doubles each round
                }
            }
        }
        return takeFromInjector(); // if null, still counted as searching: sleep() stops that
    }

    /**
     * Polls the driver. Completions queue their tasks here without waking anyone (see
     * {@link Scheduler#execute}); if that left more than one runnable, a sleeping worker is woken
     * to steal, as for any other burst of work.
     */
    private void pollDriver() {
        poll();
        if (queue.size() > 1) {
            scheduler.notifyWork();
        }
    }

    /**
     * Polls the driver; if it throws, the driver fails ({@link Driver#fail}: its tasks get an
     * I/O error) and the worker goes on. The one place the worker's loop meets a driver error.
     */
    private void poll() {
        try {
            driver.poll();
        } catch (RuntimeException | Error e) {
            driver.fail(e);
        }
    }

    /** Parks in the driver; if it throws, as {@link #poll()}. */
    private void park() {
        try {
            driver.park();
        } catch (RuntimeException | Error e) {
            driver.fail(e);
        }
    }

    private Runnable takeFromInjector() {
        int n = scheduler.injector.pollInto(queue, BATCH);
        if (n == 0) {
            return null;
        }
        add(FROM_INJECTOR, n);
        add(POLLED, 1);
        return queue.pop();
    }

    private Runnable stealOnce() {
        Worker[] all = scheduler.workers;
        int n = all.length;
        if (n == 1) {
            return null;
        }
        int start = ThreadLocalRandom.current().nextInt(n);
        for (int i = 0; i < n; i++) {
            Worker victim = all[(start + i) % n];
            if (victim == this) {
                continue;
            }
            int taken = victim.queue.stealInto(queue);
            if (taken > 0) {
                add(STOLEN, taken);
                add(POLLED, 1);
                if (taken > 1 && !searching) {
                    scheduler.notifyWork(); // a backlog: wake a sleeper to share it, as a searcher would
                }
                return queue.pop();
            }
        }
        return null;
    }

    /** Whether this worker counts itself as searching now. Owner only (and tests, on its thread). */
    boolean isSearching() {
        return searching;
    }

    /** Counts this worker as searching: a notifier that sees the count relies on it. */
    private void startSearching() {
        searching = true;
        scheduler.searching.incrementAndGet();
    }

    /** Found work: stop counting as searching; the last searcher wakes another if work waits. */
    private void stopSearching() {
        searching = false;
        if (scheduler.searching.decrementAndGet() == 0) {
            scheduler.notifyWork();
        }
    }

    /**
     * Sleeps until woken with work, or until the runtime terminates (see the class comment).
     *
     * @return false if the runtime has terminated
     */
    private boolean sleep() {
        java.util.function.Consumer<Worker> hook = scheduler.beforeSleep;
        if (hook != null) {
            hook.accept(this);
        }
        state = SLEEPING;
        scheduler.sleepers.incrementAndGet();
        if (searching) {
            searching = false;
            scheduler.searching.decrementAndGet();
        }
        if (scheduler.hasWork() || scheduler.tryTerminate()) {
            if (STATE.compareAndSet(this, SLEEPING, RUNNING)) {
                scheduler.sleepers.decrementAndGet();
                startSearching(); // the searcher it just stopped being: see "Taking itself back"
            } else {
                searching = true; // a notifier woke us and counted us as searching
            }
            return !scheduler.isTerminated();
        }
        add(PARKS, 1);
        noteCurrent(null);
        for (long step = 0; state == SLEEPING && !scheduler.isTerminated(); step++) {
            if (sleepWait.parks(step)) {
                parked = true; // then read state: a waker CASes state, then reads parked
                if (state == SLEEPING && !scheduler.isTerminated()) {
                    park(); // returns on a wake-up, or on I/O completions
                }
                parked = false;
                if (state == SLEEPING && !queue.isEmpty() && STATE.compareAndSet(this, SLEEPING, RUNNING)) {
                    scheduler.sleepers.decrementAndGet(); // I/O completed: tasks of ours are runnable
                    return true;
                }
            } else {
                sleepWait.idle(step);
                if ((step & 63) == 63 || sleepWait.phase(step) == Backoff.Phase.YIELDING) {
                    if (driver.busy()) {
                        poll();
                    }
                    if (scheduler.hasWork() && STATE.compareAndSet(this, SLEEPING, RUNNING)) {
                        scheduler.sleepers.decrementAndGet(); // work arrived unannounced (a local push, I/O)
                        startSearching(); // see "Taking itself back"
                        return true;
                    }
                }
            }
        }
        if (scheduler.isTerminated()) {
            return false;
        }
        searching = true; // the notifier counted us as searching
        return true;
    }

    /** Claims this worker if it sleeps: SLEEPING to RUNNING. The caller then calls {@link #unparkClaimed()}. */
    boolean tryWake() {
        return state == SLEEPING && STATE.compareAndSet(this, SLEEPING, RUNNING);
    }

    /**
     * Wakes this worker after its state changed, if it is parked in its driver. The state CAS (a
     * full fence) comes before the read of {@code parked}; the worker writes {@code parked}
     * before it reads state: one of the two sees the other, so a worker about to park either
     * sees the new state or is woken.
     */
    void unparkClaimed() {
        if (parked) {
            driver.wake();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Bookkeeping, owner only

    /** A task body starts on this worker: reset the slice, note the task for stats. */
    void startSlice(TaskCell<?> task) {
        sliceStart = 0L;
        noteCurrent(task);
    }

    /** A weft wait resumed {@code task} on this worker (or an inline run went back to it). */
    void resumed(TaskCell<?> task) {
        noteCurrent(task);
    }

    /** Records {@code task} (or none) as what this worker runs, for stats. */
    private void noteCurrent(TaskCell<?> task) {
        if (task == null) {
            CURRENT_ID.setOpaque(this, -1L);
            return;
        }
        TaskSpec spec = task.spec();
        if (currentSpec != spec) {
            CURRENT_SPEC.setOpaque(this, spec);
        }
        CURRENT_ID.setOpaque(this, task.id());
    }

    /** Counts a task end with a release store: termination reads it after the spawn it follows. */
    void countEnded() {
        COUNTER.setRelease(counters, ENDED, counters[ENDED] + 1);
    }

    void countWokenInside() {
        add(WOKEN_INSIDE, 1);
    }

    /** Counts a spawn (the spawner fences after its push; see {@link Scheduler#spawn}). */
    void countSpawn(long delta) {
        add(SPAWNED, delta);
    }

    long spawnedCount() {
        return (long) COUNTER.getAcquire(counters, SPAWNED);
    }

    long endedCount() {
        return (long) COUNTER.getAcquire(counters, ENDED);
    }

    long nextTaskId() {
        if (nextId == idLimit) {
            nextId = scheduler.reserveIds(1024);
            idLimit = nextId + 1024;
        }
        return nextId++;
    }

    private void add(int counter, long delta) {
        COUNTER.setOpaque(counters, counter, counters[counter] + delta);
    }

    private long read(int counter) {
        return (long) COUNTER.getOpaque(counters, counter);
    }

    <W> W stats(StatsShape.OfWorker<W> shape) {
        long taskId = (long) CURRENT_ID.getOpaque(this);
        TaskSpec spec = (TaskSpec) CURRENT_SPEC.getOpaque(this);
        return shape.of(index, getName(), read(POLLED), read(ENDED), read(SPAWNED),
                read(WOKEN_INSIDE), read(FROM_INJECTOR), read(STOLEN), read(PARKS),
                taskId, taskId == -1L || spec == null ? "" : spec.name(), queue.size(),
                driver.operations(), driver.cqOverflows(), driver.cqDropped(),
                driver.stagingBytes(), driver.providedBytes());
    }

    private static final VarHandle STATE;
    private static final VarHandle CURRENT_ID;
    private static final VarHandle CURRENT_SPEC;
    private static final VarHandle COUNTER = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Worker.class, "state", int.class);
            CURRENT_ID = l.findVarHandle(Worker.class, "currentId", long.class);
            CURRENT_SPEC = l.findVarHandle(Worker.class, "currentSpec", TaskSpec.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
