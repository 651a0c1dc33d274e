package dev.weft.task;

import java.util.concurrent.Callable;

/**
 * Spawns tasks with a name and a kind. From {@link dev.weft.runtime.Weft#task()}; one builder
 * can spawn many tasks with the same settings. Not meant to be implemented outside weft.
 *
 * <pre>{@code
 * JoinHandle<Long> h = runtime.task().name("sum").kind(TaskKind.DEDICATED).spawn(() -> sum(xs));
 * }</pre>
 */
public interface TaskBuilder {

    /**
     * The name of the tasks spawned next (shown in stats and errors).
     *
     * @throws NullPointerException if {@code name} is null
     */
    TaskBuilder name(String name);

    /** The kind of the tasks spawned next; {@link TaskKind#POOLED} unless set. */
    TaskBuilder kind(TaskKind kind);

    /**
     * Spawns a task that runs {@code body}.
     *
     * @throws IllegalStateException if the runtime is closed (the message names it)
     */
    <T> JoinHandle<T> spawn(Callable<T> body);

    /** Like {@link #spawn(Callable)}, for a body without a result. */
    JoinHandle<Void> spawn(Runnable body);

    /** Like {@link #spawn(Callable)}, for a body without a result that may throw checked exceptions. */
    JoinHandle<Void> spawn(CheckedRunnable body);
}
