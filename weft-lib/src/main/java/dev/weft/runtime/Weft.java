package dev.weft.runtime;

import dev.weft.actor.ActorRuntime;
import dev.weft.actor.ActorStats;
import dev.weft.actor.Outcome;
import dev.weft.io.IoBackends;
import dev.weft.io.IoGroup;
import dev.weft.io.RegionRegistry;
import dev.weft.sched.Scheduler;
import dev.weft.task.CheckedRunnable;
import dev.weft.uring.KernelFeatures;
import dev.weft.task.JoinHandle;
import dev.weft.task.TaskBuilder;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * A weft runtime: a fixed set of worker threads that run tasks, and one timer.
 *
 * <pre>{@code
 * try (Weft rt = Weft.start(Config.defaults())) {
 *     JoinHandle<Integer> h = rt.spawn(() -> 6 * 7);
 *     int answer = h.join();
 * }
 * }</pre>
 *
 * A task is plain blocking-style Java on a virtual thread whose carrier is one of this runtime's
 * workers: it may sleep, lock, join other tasks; every suspension frees the worker (see
 * {@link dev.weft.task.TaskKind} for the thread a task sees, and {@link dev.weft.task.Task} for
 * cooperative preemption). The JVM needs {@code --add-opens java.base/java.lang=dev.weft} with
 * weft on the module path ({@code =ALL-UNNAMED} with weft on the class path), and
 * {@code --enable-native-access=dev.weft} (or {@code ALL-UNNAMED}) for io_uring;
 * {@link #start} fails with a message naming the first when it is missing.
 *
 * <h2>What pooled tasks share</h2>
 * A {@link dev.weft.task.TaskKind#POOLED} task (the default) does not get a thread of its own:
 * several pooled tasks run one after another on one runner thread, and a task keeps that thread
 * only once it parks. So {@code Thread.currentThread()}, its name and id, and every
 * {@link ThreadLocal} (and what is built on them: a logging MDC, a transaction or security
 * context bound to the thread) are shared with the tasks that ran before on that thread and are
 * seen by the ones that run after, unless a task clears what it set. The interrupt status is
 * not carried over. For a context of one task's own, pass it as a {@link ScopedValue} or in the
 * body, or spawn the task {@link dev.weft.task.TaskKind#DEDICATED}
 * ({@code rt.task().kind(TaskKind.DEDICATED).spawn(...)}): a fresh virtual thread per task, with
 * its own identity and thread-locals.
 *
 * <h2>Lifecycle</h2>
 * {@link #close()} is {@link ExecutorService#close()}'s: it refuses new spawns, waits until every
 * task has ended and the workers have stopped, and if the waiting thread is interrupted it calls
 * {@link #shutdownNow()} and goes on waiting (the interrupt status is set again on return).
 * {@link #shutdownNow()} cancels every task and does not wait. {@link #shutdown(Duration)} is a
 * server's: it closes the listeners, gives tasks and their I/O a grace period, then cancels the
 * I/O. {@link #awaitTermination()} keeps a thread (a server's {@code main}) until the runtime
 * has terminated, and {@link #shutdownOnSignals} ends it on SIGINT or SIGTERM (the
 * {@code dev.weft.net} package shows a server that does both).
 *
 * <h2>The JDK's interfaces</h2>
 * {@link #executor()} is the runtime as an {@link ExecutorService} (for
 * {@code CompletableFuture.supplyAsync(supplier, rt.executor())}), and {@link #threadFactory()}
 * makes virtual threads on its workers (for {@code Executors.newThreadPerTaskExecutor} or a
 * {@code StructuredTaskScope}).
 *
 * <h2>I/O</h2>
 * Each worker owns an I/O driver: an io_uring ring, or a NIO selector where io_uring cannot work
 * ({@link IoMode}, {@link #ioInfo()}). Tasks use it through {@code dev.weft.net}.
 */
public final class Weft implements AutoCloseable {

    private final Scheduler scheduler;
    private final Config config;
    private final IoBackends.Opened io;
    private final ExecutorService executor = new WeftExecutor(this);
    private final Object hookLock = new Object();
    /** Where {@link #shutdownOnSignals} adds its hook; tests swap it. */
    private ShutdownHooks hooks = ShutdownHooks.JVM;
    /** The hook {@link #shutdownOnSignals} added, or null; one per runtime. */
    private Thread signalHook;
    private volatile Duration signalGrace;

    private Weft(Scheduler scheduler, Config config, IoBackends.Opened io) {
        this.scheduler = scheduler;
        this.config = config;
        this.io = io;
    }

    /**
     * Starts a runtime with {@code config}, and returns once every worker runs with its I/O driver
     * attached. With {@link IoMode#AUTO}, a kernel whose io_uring fails to attach on a worker
     * gives the NIO backend instead (said once on stderr, and in {@link #ioInfo()}).
     *
     * @throws IllegalStateException if the JVM lacks the flag weft needs (the message names it),
     *                               or a worker's I/O driver failed to attach (the first failure;
     *                               every worker has stopped and every driver is closed)
     */
    public static Weft start(Config config) {
        Objects.requireNonNull(config, "config");
        IoBackends.Opened io = IoBackends.open(config.io().name().toLowerCase(java.util.Locale.ROOT),
                config.workerCount(), config.maxRegions());
        try {
            return start(config, io);
        } catch (Scheduler.AttachException e) {
            if (config.io() != IoMode.AUTO || !io.backend().equals("io_uring")) {
                throw e;
            }
            return start(config, IoBackends.fallBack(config.workerCount(), config.maxRegions(),
                    e.getMessage(), System.err));
        }
    }

    private static Weft start(Config config, IoBackends.Opened io) {
        try {
            return new Weft(Scheduler.start(config.scheduler(), io.drivers()::get), config, io);
        } catch (RuntimeException | Error e) {
            io.closeAll(); // idempotent: drivers the workers closed stay closed
            throw e;
        }
    }

    /**
     * Why this runtime's I/O failed, or empty while it works. A worker's I/O driver that meets an
     * error it cannot go on from (an {@code io_uring_enter} error other than an interruption, a
     * failed {@code select}) cancels what it has in flight and waits for the kernel to let go of
     * the memory those operations named; then every I/O operation of the runtime, waiting or new,
     * throws an {@link java.io.IOException} caused by this failure, which is also logged once
     * ({@code dev.weft.io}, ERROR) and shown in {@link #stats()}. Tasks still run and the runtime
     * shuts down as usual: shut it down and start a new one.
     */
    public Optional<java.io.IOException> ioFailure() {
        IoGroup group = io.group();
        return Optional.ofNullable(group == null ? null : group.failure());
    }

    /** The I/O backend in use and what the kernel's io_uring supports. */
    public IoInfo ioInfo() {
        KernelFeatures k = io.kernel();
        return new IoInfo(io.backend(), Optional.ofNullable(io.fallbackReason()),
                k == null ? "" : k.release(),
                k == null ? List.of() : k.opcodeNames(),
                k == null ? List.of() : k.featureNames(),
                k == null ? List.of() : k.describe());
    }

    /**
     * Registers native memory as a fixed buffer on every worker's ring, at one slot index, so
     * that I/O on any worker can use it without pinning it per operation
     * ({@code TcpStream.write(RegionId, ...)}). The first registration creates the table of
     * {@link Config#maxRegions} slots on every ring.
     *
     * <p><b>What may be registered.</b> Native memory of 1 byte to 1 GiB (from an {@code Arena},
     * or a mapped file) that stays allocated until {@link #unregisterRegion} has returned: the
     * kernel reads and writes it through its own mapping, and weft cannot hold its arena open, so
     * closing the arena first frees memory the kernel may still use. An operation on a region whose
     * arena was closed fails with {@link IllegalStateException} when no operation was in flight.
     *
     * @throws UnsupportedOperationException on the NIO backend
     * @throws IllegalStateException         when regions are off ({@code maxRegions} 0), the table is
     *                                       full, the kernel has no fixed-buffer table with empty
     *                                       slots (before Linux 5.13; the message says so), or a
     *                                       worker's ring refused (the first error, after every
     *                                       worker answered)
     * @throws IllegalArgumentException      for heap memory, memory whose arena is closed, or a size
     *                                       outside 1 byte..1 GiB
     */
    public RegionId registerRegion(MemorySegment memory) throws InterruptedException {
        Objects.requireNonNull(memory, "memory");
        int[] id = regions("registerRegion").register(memory);
        return new RegionId(id[0], id[1]);
    }

    /**
     * Unregisters a region on every worker. New operations on it fail at once; this waits until
     * every operation already using it has completed (bound them with timeouts to bound this
     * wait), then empties its slot on every ring. When it returns, the memory may be freed.
     *
     * @throws IllegalArgumentException for {@link RegionId#NONE} or an id not registered now
     */
    public void unregisterRegion(RegionId id) throws InterruptedException {
        Objects.requireNonNull(id, "id");
        regions("unregisterRegion").unregister(id.slot(), id.generation());
    }

    private RegionRegistry regions(String what) {
        RegionRegistry r = io.group() == null ? null : io.group().regions();
        if (r == null && io.kernel() != null) {
            throw new UnsupportedOperationException(what + " is unsupported on kernel " + io.kernel().release()
                    + ": registered regions need io_uring's sparse fixed-buffer table (Linux 5.19)");
        }
        if (r == null) {
            throw new UnsupportedOperationException(what + " is unsupported on the " + io.backend()
                    + " backend: registered regions are io_uring fixed buffers");
        }
        if (scheduler.isClosed()) {
            throw new IllegalStateException(what + " on " + this + ": the runtime is closed");
        }
        return r;
    }

    /**
     * Shuts down for a server: stops spawns and closes every listener (so no connection is
     * accepted), lets tasks and their I/O finish for up to {@code grace}, then cancels the I/O
     * still in flight (those tasks get {@link java.io.InterruptedIOException}) and waits up to one
     * more second. From the start of a shutdown on, a task that fails with nobody joining it is
     * counted ({@link RuntimeStats#failed()}) but not given to the uncaught-failure handler: an
     * accept loop whose listener was closed, a connection whose I/O was cancelled, fail by design.
     *
     * @return whether every task ended
     */
    public boolean shutdown(Duration grace) throws InterruptedException {
        Objects.requireNonNull(grace, "grace");
        scheduler.beginShutdown();
        IoGroup group = io.group();
        if (group != null) {
            group.stopAccepting();
        }
        if (scheduler.awaitTermination(grace)) {
            return true;
        }
        if (group != null) {
            group.cancelAll();
        }
        return scheduler.awaitTermination(Duration.ofSeconds(1));
    }

    /**
     * Makes SIGINT and SIGTERM (and any other orderly JVM exit) run {@link #shutdown(Duration)}
     * with {@code grace}, through a JVM shutdown hook. The runtime adds one hook however often
     * this is called (a later call changes the grace), and removes it once it has terminated, so
     * that the JVM does not keep an ended runtime reachable.
     *
     * @return this runtime
     */
    public Weft shutdownOnSignals(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        signalGrace = grace;
        Thread hook;
        synchronized (hookLock) {
            if (signalHook != null || scheduler.isTerminated()) {
                return this;
            }
            hook = new Thread(() -> {
                try {
                    shutdown(signalGrace);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, config.threadNamePrefix() + "-shutdown");
            signalHook = hook;
            hooks.add(hook);
        }
        ShutdownHooks from = hooks;
        scheduler.whenTerminated(() -> from.remove(hook));
        return this;
    }

    /** Test seam: where {@link #shutdownOnSignals} adds its hook. */
    Weft hooks(ShutdownHooks hooks) {
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        return this;
    }

    /**
     * Runs {@code root} as a process actor ({@link dev.weft.actor.Actor}) and waits until nothing
     * of the run is pending: every actor of this runtime has ended, and so has every task that the
     * run's actors spawned, transitively ({@code Task.spawn}, a task builder, the runtime's
     * {@code spawn}, called from inside the run), with whatever it waited for (a sleep, I/O, a
     * blocking call). Then returns the root's outcome. Once no actor is alive a pending
     * {@code sendAfter} could only reach an ended actor, so it is not waited for. Run after run
     * on one runtime is fine; actors spawned outside the run (from plain tasks) are waited for
     * too while they live, but not the plain tasks of outside callers.
     *
     * <pre>{@code
     * Outcome o = rt.run(() -> {
     *     Pid echo = Actor.spawn(() -> {
     *         Object m = Actor.receive();
     *         if (m instanceof Call c) Actor.reply(c, c.request());
     *     });
     *     return Actor.call(echo, "hi", Duration.ofSeconds(1));
     * });
     * // o is Outcome.Exit("hi")
     * }</pre>
     *
     * @throws IllegalStateException if another {@code run} is going on on this runtime (one at a
     *                               time), the caller is an actor (it would wait for itself), or
     *                               the runtime is closed
     * @throws InterruptedException  if the waiting thread is interrupted; the actors go on
     */
    public Outcome run(Callable<?> root) throws InterruptedException {
        return ActorRuntime.run(scheduler, Objects.requireNonNull(root, "root"));
    }

    /** Like {@link #run(Callable)}, for a root without a value. */
    public Outcome run(CheckedRunnable root) throws InterruptedException {
        return ActorRuntime.run(scheduler, Objects.requireNonNull(root, "root"));
    }

    /**
     * A snapshot of this runtime's actors: live, parked on I/O, sleeping, restarts, the largest
     * mailbox, and per worker the actor on its CPU and the run queue's length. See
     * {@link ActorStats}.
     */
    public ActorStats actorStats() {
        return ActorRuntime.stats(scheduler);
    }

    /** Starts a runtime with {@link Config#defaults()}. */
    public static Weft start() {
        return start(Config.defaults());
    }

    /**
     * Spawns a task that runs {@code body}, from any thread.
     *
     * @throws IllegalStateException if the runtime is closed (the message names it)
     */
    public <T> JoinHandle<T> spawn(Callable<T> body) {
        return scheduler.spawn(body);
    }

    /** Like {@link #spawn(Callable)}, for a body without a result. */
    public JoinHandle<Void> spawn(Runnable body) {
        return scheduler.spawn(body);
    }

    /**
     * Like {@link #spawn(Callable)}, for a body without a result that may throw checked
     * exceptions: {@code rt.spawn(() -> Files.delete(path))}.
     */
    public JoinHandle<Void> spawn(CheckedRunnable body) {
        return scheduler.spawn(body);
    }

    /**
     * This runtime as an {@link ExecutorService}: {@code execute} spawns a pooled task,
     * {@code submit} one whose {@link java.util.concurrent.Future} holds its outcome (a failure
     * is then the future's, not reported as uncaught). Its lifecycle is the runtime's:
     * {@code shutdown()} closes the runtime without waiting, {@code shutdownNow()} is
     * {@link #shutdownNow()} (and returns an empty list: tasks not started are cancelled where
     * they wait; a submitted one's future reports it), {@code close()} is {@link #close()},
     * {@code awaitTermination} waits for the workers to stop; after shutdown, {@code execute}
     * throws {@link java.util.concurrent.RejectedExecutionException}.
     */
    public ExecutorService executor() {
        return executor;
    }

    /**
     * A factory of virtual threads that run on this runtime's workers, each as a
     * {@link dev.weft.task.TaskKind#DEDICATED} task: {@link dev.weft.task.Task#current()}, weft
     * I/O and {@code Task.sleep} work in them, and {@link #shutdownNow()} cancels them. For
     * {@code Executors.newThreadPerTaskExecutor(rt.threadFactory())} or a
     * {@code StructuredTaskScope}'s {@code withThreadFactory}. A thread counts as a task from
     * {@code newThread} on: start every thread it makes, or the runtime never terminates. After
     * the runtime is closed, {@code newThread} returns null (a refusal, which
     * {@code ThreadPerTaskExecutor} and {@code StructuredTaskScope} report as
     * {@link java.util.concurrent.RejectedExecutionException}). A throwable that ends such a
     * thread goes to the uncaught-failure handler ({@link Config#uncaughtFailureHandler()}).
     */
    public ThreadFactory threadFactory() {
        return scheduler.threadFactory();
    }

    /** A builder for tasks with a name or a kind. */
    public TaskBuilder task() {
        return scheduler.taskBuilder();
    }

    /** The config this runtime was started with. */
    public Config config() {
        return config;
    }

    /** The number of workers. */
    public int workers() {
        return scheduler.workerCount();
    }

    /** The runtime's counters, read now, without locks. */
    public RuntimeStats stats() {
        return scheduler.stats(RuntimeStats::new, WorkerStats::new);
    }

    /** Whether the runtime was closed ({@link #close()}, a shutdown, or the executor's). */
    public boolean isClosed() {
        return scheduler.isClosed();
    }

    /** Whether the runtime has terminated: closed, every task ended, every worker stopped. */
    public boolean isTerminated() {
        return scheduler.isTerminated() && awaitQuietly();
    }

    private boolean awaitQuietly() {
        try {
            return scheduler.awaitTermination(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Closes the runtime and waits for it to terminate, as {@link ExecutorService#close()} does:
     * spawns from outside and from tasks fail from now on (with an
     * {@link IllegalStateException} naming this runtime), tasks already spawned run to their
     * end, the workers stop once no task is left, and then this returns. If the waiting thread is
     * interrupted, it calls {@link #shutdownNow()} once and goes on waiting; it returns with the
     * interrupt status set. A task that ignores cancellation therefore keeps it waiting. Called
     * from a task of this runtime (which would wait for itself), it closes and returns at once.
     * Idempotent.
     */
    @Override
    public void close() {
        scheduler.close();
        if (scheduler.ownsCallingThread()) {
            return;
        }
        boolean interrupted = false;
        for (;;) {
            try {
                scheduler.awaitTermination();
                break;
            } catch (InterruptedException e) {
                if (!interrupted) {
                    shutdownNow();
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The executor view's {@code shutdown()}: closes the runtime without waiting. */
    void shutdownWithoutWaiting() {
        scheduler.close();
    }

    /**
     * Closes the runtime and cancels every task, without waiting (then {@link #awaitTermination}):
     * a task that has not started never runs; a running or suspended one is cancelled as by
     * {@link JoinHandle#cancel()}, which interrupts it, whether it sleeps, joins, waits on an
     * interruptible lock or condition, or waits for weft I/O (that call throws
     * {@link java.io.InterruptedIOException}); the I/O still in flight is cancelled too. Its
     * {@code join()} then throws a {@link dev.weft.task.JoinException} that says cancelled. A task
     * spawned from now on is refused. A wait that ignores interrupts (a {@code synchronized}
     * monitor, {@code Lock.lock()}) goes on until what it waits for happens; a task that catches
     * the interrupt and goes on runs to its end. As in {@link #shutdown(Duration)}, failures from
     * now on are counted, not reported. Idempotent.
     */
    public void shutdownNow() {
        scheduler.shutdownNow();
        IoGroup group = io.group();
        if (group != null) {
            group.cancelAll();
        }
    }

    /**
     * Waits until the runtime is closed and every worker has stopped.
     *
     * @return true if it has; false if {@code timeout} passed first
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return scheduler.awaitTermination(timeout);
    }

    /**
     * Waits, with no time limit, until the runtime has been closed or shut down (by another
     * thread, a task, or {@link #shutdownOnSignals}) and every worker has stopped: what a
     * server's {@code main} calls to keep running.
     */
    public void awaitTermination() throws InterruptedException {
        scheduler.awaitTermination();
    }

    /** The worker name prefix and state, e.g. {@code weft runtime 'weft-worker' (2 workers, open)}. */
    @Override
    public String toString() {
        return scheduler.toString();
    }
}
