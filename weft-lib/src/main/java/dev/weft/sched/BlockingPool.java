package dev.weft.sched;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The platform threads behind {@code Task.blocking}: calls that would pin a task's carrier (native
 * code, {@code InetAddress} lookups, legacy libraries that block in a monitor) run here while the
 * task that made the call is parked, so its worker runs other tasks meanwhile.
 *
 * <h2>Threads</h2>
 * At most {@code maxThreads} daemon threads, named {@code <prefix>-blocking-<n>}, started on
 * demand and ended after {@link #KEEP_ALIVE_NANOS} without work. Calls beyond that many wait in a
 * FIFO queue (each queued call is a parked task, so the queue is as long as the tasks that made
 * the calls).
 *
 * <h2>No call is left without a thread</h2>
 * Everything below is guarded by {@code lock}. {@code waiting} counts threads inside
 * {@code available.await}, including ones signalled or timed out that have not yet taken the
 * lock back; each such thread looks at the queue before it ends. A submit queues the call and
 * then, if there are more queued calls than waiting threads, starts a thread (while fewer than
 * {@code maxThreads} live), else signals one waiter. A signal takes a waiter off the condition,
 * so successive signals reach distinct threads; so every queued call is owed either to a distinct
 * waiter, to a thread just started, or (at {@code maxThreads}) to a busy thread that takes the
 * queue's head when its call ends. Counting signals against "idle" threads instead loses one: two
 * submits in a row both see the one idle thread and only one call runs, which deadlocks calls that
 * wait for each other ({@code BlockingPoolTest.callsThatWaitForEachOtherAllGetAThread}).
 *
 * <h2>Interrupts and shutdown</h2>
 * A waiting task that is interrupted cancels its call ({@link FutureTask#cancel(boolean)} with
 * {@code true}: a queued call never runs, a running one has its thread interrupted) and throws
 * {@link InterruptedException} at once. A thread clears its interrupt before each call (a
 * cancelled call's interrupt has been delivered once {@code FutureTask.run} returns).
 * {@link #close()} refuses later calls, drops queued ones, interrupts running ones and wakes
 * waiting threads, which then end; {@link #awaitStopped(long)} joins them.
 */
final class BlockingPool {

    /** How long a thread waits for another call before it ends. */
    static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String namePrefix;
    private final int maxThreads;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final ArrayDeque<FutureTask<?>> queue = new ArrayDeque<>();
    private final List<Thread> threads = new ArrayList<>();
    private final LongAdder parked = new LongAdder();
    private int waiting;
    private int started;
    private boolean closed;

    BlockingPool(String namePrefix, int maxThreads) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("maxThreads " + maxThreads + " must be at least 1");
        }
        this.namePrefix = Objects.requireNonNull(namePrefix, "namePrefix");
        this.maxThreads = maxThreads;
    }

    /**
     * Runs {@code body} on a pool thread and parks the caller until it returns.
     *
     * @param who the calling task, for messages
     * @return what {@code body} returned
     * @throws Exception             what {@code body} threw, as it is
     * @throws InterruptedException  if the caller is interrupted first; the call is cancelled
     * @throws IllegalStateException if the pool is closed (its runtime terminated)
     */
    <T> T call(Callable<T> body, Object who) throws Exception {
        Objects.requireNonNull(body, "body");
        if (Thread.interrupted()) {
            throw new InterruptedException("task " + who + " was interrupted before Task.blocking started its call");
        }
        FutureTask<T> call = new Call<>(body);
        submit(call);
        parked.increment();
        try {
            return call.get();
        } catch (InterruptedException e) {
            call.cancel(true);
            InterruptedException ie = new InterruptedException("task " + who
                    + " was interrupted while waiting in Task.blocking; its call was cancelled (interrupted)");
            ie.initCause(e);
            throw ie;
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (CancellationException e) {
            throw new IllegalStateException("Task.blocking in task " + who + ": the runtime stopped its call", e);
        } finally {
            parked.decrement();
            Runner.afterPark(); // for the stats of the worker the task resumed on
        }
    }

    /**
     * Like {@link #call}, for a call that must not be torn down halfway: an interrupt of the
     * caller cancels the call only if it has not started (then {@link InterruptedException});
     * a started call runs to its end, unaware (its thread is not interrupted), the caller waits
     * for it and gets its result, and the caller's interrupt status is set again. For calls whose
     * effect must not be lost (an {@code open} whose descriptor would leak) or whose target an
     * interrupt would break (a {@link java.nio.channels.FileChannel} closes itself when the
     * thread using it is interrupted).
     */
    <T> T callToEnd(Callable<T> body, Object who) throws Exception {
        Objects.requireNonNull(body, "body");
        if (Thread.interrupted()) {
            throw new InterruptedException("task " + who + " was interrupted before its blocking call started");
        }
        ToEnd<T> call = new ToEnd<>(body);
        submit(call);
        parked.increment();
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return call.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (call.drop()) { // not started: it never runs
                        interrupted = false; // the exception says it; the status is cleared, as Java's convention asks
                        InterruptedException ie = new InterruptedException("task " + who
                                + " was interrupted while its blocking call waited for a thread; the call was dropped");
                        ie.initCause(e);
                        throw ie;
                    }
                    // started: wait for its end (get() throws no more: the status is clear now)
                }
            }
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (CancellationException e) {
            throw new IllegalStateException("a blocking call of task " + who + ": the runtime stopped it", e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            parked.decrement();
            Runner.afterPark();
        }
    }

    /**
     * A call of {@link #callToEnd}: whether it runs or is dropped is decided once, by a CAS out of
     * NEW (a {@link FutureTask}'s own state stays NEW while it runs, so its {@code cancel} cannot
     * tell a started call from a queued one).
     *
     * <p>States: NEW → STARTED (by the pool thread that takes it, in {@link #run}) or NEW →
     * DROPPED (by its interrupted caller, in {@link #drop}); both are final, and exactly one CAS
     * wins. A DROPPED call's {@code run} does nothing, and its caller returns at once; a STARTED
     * call's caller keeps waiting in {@code get()}, whose completion (the FutureTask's volatile
     * state) publishes the result. No caller waits forever: either its call is DROPPED (it does
     * not wait) or it is STARTED and completes. Checked by
     * {@code BlockingPoolCallToEndTest.underRandomInterruptsEveryCallEitherRunsAndReturnsOrIsDroppedUnrun}.
     */
    /**
     * A call on the pool. Its caller waits in {@code get()}, parked with the call as blocker: as an
     * {@link IoWait}, the blocker alone tells {@link Scheduler#isParkedOnIo} that the task waits here.
     */
    private static class Call<T> extends FutureTask<T> implements IoWait {
        Call(java.util.concurrent.Callable<T> body) {
            super(body);
        }
    }

    private static final class ToEnd<T> extends Call<T> {
        private static final int NEW = 0;
        private static final int STARTED = 1;
        private static final int DROPPED = 2;
        private final java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger(NEW);

        ToEnd(Callable<T> body) {
            super(body);
        }

        @Override
        public void run() {
            if (state.compareAndSet(NEW, STARTED)) {
                super.run();
            }
        }

        /** Drops the call if it has not started: true if it never will. */
        boolean drop() {
            if (state.compareAndSet(NEW, DROPPED)) {
                cancel(false);
                return true;
            }
            return false;
        }
    }

    private static Exception rethrow(Throwable cause) {
        if (cause instanceof Error err) {
            throw err;
        }
        if (cause instanceof Exception x) {
            return x;
        }
        return new ExecutionException(cause);
    }

    private void submit(FutureTask<?> call) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("Task.blocking after its runtime terminated (" + namePrefix + ")");
            }
            queue.addLast(call);
            if (queue.size() > waiting && threads.size() < maxThreads) {
                Thread t = Thread.ofPlatform().daemon(true).name(namePrefix + "-blocking-" + started++)
                        .unstarted(this::serve);
                threads.add(t);
                try {
                    t.start();
                } catch (RuntimeException | Error e) { // no thread to be had: the call is not taken
                    threads.remove(t);
                    queue.removeLastOccurrence(call);
                    throw e;
                }
            } else {
                available.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A pool thread: takes calls until it has waited {@link #KEEP_ALIVE_NANOS} for none, or the pool closes. */
    private void serve() {
        lock.lock();
        try {
            long idleNanos = KEEP_ALIVE_NANOS;
            for (;;) {
                FutureTask<?> call = closed ? null : queue.pollFirst();
                if (call != null) {
                    lock.unlock();
                    try {
                        Thread.interrupted(); // left over from a cancelled call
                        call.run();
                    } finally {
                        lock.lock();
                    }
                    idleNanos = KEEP_ALIVE_NANOS;
                    continue;
                }
                if (closed || idleNanos <= 0L) {
                    return;
                }
                waiting++;
                try {
                    idleNanos = available.awaitNanos(idleNanos);
                } catch (InterruptedException e) {
                    // close() interrupts; anything else re-checks the queue
                } finally {
                    waiting--;
                }
            }
        } finally {
            threads.remove(Thread.currentThread());
            lock.unlock();
        }
    }

    /** Tasks parked in {@link #call} now: their call is queued or running. */
    long parked() {
        return parked.sum();
    }

    /** Pool threads alive now. */
    int threadCount() {
        lock.lock();
        try {
            return threads.size();
        } finally {
            lock.unlock();
        }
    }

    /** Refuses later calls, cancels queued and running ones, and tells every thread to end. Idempotent. */
    void close() {
        lock.lock();
        try {
            closed = true;
            for (FutureTask<?> call : queue) {
                call.cancel(false);
            }
            queue.clear();
            for (Thread t : threads) {
                t.interrupt();
            }
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code nanos} for every pool thread to end (after {@link #close()}).
     *
     * @return whether they all have
     */
    boolean awaitStopped(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0L, nanos);
        List<Thread> live;
        lock.lock();
        try {
            live = List.copyOf(threads);
        } finally {
            lock.unlock();
        }
        for (Thread t : live) {
            if (!t.join(Duration.ofNanos(Math.max(1L, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }
}
