package dev.weft.runtime;

import dev.weft.sched.Scheduler;
import dev.weft.sched.TaskCell;
import dev.weft.task.JoinHandle;
import dev.weft.task.TaskBuilder;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * A weft runtime: a fixed set of worker threads that run tasks, and one timer.
 *
 * <pre>{@code
 * try (Runtime rt = Runtime.start(Config.defaults())) {
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
 * its worker (and {@link #awaitTermination}) waiting.
 */
public final class Runtime implements AutoCloseable {

    private final Scheduler scheduler;

    private Runtime(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Starts a runtime with {@code config}.
     *
     * @throws IllegalStateException if the JVM lacks the flag weft needs (the message names it)
     */
    public static Runtime start(Config config) {
        return new Runtime(Scheduler.start(config));
    }

    /** Starts a runtime with {@link Config#defaults()}. */
    public static Runtime start() {
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
        return scheduler.spawn(TaskCell.callable(body));
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
