package dev.weft.sched;

import dev.weft.task.CheckedRunnable;
import dev.weft.task.JoinHandle;
import dev.weft.task.TaskBuilder;
import dev.weft.task.TaskKind;
import dev.weft.time.Timer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * The work-stealing scheduler behind {@link dev.weft.runtime.Weft}: the workers, the global
 * injector, the spawn path, the virtual-thread executor, and shutdown.
 *
 * <h2>Where runnables go</h2>
 * <ul>
 *   <li>A spawn from code running on one of this scheduler's workers goes to that worker's run
 *       queue (half of a full queue moves to the injector); from anywhere else, to the
 *       injector.</li>
 *   <li>The JDK hands the continuation of a virtual thread that becomes runnable (started,
 *       unparked, yielded) to {@link #execute}: the same rule, by the caller's carrier. A
 *       continuation the worker itself is waiting for (it just handed a task to its runner) goes
 *       to its hand-off slot and runs at once.</li>
 * </ul>
 * Every push is followed by {@link #notifyWork()} (the wake-up protocol is in {@link Worker}).
 *
 * <h2>Shutdown</h2>
 * Tasks are counted: spawned (per worker, and for outside threads) and ended (per worker, and
 * outside). {@link #close()} writes {@code closed}, then reads the counts. A spawn from outside
 * counts its task and pushes it (an atomic swap: a full fence), then reads {@code closed}. If it
 * reads false, close's reads come later and include its count: the runtime waits for the task.
 * If it reads true, it tries to take the task back (a CAS from NEW); if that works the task never
 * runs, counts as ended, and the spawn fails; if a worker claimed the task first, the task is
 * running and the spawn succeeds. A spawn from inside a task needs no fence: the spawning task is
 * itself live until its end is counted, after the spawn, so a termination check that sees it
 * ended also sees its spawn (the ended counters are written with release and read with acquire).
 * No task is accepted and then dropped. Once closed, the runtime terminates when the ended count
 * reaches the spawned count (read in that order: a task's end is counted after its spawn, so the
 * two reads never show more ended than spawned): checked by close, by every task end after close,
 * and by workers before they sleep. Termination wakes every worker; they leave their loops, and
 * the last one closes the timer and runs the {@link #whenTerminated} actions.
 *
 * <p>A thread from {@link #threadFactory()} is counted like a spawn from outside when it is
 * made (an atomic increment, then the read of {@code closed}), since the JDK starts it later
 * through {@link #execute}, which does not know it is a start. {@link #shutdownNow()} adds
 * {@code stopping}: a claim that reads it cancels the task instead; and it cancels the tasks of
 * every live runner (the set {@code runners}, kept from a runner's creation to its end).
 */
public final class Scheduler implements Executor {

    /** Slots a worker's run queue starts with (Go's and Tokio's size). */
    private static final int QUEUE_CAPACITY = 256;
    /**
     * Slots a worker's run queue may grow to before a full one spills half to the injector: 2^20
     * (4 MB of references), so a storm of spawns stays local instead of costing a node each.
     */
    private static final int QUEUE_GROWTH_LIMIT = 1 << 20;

    private final SchedulerConfig config;
    private final TaskSpec defaultSpec = new TaskSpec(this, "", TaskKind.POOLED);
    private final TaskSpec threadSpec = new TaskSpec(this, "", TaskKind.DEDICATED);
    final long timesliceNanos;
    final Worker[] workers;
    final Injector injector = new Injector();
    /** Workers looking for work, not yet asleep (see Worker: sleeping and waking). */
    final PaddedInt searching = new PaddedInt();
    /** Workers registered as asleep. */
    final PaddedInt sleepers = new PaddedInt();
    private final ThreadFactory threads;
    private final AtomicLong ids = new AtomicLong(1);
    private final AtomicLong spawnedOutside = new AtomicLong();
    private final AtomicLong endedOutside = new AtomicLong();
    private final LongAdder wokenOutside = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final CountDownLatch exited;
    /** Counted down by each worker once its driver attached, or failed to (see {@link #start}). */
    private final CountDownLatch attached;
    /** The first attach failure, with the worker it happened on. */
    private final java.util.concurrent.atomic.AtomicReference<AttachException> attachFailure =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final AtomicInteger running;
    private final BlockingPool blocking;
    private final Object timerLock = new Object();
    private volatile Timer timer;
    private volatile boolean closed;
    private volatile boolean terminated;
    /**
     * Set by {@link #beginShutdown()} and {@link #shutdownNow()}: from now on failures nobody
     * joins are counted but not reported, since a shutdown fails tasks on purpose.
     */
    private volatile boolean shuttingDown;
    /** Set by {@link #shutdownNow()}: a task claimed from now on is cancelled instead of run. */
    private volatile boolean stopping;
    /**
     * A test seam: when set, every worker calls it as it starts to go to sleep, on its own thread,
     * before it registers as a sleeper (so a test can hold a worker that still counts as
     * searching). Null outside tests.
     */
    volatile java.util.function.Consumer<Worker> beforeSleep;
    /** Every runner thread made and not yet ended: what {@link #shutdownNow()} looks through. */
    private final Set<Runner> runners = ConcurrentHashMap.newKeySet();
    /** Run by the last worker to exit, before {@link #awaitTermination} returns. */
    private final List<Runnable> onTermination = new ArrayList<>();

    private Scheduler(SchedulerConfig config, IntFunction<? extends Driver> drivers) {
        VirtualThreadHook.check();
        this.config = config;
        this.timesliceNanos = config.timesliceNanos();
        int n = config.workers();
        this.workers = new Worker[n];
        this.exited = new CountDownLatch(n);
        this.attached = new CountDownLatch(n);
        this.running = new AtomicInteger(n);
        this.threads = VirtualThreadHook.builder(this).factory();
        this.blocking = new BlockingPool(config.threadNamePrefix(), config.blockingThreads());
        for (int i = 0; i < n; i++) {
            workers[i] = new Worker(this, i, config.threadNamePrefix() + "-" + i, QUEUE_CAPACITY,
                    QUEUE_GROWTH_LIMIT, Objects.requireNonNull(drivers.apply(i), "driver"), config.oversubscribed());
        }
    }

    /**
     * Starts a scheduler and its workers.
     *
     * @throws IllegalStateException if the JVM lacks the flag the virtual-thread hook needs
     */
    public static Scheduler start(SchedulerConfig config) {
        return start(config, i -> new ThreadParker());
    }

    /**
     * Starts a scheduler whose worker {@code i} polls and sleeps in {@code drivers.apply(i)}, and
     * returns once every worker's driver has {@linkplain Driver#attach() attached} on its thread.
     *
     * <p>Who closes the drivers: once this method has started the workers, each worker closes its
     * own driver as it exits. If a driver fails to attach (or a worker thread cannot be created),
     * the scheduler stops every worker, waits until they have exited (so every driver is closed,
     * and none of the workers runs on after this method), and throws. If it throws before any
     * worker started (the virtual-thread hook is missing), the drivers are untouched and the
     * caller still owns them; {@link Driver#close()} is idempotent, so a caller may close them
     * in both cases.
     *
     * @throws IllegalStateException if the JVM lacks the flag the virtual-thread hook needs
     * @throws AttachException       if a worker's driver failed to attach: the first failure, with
     *                               the others suppressed
     */
    public static Scheduler start(SchedulerConfig config, IntFunction<? extends Driver> drivers) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(drivers, "drivers");
        Scheduler s = new Scheduler(config, drivers);
        int started = 0;
        try {
            for (Worker w : s.workers) {
                w.start();
                started++;
            }
        } catch (RuntimeException | Error e) { // OutOfMemoryError: unable to create a native thread
            s.attachFailed(s.workers[started], e);
            for (int i = started; i < s.workers.length; i++) {
                s.workers[i].driver.close(); // no thread will close it
                s.attached.countDown();
                s.workerExited();
            }
        }
        awaitUninterruptibly(s.attached);
        AttachException failure = s.attachFailure.get();
        if (failure != null) {
            s.close(); // no task was spawned: the workers terminate and close their drivers
            awaitUninterruptibly(s.exited);
            throw failure;
        }
        return s;
    }

    /**
     * A worker's driver could not attach to the worker's thread (an io_uring ring the kernel would
     * not enable, a table it would not register), so the runtime did not start.
     */
    public static final class AttachException extends IllegalStateException {
        AttachException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Worker {@code w}'s driver attached: one fewer to wait for. */
    void attached() {
        attached.countDown();
    }

    /** Worker {@code w}'s driver failed to attach with {@code e}: kept (the first) and counted. */
    void attachFailed(Worker w, Throwable e) {
        AttachException a = new AttachException("worker " + w.getName() + " could not attach its "
                + w.driver.backend() + " driver: " + e.getMessage(), e);
        if (!attachFailure.compareAndSet(null, a)) {
            attachFailure.get().addSuppressed(e);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        for (;;) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the workers are about to answer: wait for them, then restore it
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    public SchedulerConfig config() {
        return config;
    }

    public int workerCount() {
        return workers.length;
    }

    // ---------------------------------------------------------------------------------------
    // Spawning

    /**
     * The scheduler of the task running on the calling thread.
     *
     * @throws IllegalStateException naming {@code what} if the caller is not a weft task
     */
    public static Scheduler current(String what) {
        Worker w = Worker.current();
        if (w != null && Thread.currentThread().isVirtual()) {
            return w.scheduler; // only weft's own virtual threads run on weft's workers
        }
        return TaskCell.requireCurrent(what).scheduler(); // throws the message
    }

    /**
     * The driver of the worker the calling task runs on, or null when the caller is not a task
     * mounted on a weft worker. The caller may use it until it next parks or yields (after that
     * it may resume on another worker).
     */
    public static Driver currentDriver() {
        Worker w = Worker.current();
        return w != null && Thread.currentThread().isVirtual() ? w.driver : null;
    }

    /**
     * Called by a weft wait (I/O, sleep) after it resumed the calling task, maybe on another
     * worker: tells that worker which task runs, for its stats.
     */
    public static void resumed() {
        Runner.afterPark();
    }

    /**
     * The object that code on the calling thread attached with {@link #attach}, or null (also on
     * a thread that is not a weft task's). A task-local value for a layer above the scheduler
     * that sets one for a stretch of a task's code (the actor whose code runs, for the actor
     * layer): unlike a {@link ScopedValue}, setting it allocates nothing and adds no frame, and
     * it stays with the task's thread when the task parks and resumes on another worker. A
     * child task that a join runs inline on the same thread sees its joiner's value.
     */
    public static Object attachment() {
        Runner r = Runner.current();
        return r == null ? null : r.attachment();
    }

    /**
     * Attaches {@code value} (null to clear) to the calling weft task's thread, until the next
     * call; see {@link #attachment()}. The caller restores the value it replaced before its code
     * returns (in a {@code finally}): a pooled thread runs other tasks afterwards, and a body
     * that ends leaves nothing attached for them.
     *
     * @return the value replaced, to restore
     * @throws IllegalStateException if the caller is not a weft task
     */
    public static Object attach(Object value) {
        Runner r = Runner.current();
        if (r == null) {
            throw new IllegalStateException("Scheduler.attach was called on " + Thread.currentThread()
                    + ", which is not a weft task; call it from a task (Weft.spawn)");
        }
        return r.attach(value);
    }

    /** Worker {@code index}'s driver (for control messages that every worker must see). */
    public Driver driver(int index) {
        return workers[index].driver;
    }

    /**
     * Spawns an unnamed pooled task.
     *
     * @throws IllegalStateException if the scheduler is closed
     */
    public <T> JoinHandle<T> spawn(Callable<T> body) {
        return spawn(Objects.requireNonNull(body, "body"), false, defaultSpec);
    }

    /**
     * Spawns an unnamed pooled task whose value is null.
     *
     * @throws IllegalStateException if the scheduler is closed
     */
    public JoinHandle<Void> spawn(Runnable body) {
        return spawn(Objects.requireNonNull(body, "body"), true, defaultSpec);
    }

    /**
     * Spawns an unnamed pooled task that counts in {@code tally}, and with it every task it
     * spawns, transitively (see {@link TaskTally}).
     *
     * @throws IllegalStateException if the scheduler is closed
     */
    public JoinHandle<Void> spawnTallied(TaskTally tally, Runnable body) {
        return spawn(Objects.requireNonNull(body, "body"), true,
                Objects.requireNonNull(tally, "tally").spec(defaultSpec, true));
    }

    /**
     * Spawns an unnamed pooled task that does not count in its spawner's {@link TaskTally} but
     * passes it on: the tasks it spawns count in it. For tasks counted some other way (actors).
     *
     * @throws IllegalStateException if the scheduler is closed
     */
    public JoinHandle<Void> spawnCarrying(Runnable body) {
        Objects.requireNonNull(body, "body");
        TaskTally family = spawnersTally();
        return spawn(body, true, family == null ? defaultSpec : family.spec(defaultSpec, false));
    }

    /** The tally of the task running on the calling thread, if it is one of this scheduler's. */
    private TaskTally spawnersTally() {
        TaskCell<?> spawner = TaskCell.current();
        TaskTally family = spawner == null ? null : spawner.spec().tally();
        return family != null && spawner.spec().scheduler() == this ? family : null;
    }

    /**
     * Spawns {@code body}: a {@link Runnable} if {@code runnable}, else a {@link Callable}. A task
     * spawned by a task that counts in a {@link TaskTally} counts in it too.
     */
    private <T> JoinHandle<T> spawn(Object body, boolean runnable, TaskSpec spec) {
        Worker w = Worker.current();
        TaskCell<T> cell;
        if (spec.tally() == null) {
            TaskTally family = spawnersTally();
            if (family != null) {
                spec = family.spec(spec, true);
            }
        }
        if (spec.counted()) {
            spec.tally().spawned(); // before the task can run, and end
        }
        if (w != null && w.scheduler == this) {
            // From a task: no fence. The spawning task is live and its end is counted after this
            // spawn, so termination cannot overlook the task; and this worker is awake and will
            // run it if nobody else does (see Worker: "Local pushes").
            cell = new TaskCell<>(spec, w.nextTaskId(), body, runnable, w.queue.tailCounter());
            w.countSpawn(1);
            w.push(cell);
        } else {
            // From outside: the injector's atomic swap is the fence both protocols need between
            // the count and push before it and the reads of 'closed' and the counters after it.
            cell = new TaskCell<>(spec, ids.getAndIncrement(), body, runnable, 0);
            spawnedOutside.incrementAndGet();
            injector.push(cell);
        }
        if (closed && cell.withdraw()) {
            // Closed meanwhile, and no worker took the task: it never runs, and counts as ended.
            throw closedError();
        }
        notifyWorkFenced();
        return cell;
    }

    /** A builder for named or dedicated tasks. */
    public TaskBuilder taskBuilder() {
        return new Builder();
    }

    /**
     * A factory of virtual threads that run on this scheduler's workers, each as a dedicated task
     * ({@code Task.current()} works in it). A thread counts as a task of the runtime from
     * {@code newThread} on, so the runtime does not terminate before it is started and ends;
     * after {@link #close()} the factory returns null (a refused thread, in
     * {@link ThreadFactory}'s terms).
     */
    public ThreadFactory threadFactory() {
        return this::newTaskThread;
    }

    private Thread newTaskThread(Runnable body) {
        Objects.requireNonNull(body, "body");
        TaskCell<Void> cell = new TaskCell<>(threadSpec, ids.getAndIncrement(), body, true, 0);
        // The count is an atomic read-modify-write and 'closed' is volatile: as with a spawn from
        // outside, either close sees the count or this sees 'closed' (see Shutdown).
        spawnedOutside.incrementAndGet();
        if (closed) {
            cell.withdraw(); // nobody else has the cell: it counts as ended at once
            return null;
        }
        return new Runner(this, cell, true).newThread();
    }

    long reserveIds(int count) {
        return ids.getAndAdd(count);
    }

    private IllegalStateException closedError() {
        return new IllegalStateException(this + " is closed: spawn was called after close(); spawn"
                + " before closing the runtime, or start a new one");
    }

    // ---------------------------------------------------------------------------------------
    // The virtual-thread executor

    /**
     * Schedules a virtual thread's continuation: called by the JDK when one of this scheduler's
     * virtual threads starts, is unparked, or yields.
     */
    @Override
    public void execute(Runnable continuation) {
        if (Thread.currentThread() instanceof Worker own && own.scheduler == this) {
            // The worker's own thread, nothing mounted: a hand-off it waits for, or a yield. A
            // yielded thread goes to the back of this worker's queue; the worker is awake and
            // looks there next, so no one needs waking (idle workers steal when they next look).
            // A driver's park that runs a control message returns before sleeping for this
            // reason: the message may have unparked a task onto this queue.
            if (!own.takeHandoff(continuation)) {
                own.push(continuation);
            }
            return;
        }
        Worker w = Worker.current();
        if (w != null && w.scheduler == this) {
            w.countWokenInside();
            w.push(continuation); // a local push: no fence (see Worker: "Local pushes")
        } else {
            wokenOutside.increment();
            injector.push(continuation); // its swap is the fence
        }
        notifyWorkFenced();
    }

    /** A new virtual thread for {@code runner}, counted among the runners until it ends. */
    Thread newVirtualThread(Runner runner) {
        runners.add(runner);
        return threads.newThread(runner);
    }

    void runnerEnded(Runner runner) {
        runners.remove(runner);
    }

    // ---------------------------------------------------------------------------------------
    // Waking workers (protocol: Worker's class comment)

    /** After a push: wakes a sleeping worker if none is searching. */
    void notifyWork() {
        VarHandle.fullFence();
        notifyWorkFenced();
    }

    /**
     * {@link #notifyWork()} without its fence: for a caller that has fenced since its push, or
     * that pushed to its own worker's queue (see Worker: "Local pushes").
     */
    private void notifyWorkFenced() {
        for (;;) {
            // sleepers first: in a busy runtime it is 0 and its line rarely changes, while
            // searching changes as workers run dry and steal
            if (sleepers.get() == 0 || searching.get() != 0) {
                return;
            }
            if (!searching.compareAndSet(0, 1)) {
                return;
            }
            for (Worker w : workers) {
                if (w.tryWake()) {
                    sleepers.decrementAndGet();
                    w.unparkClaimed();
                    return;
                }
            }
            // No sleeper to claim (one took itself back): undo, and look again, since another
            // notifier may have returned because of the count we held.
            searching.decrementAndGet();
        }
    }

    /** Whether any queue holds work; conservative: a push in flight counts as work. */
    boolean hasWork() {
        if (!injector.isEmpty()) {
            return true;
        }
        for (Worker w : workers) {
            if (!w.queue.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------
    // Ending tasks and shutdown

    void countFailure() {
        failed.increment();
    }

    /**
     * Hands a failure nobody waits for to the config's handler, on the failed task's thread;
     * what the handler throws is dropped.
     */
    void reportUncaught(TaskCell<?> task, Throwable error) {
        if (shuttingDown) {
            return; // closed listeners and cancelled I/O fail tasks by design now: counted only
        }
        try {
            config.uncaughtFailureHandler().taskFailed(config.threadNamePrefix(), task, error);
        } catch (Throwable ignored) {
            // the handler's own failure must not end the task's bookkeeping
        }
    }

    /** Whether {@link #shutdownNow()} was called: tasks claimed from now on are cancelled. */
    boolean isStopping() {
        return stopping;
    }

    /** Counts a task as ended (on its worker if the caller is one) and checks for termination. */
    void taskEnded() {
        Worker w = Worker.current();
        if (w != null && w.scheduler == this) {
            w.countEnded();
        } else {
            endedOutside.incrementAndGet();
        }
        if (closed) {
            tryTerminate();
        }
    }

    /** Tasks spawned and not yet ended. */
    private long live() {
        long ended = endedOutside.get();
        for (Worker w : workers) {
            ended += w.endedCount();
        }
        long spawned = spawnedOutside.get();
        for (Worker w : workers) {
            spawned += w.spawnedCount();
        }
        return spawned - ended;
    }

    /** Terminates if closed and no task is left. @return whether terminated */
    boolean tryTerminate() {
        if (terminated) {
            return true;
        }
        if (!closed || live() != 0) {
            return false;
        }
        if (TERMINATED.compareAndSet(this, false, true)) {
            for (Worker w : workers) {
                w.driver.wake();
            }
        }
        return true;
    }

    public boolean isTerminated() {
        return terminated;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * {@link #close()} for a shutdown that will fail tasks on purpose (closing listeners,
     * cancelling I/O): their failures are no longer reported as uncaught, only counted.
     */
    public void beginShutdown() {
        shuttingDown = true;
        close();
    }

    /** Stops spawns; the runtime terminates once the tasks spawned before have ended. */
    public void close() {
        closed = true;
        tryTerminate();
    }

    /**
     * Closes and cancels every task: a task claimed from now on is cancelled instead of run, and
     * every task running or suspended on a runner is cancelled ({@link TaskCell#cancel()}: its
     * thread is interrupted). Does not wait. A task that a runner started just as this ran may
     * not be visible to this thread yet (a runner publishes its task with a plain store), so a
     * platform thread repeats the sweep every 10 ms until the runtime terminates; a cancel
     * interrupts a task once, so a task is never interrupted twice by it.
     */
    public void shutdownNow() {
        beginShutdown();
        stopping = true;
        if (terminated) {
            return;
        }
        cancelRunning();
        Thread.ofPlatform().daemon().name(config.threadNamePrefix() + "-stopper").start(() -> {
            while (!terminated) {
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
                cancelRunning();
            }
        });
    }

    private void cancelRunning() {
        for (Runner r : runners) {
            r.cancelTasks();
        }
    }

    /** Whether the calling thread is one of this scheduler's workers or runs on one. */
    public boolean ownsCallingThread() {
        Worker w = Worker.current();
        return w != null && w.scheduler == this;
    }

    /** Waits until every worker and every thread of the blocking pool has stopped. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + Math.max(0L, timeout.toNanos());
        return exited.await(Math.max(0L, timeout.toNanos()), TimeUnit.NANOSECONDS)
                && blocking.awaitStopped(deadline - System.nanoTime());
    }

    /** Waits, with no time limit, until every worker has stopped. */
    public void awaitTermination() throws InterruptedException {
        exited.await();
        blocking.awaitStopped(TimeUnit.DAYS.toNanos(1));
    }

    /**
     * Runs {@code action} once the last worker has stopped (at once, here, if that happened),
     * before {@link #awaitTermination} returns; what it throws is dropped.
     */
    public void whenTerminated(Runnable action) {
        Objects.requireNonNull(action, "action");
        synchronized (onTermination) {
            if (running.get() != 0) {
                onTermination.add(action);
                return;
            }
        }
        runQuietly(action);
    }

    void workerExited() {
        if (running.decrementAndGet() == 0) {
            Timer t = timer;
            if (t != null) {
                t.close();
            }
            blocking.close();
            List<Runnable> actions;
            synchronized (onTermination) {
                actions = List.copyOf(onTermination);
                onTermination.clear();
            }
            actions.forEach(Scheduler::runQuietly);
        }
        exited.countDown();
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (Throwable ignored) {
            // a termination action must not keep awaitTermination from returning
        }
    }

    /**
     * Runs {@code body} on the blocking pool and parks the calling task until it returns (see
     * {@code Task.blocking}).
     */
    public <T> T blocking(Callable<T> body, Object who) throws Exception {
        return blocking.call(body, who);
    }

    /**
     * Whether {@code task} (a task of this scheduler) waits for I/O now: parked on an {@link IoWait}
     * (a socket or file operation), or in {@code Task.blocking}. For stats; it may change at once.
     */
    public boolean isParkedOnIo(Object task) {
        return task instanceof TaskCell<?> c && c.blocker() instanceof IoWait;
    }

    /**
     * Runs {@code body} on the blocking pool and parks the calling task until it returns; an
     * interrupt cancels it only before it starts (see {@code BlockingPool.callToEnd}).
     */
    public <T> T blockingToEnd(Callable<T> body, Object who) throws Exception {
        return blocking.callToEnd(body, who);
    }

    /** The blocking pool's threads alive now. */
    int blockingThreads() {
        return blocking.threadCount();
    }

    // ---------------------------------------------------------------------------------------
    // Timer and stats

    /** The runtime's timer, started on first use. */
    public Timer timer() {
        Timer t = timer;
        if (t == null) {
            synchronized (timerLock) {
                t = timer;
                if (t == null) {
                    t = new Timer(config.threadNamePrefix() + "-timer");
                    timer = t;
                }
            }
        }
        return t;
    }

    /**
     * A snapshot of the counters, made into the runtime's records by their constructors
     * ({@code stats(RuntimeStats::new, WorkerStats::new)}); each counter is read without locks.
     */
    public <R, W> R stats(StatsShape.OfRuntime<R, W> runtime, StatsShape.OfWorker<W> worker) {
        List<W> list = new ArrayList<>(workers.length);
        for (Worker w : workers) {
            list.add(w.stats(worker));
        }
        Timer t = timer;
        Throwable ioFailure = null;
        for (Worker w : workers) {
            if (ioFailure == null) {
                ioFailure = w.driver.failure();
            }
        }
        return runtime.of(list, spawnedOutside.get(), wokenOutside.sum(), failed.sum(),
                t == null ? 0 : t.pending(), workers[0].driver.backend(), blocking.parked(),
                ioFailure == null ? "" : ioFailure.getMessage());
    }

    /** E.g. {@code weft runtime 'weft-worker' (2 workers, open)}. */
    @Override
    public String toString() {
        return "weft runtime '" + config.threadNamePrefix() + "' (" + workers.length + " workers, "
                + (terminated ? "terminated" : closed ? "closed" : "open") + ")";
    }

    /** {@link TaskBuilder} for this scheduler: tasks spawned alike share one {@link TaskSpec}. */
    private final class Builder implements TaskBuilder {
        private TaskSpec spec = defaultSpec;

        @Override
        public TaskBuilder name(String name) {
            spec = new TaskSpec(Scheduler.this, Objects.requireNonNull(name, "name"), spec.kind());
            return this;
        }

        @Override
        public TaskBuilder kind(TaskKind kind) {
            spec = new TaskSpec(Scheduler.this, spec.name(), Objects.requireNonNull(kind, "kind"));
            return this;
        }

        @Override
        public <T> JoinHandle<T> spawn(Callable<T> body) {
            return Scheduler.this.spawn(Objects.requireNonNull(body, "body"), false, spec);
        }

        @Override
        public JoinHandle<Void> spawn(Runnable body) {
            return Scheduler.this.spawn(Objects.requireNonNull(body, "body"), true, spec);
        }

        @Override
        public JoinHandle<Void> spawn(CheckedRunnable body) {
            return spawn((Runnable) body);
        }
    }

    private static final VarHandle TERMINATED;

    static {
        try {
            TERMINATED = MethodHandles.lookup().findVarHandle(Scheduler.class, "terminated", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
