package dev.weft.task;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A spawned task: wait for its result, cancel it, ask about it. Returned by
 * {@link dev.weft.runtime.Weft#spawn} and {@link TaskBuilder}; not meant to be implemented
 * outside weft.
 *
 * @param <T> the task's result type ({@link Void} for a {@link Runnable})
 */
public interface JoinHandle<T> {

    /**
     * Waits for the task to end and returns its value. Inside a weft task, waiting parks the
     * task and frees its worker; if the awaited task has not started yet, the caller may run it
     * itself, at once, instead of waiting.
     *
     * @throws JoinException        if the task was cancelled, or failed (the cause is what it threw)
     * @throws InterruptedException if the waiting thread is interrupted; the task goes on
     */
    T join() throws InterruptedException;

    /**
     * Like {@link #join()}, waiting at most {@code timeout} (zero or negative: only looks). The
     * caller never runs the task itself here, since it could not stop when the time is up: an
     * unstarted task runs on a worker while the caller waits.
     *
     * @throws TimeoutException if the task has not ended in time; it goes on
     */
    T join(Duration timeout) throws InterruptedException, TimeoutException;

    /**
     * Cancels the task: one that has not started never runs; one that is running is interrupted
     * (a suspended task wakes with {@link InterruptedException}). Either way {@link #join()}
     * throws a {@link JoinException} that says cancelled. Cancelling a task that has ended does
     * nothing.
     *
     * @return true if this call cancelled the task; false if it had ended or was cancelled before
     */
    boolean cancel();

    /** Whether the task has ended: returned, failed, or cancelled. */
    boolean isDone();

    /** The task's id, unique in its runtime, in spawn order. */
    long id();

    /** The task's name; empty if none was given. */
    String name();
}
