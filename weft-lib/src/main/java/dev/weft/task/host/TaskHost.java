package dev.weft.task.host;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * What the static methods of {@code dev.weft.task.Task} ask of the scheduler below them: the seam
 * that keeps the task API from importing the scheduler that implements it.
 *
 * <p>{@code dev.weft.task} holds the API types that the scheduler implements ({@code Task},
 * {@code JoinHandle}), so the scheduler depends on it; were {@code Task}'s static methods to call
 * the scheduler directly, the two packages would depend on each other. Instead they call the one
 * {@link #get() host}, which {@code dev.weft.sched} provides as a service ({@code provides} in
 * {@code module-info}, and {@code META-INF/services} for the class path). This package names no
 * weft type, so it sits below both: a task is an {@link Object} here, and the task API casts it
 * back to its own types, which the provider guarantees.
 *
 * <p>Every method behaves as the {@code Task} method of the same name documents, for a caller
 * inside or outside a weft task.
 */
public interface TaskHost {

    /** The running task (a {@code dev.weft.task.Task}), or null if the caller is not a weft task. */
    Object currentTask();

    /** {@code Task.check()}: yields if the calling task has used its timeslice. */
    void checkTimeslice();

    /** {@code Task.sleep(duration)}. */
    void sleep(Duration duration) throws InterruptedException;

    /** {@code Task.sleepUntil(deadline)}. */
    void sleepUntil(Instant deadline) throws InterruptedException;

    /** {@code Task.timeout(limit, body)}. */
    <T> T timeout(Duration limit, Callable<T> body) throws Exception;

    /** {@code Task.blocking(call)}. */
    <T> T blocking(Callable<T> call) throws Exception;

    /**
     * Spawns {@code body} on the calling task's runtime and returns its
     * {@code dev.weft.task.JoinHandle}.
     *
     * @throws IllegalStateException naming {@code what} if the caller is not a weft task, or its
     *                               runtime is closed
     */
    Object spawn(Callable<?> body, String what);

    /** {@link #spawn(Callable, String)} for a body without a value (its handle's value is null). */
    Object spawn(Runnable body, String what);

    /** The host: the scheduler's, loaded once. */
    static TaskHost get() {
        return LoadedHost.HOST;
    }
}
