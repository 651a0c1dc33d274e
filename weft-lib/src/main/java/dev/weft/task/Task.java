package dev.weft.task;

import dev.weft.task.host.TaskHost;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/**
 * The task that is running, and what a task can do to its own execution: yield, check its
 * timeslice, sleep, run something under a time limit, spawn.
 *
 * <h2>Preemption is cooperative</h2>
 * A worker runs a task until the task suspends (parks, sleeps, joins, waits for a lock or for
 * weft I/O), yields, or ends. A loop that neither suspends nor calls {@link #check()} holds its
 * worker for as long as it runs, and every task queued behind it waits. Long computations call
 * {@link #check()} now and then: it costs a clock read, and yields once the task has run for its
 * timeslice ({@link dev.weft.runtime.Config.Builder#timeslice}, about 100 µs by default).
 *
 * <p>Not meant to be implemented outside weft.
 */
public interface Task {

    /** This task's id, unique in its runtime, in spawn order. */
    long id();

    /** This task's name; empty if none was given. */
    String name();

    /** How this task uses threads. */
    TaskKind kind();

    /** Whether the task has been asked to stop by {@link JoinHandle#cancel()}. */
    boolean isCancelled();

    /**
     * The weft task running on the calling thread.
     *
     * @throws IllegalStateException if the caller is not a weft task
     */
    static Task current() {
        Task cell = (Task) TaskHost.get().currentTask();
        if (cell == null) {
            throw new IllegalStateException("Task.current() was called on " + Thread.currentThread()
                    + ", which is not a weft task; spawn the code with Weft.spawn");
        }
        return cell;
    }

    /** Whether the calling thread is running a weft task. */
    static boolean inTask() {
        return TaskHost.get().currentTask() != null;
    }

    /**
     * Lets the other runnable tasks of this worker run, then goes on: the task goes to the back
     * of its worker's run queue. Outside a weft task, {@link Thread#yield()}.
     */
    static void yieldNow() {
        Thread.yield();
    }

    /**
     * Yields if this task has used up its timeslice; otherwise returns at once. Call it in long
     * loops that do not suspend. Outside a weft task it does nothing.
     */
    static void check() {
        TaskHost.get().checkTimeslice();
    }

    /**
     * Suspends this task for {@code duration} on its runtime's timer; the worker runs other
     * tasks meanwhile. Outside a weft task, {@link Thread#sleep(Duration)}.
     *
     * @throws InterruptedException     if the task is interrupted (or cancelled) while asleep
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    static void sleep(Duration duration) throws InterruptedException {
        TaskHost.get().sleep(duration);
    }

    /**
     * Suspends this task until {@code deadline} (wall clock, converted once to the monotonic
     * clock); returns at once if it has passed.
     *
     * @throws InterruptedException if the task is interrupted (or cancelled) while asleep
     */
    static void sleepUntil(Instant deadline) throws InterruptedException {
        TaskHost.get().sleepUntil(deadline);
    }

    /**
     * Runs {@code body} on this task and returns its value, unless {@code limit} passes first:
     * then the task is interrupted, and once {@code body} returns or throws, this method throws
     * {@link TimeoutException} (the body's result is dropped and the interrupt that the timeout
     * sent is cleared). A body that ignores interrupts runs to its end before the timeout is
     * reported.
     *
     * @throws TimeoutException if {@code limit} passed before {@code body} ended
     * @throws Exception        what {@code body} threw, if it ended in time
     * @throws IllegalStateException if the caller is not a weft task
     */
    static <T> T timeout(Duration limit, Callable<T> body) throws Exception {
        return TaskHost.get().timeout(limit, body);
    }

    /**
     * Runs {@code call} on one of the runtime's blocking threads and parks this task until it
     * returns; the worker runs other tasks meanwhile. For calls that would otherwise hold the
     * worker's thread: native code, {@link java.net.InetAddress} lookups, libraries that block
     * inside {@code synchronized} or in a class initializer.
     *
     * <p>The blocking threads are platform daemon threads named {@code <prefix>-blocking-<n>},
     * at most {@link dev.weft.runtime.Config#blockingThreads()} of them (started on demand, ended
     * when idle and when the runtime terminates); further calls wait their turn.
     * {@link dev.weft.runtime.RuntimeStats#blockingParked()} counts the tasks waiting here.
     *
     * <p>If this task is interrupted (or cancelled) while it waits, the wait ends at once with
     * {@link InterruptedException} and the call is cancelled: one not yet started never runs, a
     * running one has its thread interrupted, and its result is dropped.
     *
     * <p>Outside a weft task, {@code call} runs on the calling thread and this returns its result.
     *
     * @return what {@code call} returned
     * @throws Exception             what {@code call} threw, as it is (same type, same object)
     * @throws InterruptedException  if this task was interrupted while it waited
     * @throws IllegalStateException if the runtime has terminated
     */
    static <T> T blocking(Callable<T> call) throws Exception {
        java.util.Objects.requireNonNull(call, "call");
        return TaskHost.get().blocking(call);
    }

    /**
     * Spawns a task on the runtime of the calling task.
     *
     * @throws IllegalStateException if the caller is not a weft task, or its runtime is closed
     */
    @SuppressWarnings("unchecked") // the host returns the JoinHandle of the body it spawned
    static <T> JoinHandle<T> spawn(Callable<T> body) {
        return (JoinHandle<T>) TaskHost.get().spawn(body, "Task.spawn");
    }

    /** Like {@link #spawn(Callable)}, for a body without a result. */
    @SuppressWarnings("unchecked")
    static JoinHandle<Void> spawn(Runnable body) {
        return (JoinHandle<Void>) TaskHost.get().spawn(body, "Task.spawn");
    }

    /** Like {@link #spawn(Callable)}, for a body without a result that may throw checked exceptions. */
    @SuppressWarnings("unchecked")
    static JoinHandle<Void> spawn(CheckedRunnable body) {
        return (JoinHandle<Void>) TaskHost.get().spawn((Runnable) body, "Task.spawn");
    }
}
