package dev.weft.runtime;

import dev.weft.io.IoBackends;
import dev.weft.io.IoGroup;
import dev.weft.io.RegionRegistry;
import dev.weft.sched.Scheduler;
import dev.weft.sched.TaskCell;
import dev.weft.task.JoinHandle;
import dev.weft.task.TaskBuilder;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

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
 * cooperative preemption). The JVM needs {@code --add-opens java.base/java.lang=ALL-UNNAMED};
 * {@link #start} fails with a message naming it when it is missing.
 *
 * <p>{@link #close()} stops new spawns and lets running tasks finish; a task that never ends keeps
 * its worker (and {@link #awaitTermination}) waiting. {@link #shutdown(Duration)} also stops
 * accepting connections and, after a grace period, cancels the I/O still in flight.
 *
 * <h2>I/O</h2>
 * Each worker owns an I/O driver: an io_uring ring, or a NIO selector where io_uring cannot work
 * ({@link IoMode}, {@link #ioInfo()}). Tasks use it through {@code dev.weft.net}.
 */
public final class Weft implements AutoCloseable {

    private final Scheduler scheduler;
    private final IoBackends.Opened io;

    private Weft(Scheduler scheduler, IoBackends.Opened io) {
        this.scheduler = scheduler;
        this.io = io;
    }

    /**
     * Starts a runtime with {@code config}.
     *
     * @throws IllegalStateException if the JVM lacks the flag weft needs (the message names it)
     */
    public static Weft start(Config config) {
        Objects.requireNonNull(config, "config");
        IoBackends.Opened io = IoBackends.open(config.io().name().toLowerCase(java.util.Locale.ROOT),
                config.workerCount(), config.maxRegions());
        try {
            return new Weft(Scheduler.start(config, io.drivers()::get), io);
        } catch (RuntimeException | Error e) {
            io.closeAll();
            throw e;
        }
    }

    /** The I/O backend in use and what the kernel's io_uring supports. */
    public IoInfo ioInfo() {
        return new IoInfo(io.backend(), Optional.ofNullable(io.fallbackReason()),
                io.probe() == null ? List.of() : io.probe().opcodeNames(),
                io.probe() == null ? List.of() : io.probe().featureNames());
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
     * more second.
     *
     * @return whether every task ended
     */
    public boolean shutdown(Duration grace) throws InterruptedException {
        Objects.requireNonNull(grace, "grace");
        scheduler.close();
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
     * with {@code grace}, through a JVM shutdown hook.
     *
     * @return this runtime
     */
    public Weft shutdownOnSignals(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        java.lang.Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                shutdown(grace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, scheduler.config().threadNamePrefix() + "-shutdown"));
        return this;
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

    /** A builder for tasks with a name or a kind. */
    public TaskBuilder task() {
        return scheduler.taskBuilder();
    }

    /** The config this runtime was started with. */
    public Config config() {
        return scheduler.config();
    }

    /** The number of workers. */
    public int workers() {
        return scheduler.workerCount();
    }

    /** The runtime's counters, read now, without locks. */
    public RuntimeStats stats() {
        return scheduler.stats();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return scheduler.isClosed();
    }

    /**
     * Stops accepting spawns from outside and from tasks (they fail with an
     * {@link IllegalStateException} naming this runtime); tasks already spawned run to their end,
     * and the workers stop once no task is left. Does not wait: see {@link #awaitTermination}.
     * Idempotent.
     */
    @Override
    public void close() {
        scheduler.close();
    }

    /**
     * Waits until the runtime is closed and every worker has stopped.
     *
     * @return true if it has; false if {@code timeout} passed first
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return scheduler.awaitTermination(timeout);
    }

    /** The worker name prefix and state, e.g. {@code weft runtime 'weft-worker' (2 workers, open)}. */
    @Override
    public String toString() {
        return scheduler.toString();
    }
}
