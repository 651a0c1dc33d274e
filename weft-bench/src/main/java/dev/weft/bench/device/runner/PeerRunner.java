package dev.weft.bench.device.runner;

import dev.weft.idle.Backoff;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * weft's device runner design with another channel: the runner every peer is measured with.
 *
 * <h2>What mirrors weft</h2>
 * <ul>
 *   <li>One dedicated daemon thread owns the service and runs tasks batch by batch: each
 *       {@link PeerQueue#drain} takes up to {@link #BATCH} tasks (weft: one 32-slot buffer).</li>
 *   <li>Bounded: {@link #CAPACITY} tasks in flight (weft: two buffers of 32).</li>
 *   <li>Idle runner: waits with {@link Backoff#DEFAULT} (spin, yield, park). Before a parking step
 *       it sets {@code runnerParked} (volatile) and re-checks the queue, parking only if it is
 *       still empty; a producer reads {@code runnerParked} (volatile) after its offer and unparks
 *       the runner if it is set. Each side writes before it reads, so one of them sees the other:
 *       no wake-up is lost (the {@link PeerQueue} contract gives the offer's write and the
 *       emptiness read the needed ordering).</li>
 *   <li>Producer facing a full queue: waits with {@link Backoff#DEFAULT}; before its first parking
 *       step it pushes a {@link Waiter} on a stack and retries the offer; after every batch the
 *       runner issues a full fence (weft's runner makes an atomic exchange per batch), then takes
 *       the whole stack and unparks each waiter. No wake-up is lost for the same reason.</li>
 *   <li>Tasks ({@link PeerTask}) and calls ({@link PeerCall}) are the same shape as weft's and
 *       complete the same way; the runner records the running task's stream and counts tasks and
 *       batches with opaque writes, as weft's does.</li>
 * </ul>
 *
 * <h2>What differs, by design of the channel</h2>
 * A weft task becomes eligible when its 32-slot buffer fills or is flushed, and producers wake the
 * runner only then; a peer's task is eligible as soon as it is offered, so {@link #flush} only
 * repeats the wake-up check and every offer reads {@code runnerParked}.
 *
 * <h2>Stopping</h2>
 * {@link #close} sets {@code stopRequested} and unparks the runner, which runs everything queued
 * and ends; close joins it. Closing is the last thing a measurement does: no send races it.
 */
public final class PeerRunner implements ServiceRunner {

    /** Tasks a runner takes per batch: the size of one of weft's buffers. */
    public static final int BATCH = 32;
    /** Tasks in flight at most: weft's two buffers. */
    public static final int CAPACITY = 64;

    private static final long STOP_TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(10);
    private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();
    private static final VarHandle RUNNER_PARKED;
    private static final VarHandle WAITERS;
    private static final VarHandle TASKS_RUN;
    private static final VarHandle BATCHES;
    private static final VarHandle TASKS_FAILED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            RUNNER_PARKED = l.findVarHandle(PeerRunner.class, "runnerParked", int.class);
            WAITERS = l.findVarHandle(PeerRunner.class, "waiters", Waiter.class);
            TASKS_RUN = l.findVarHandle(PeerRunner.class, "tasksRun", long.class);
            BATCHES = l.findVarHandle(PeerRunner.class, "batches", long.class);
            TASKS_FAILED = l.findVarHandle(PeerRunner.class, "tasksFailed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String impl;
    private final PeerQueue queue;
    private final Backoff backoff = Backoff.DEFAULT;
    private final CounterService service = new CounterService();
    private final Consumer<PeerTask> sink = this::runQueued;
    private final Thread thread;

    // Written by the runner, read by producers after each offer.
    private volatile int runnerParked;
    // Written by producers (rarely) and the closer, read by the runner.
    private volatile Waiter waiters;
    private volatile int stopRequested;

    // The runner's own state; counters are written opaquely and readable from any thread.
    private long tasksRun;
    private long batches;
    private long tasksFailed;
    // Written around every task, as weft's runner does for StreamId.current(): the same cost,
    // though nothing in the bench reads them.
    private long currentStream;
    private boolean inTask;

    /**
     * Starts a runner thread over {@code queue}.
     *
     * @param impl  the peer's short name, for thread names and reports
     * @param queue an empty queue of {@link #CAPACITY} slots, used by this runner only
     */
    public PeerRunner(String impl, PeerQueue queue) {
        this.impl = Objects.requireNonNull(impl, "impl");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.thread = new Thread(null, this::runLoop,
                "weft-bench-peer-" + impl + "-" + THREAD_NUMBERS.incrementAndGet(), 0, false);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public String impl() {
        return impl;
    }

    @Override
    public CounterService service() {
        return service;
    }

    /** Tasks run so far (calls included). Any thread. */
    public long tasksRun() {
        return (long) TASKS_RUN.getOpaque(this);
    }

    /** Batches drained so far. Any thread. */
    public long batches() {
        return (long) BATCHES.getOpaque(this);
    }

    /** Fire-and-forget tasks that threw. Any thread. */
    public long tasksFailed() {
        return (long) TASKS_FAILED.getOpaque(this);
    }

    // ---------------------------------------------------------------------------------------
    // Producer side: any thread.

    @Override
    public void submit(Consumer<? super CounterService> body) {
        Objects.requireNonNull(body, "body");
        send(new PeerTask.Submitted(Thread.currentThread().threadId(), body, service));
    }

    @Override
    public void flush() {
        wakeRunner();
    }

    @Override
    public <R> R call(Function<? super CounterService, ? extends R> body) {
        Objects.requireNonNull(body, "body");
        PeerCall<R> call = new PeerCall<>(Thread.currentThread().threadId(), body, service);
        send(call);
        return call.await(backoff);
    }

    private void send(PeerTask task) {
        if (!queue.offer(task)) {
            awaitRoom(task);
        }
        wakeRunner();
    }

    private void wakeRunner() {
        if ((int) RUNNER_PARKED.getVolatile(this) != 0) {
            LockSupport.unpark(thread);
        }
    }

    /** The queue was full: back off until {@code task} is accepted. */
    private void awaitRoom(PeerTask task) {
        Waiter self = null;
        boolean interrupted = false;
        long step = 0;
        do {
            if (backoff.parks(step) && self == null) {
                self = new Waiter(Thread.currentThread());
                pushWaiter(self); // then retry the offer before parking: see the class comment
                continue;
            }
            if (Thread.interrupted()) {
                interrupted = true; // a send is not interruptible; keep the flag for later
            }
            step = backoff.idle(step);
        } while (!queue.offer(task));
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void pushWaiter(Waiter w) {
        Waiter head;
        do {
            head = waiters;
            w.next = head;
        } while (!WAITERS.compareAndSet(this, head, w));
    }

    // ---------------------------------------------------------------------------------------
    // Runner side.

    private void runLoop() {
        long step = 0;
        for (;;) {
            int n = queue.drain(sink, BATCH);
            if (n > 0) {
                TASKS_RUN.setOpaque(this, tasksRun + n);
                BATCHES.setOpaque(this, batches + 1);
                VarHandle.fullFence(); // the freed slots before the read of waiters
                if (waiters != null) {
                    releaseWaiters();
                }
                step = 0;
                continue;
            }
            if (stopRequested != 0 && queue.isEmpty()) {
                return;
            }
            Thread.interrupted(); // a task's interrupt of this thread must not break parking
            step = awaitWork(step);
        }
    }

    /** One back-off step; a parking step first publishes {@code runnerParked} and re-checks. */
    private long awaitWork(long step) {
        if (!backoff.parks(step)) {
            return backoff.idle(step);
        }
        RUNNER_PARKED.setVolatile(this, 1);
        try {
            if (!queue.isEmpty() || stopRequested != 0) {
                return step + 1;
            }
            return backoff.idle(step);
        } finally {
            RUNNER_PARKED.setOpaque(this, 0);
        }
    }

    private void runQueued(PeerTask task) {
        currentStream = task.stream;
        inTask = true;
        try {
            task.run(this);
        } finally {
            inTask = false;
        }
    }

    private void releaseWaiters() {
        Waiter w = (Waiter) WAITERS.getAndSet(this, (Waiter) null);
        while (w != null) {
            Waiter next = w.next;
            LockSupport.unpark(w.thread);
            w = next;
        }
    }

    /** A fire-and-forget task threw: counted (weft hands it to the device's failure handler). */
    void taskFailed(long stream, Throwable error) {
        TASKS_FAILED.setOpaque(this, tasksFailed + 1);
    }

    // ---------------------------------------------------------------------------------------
    // Stopping.

    @Override
    public void close() {
        stopRequested = 1;
        LockSupport.unpark(thread);
        try {
            thread.join(STOP_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException(thread.getName() + " did not stop within "
                    + STOP_TIMEOUT_MILLIS + " ms (a task is still running)");
        }
    }

    /** A producer parked on a full queue. */
    private static final class Waiter {
        final Thread thread;
        Waiter next;

        Waiter(Thread thread) {
            this.thread = thread;
        }
    }
}
