package dev.weft.sched;

import dev.weft.idle.Backoff;
import dev.weft.task.CheckedRunnable;
import dev.weft.task.JoinException;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import dev.weft.task.TaskKind;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * One spawned task: its body, its state, its outcome and the threads waiting for it. It is what
 * sits in run queues (hence {@link Runnable}), what {@code spawn} returns ({@link JoinHandle}) and
 * what {@code Task.current()} returns ({@link Task}): one object per task.
 *
 * <h2>States</h2>
 * The low four bits of {@code state} (its phase) change only by compare-and-set:
 * <pre>
 *   NEW ──claim (a runner, or a joiner running it inline)──▶ RUNNING ──body ends──▶ RUNNING|DONE
 *    │                                       │
 *    │                                       └─cancel─▶ RUNNING|CANCELLED|INTERRUPTING
 *    │                                            ──interrupt sent──▶ RUNNING|CANCELLED
 *    │                                            ──body ends──▶ RUNNING|CANCELLED|DONE
 *    └──cancel──▶ CANCELLED|DONE
 * </pre>
 * The bits only accumulate, so the final state says all there is to say: whether the task
 * started, whether it was cancelled. Only an uncancelled task's outcome is read. The other bits
 * of {@code state} are set when the cell is made and never change: whether the body is a
 * {@link Runnable} (else a {@link Callable}), and the low bits of the run-queue counter its
 * spawner queued it at. Every CAS compares and keeps them, so they cost no field.
 *
 * <h2>Size</h2>
 * A cell takes 40 bytes (compressed references), and a spawn allocates only it and the body:
 * every field here is paid for by every task, and a storm of spawns keeps them all alive for the
 * young collections to copy. Hence the bits above, and one {@code slot} for the body (until the
 * body starts), the child this task runs inline while it joins (while it runs) and the outcome
 * (once done).
 * <ul>
 *   <li>Exactly one thread claims a task (the CAS from NEW), so a body runs at most once. A queue
 *       entry whose claim fails (the task was cancelled, or a joiner ran it) is skipped.</li>
 *   <li>{@code slot} holds the body until its claimer starts it; then, while the task runs, the
 *       child its thread runs inline (see {@link Runner#task()}), or null: only that thread
 *       reads or writes it then. The outcome is written into it once, by the thread that makes
 *       the task DONE, before that CAS (a volatile write); readers read it after seeing DONE (a
 *       volatile read), so they see it.</li>
 *   <li>A cancel of a running task interrupts the thread running it. The INTERRUPTING bit
 *       brackets the interrupt: the runner does not leave RUNNING while it is set. So an interrupt
 *       aimed at this task is delivered while this task runs on that thread, and the runner
 *       clears it before the thread runs anything else: it never leaks into a later task on a
 *       pooled thread. (The same bracket as {@code FutureTask}'s.)</li>
 *   <li>Joiners push a {@link WaitNode} onto {@code waiters} (a Treiber stack) with a CAS, then
 *       re-read {@code state} and park until it says DONE. The task is made DONE by a CAS; then
 *       {@code waiters} is read, and if it is not empty, swapped for {@link #NO_MORE_WAITERS}
 *       and every node unparked. Both sides write (a CAS, a full fence) and then read what the
 *       other writes, so at least one sees the other: either the completer sees the node (and
 *       unparks it), or the joiner sees DONE (and does not park). No wake-up is lost. A joiner
 *       that gives up (interrupt, timeout) clears its node's thread so the completion does not
 *       unpark a thread that has moved on.</li>
 * </ul>
 */
public final class TaskCell<T> implements Runnable, JoinHandle<T>, Task {

    static final int NEW = 0;
    static final int RUNNING = 1;
    static final int DONE = 2;
    static final int CANCELLED = 4;
    static final int INTERRUPTING = 8;
    /** The phase bits above; the rest of {@code state} is fixed when the cell is made. */
    private static final int PHASE = 0xF;
    /** Set if the body is a {@link Runnable}, else it is a {@link Callable}. */
    private static final int RUNNABLE_BODY = 0x10;
    /** Where the queued-at counter's low bits start in {@code state}. */
    private static final int QUEUED_AT_SHIFT = 5;
    /** How many low bits of the queued-at counter {@code state} keeps. */
    static final int QUEUED_AT_BITS = Integer.SIZE - QUEUED_AT_SHIFT;

    /** How deep joiners run unstarted tasks inline on one thread before they wait instead. */
    static final int MAX_INLINE_DEPTH = 64;

    private static final WaitNode NO_MORE_WAITERS = new WaitNode(null);

    private final TaskSpec spec;
    private final long id;
    /**
     * The body (a {@link Callable} or a {@link Runnable}) until it starts; while it runs, the
     * child run inline in its join, or null; once done, its outcome: the value, or a
     * {@link Failure}; null for a cancelled task. One field for all three keeps the cell small.
     */
    private Object slot;
    /** Phase bits (changed by CAS), the body's kind and the queued-at bits (fixed). */
    private volatile int state;
    /** The thread running the body: published (release) when the body starts, cleared after DONE. */
    private Thread thread;
    private volatile WaitNode waiters;

    /**
     * A task that runs {@code body}: a {@link Callable}, or a {@link Runnable} (its value is then
     * null) when {@code runnable} is set. {@code queuedAt}: the tail counter of the run queue its
     * spawner pushes it to, or anything if it goes elsewhere.
     */
    TaskCell(TaskSpec spec, long id, Object body, boolean runnable, int queuedAt) {
        this.spec = spec;
        this.id = id;
        this.slot = body;
        STATE.set(this, (queuedAt << QUEUED_AT_SHIFT) | (runnable ? RUNNABLE_BODY : 0) | NEW);
    }

    /**
     * The low {@link #QUEUED_AT_BITS} bits of the run-queue counter the spawner queued this task
     * at (see {@link RunQueue#forget}).
     */
    int queuedAtBits() {
        return state >>> QUEUED_AT_SHIFT;
    }

    /** The task running on the calling thread, or null if it is not a weft task. */
    public static TaskCell<?> current() {
        Runner runner = Runner.current();
        return runner == null ? null : runner.task();
    }

    /**
     * The task running on the calling thread.
     *
     * @throws IllegalStateException naming {@code what} if the caller is not a weft task
     */
    public static TaskCell<?> requireCurrent(String what) {
        TaskCell<?> cell = current();
        if (cell == null) {
            throw new IllegalStateException(what + " was called on " + Thread.currentThread()
                    + ", which is not a weft task; call it from a task (Weft.spawn)");
        }
        return cell;
    }

    /** The scheduler this task belongs to. */
    public Scheduler scheduler() {
        return spec.scheduler();
    }

    TaskKind taskKind() {
        return spec.kind();
    }

    TaskSpec spec() {
        return spec;
    }

    // ---------------------------------------------------------------------------------------
    // Running

    /**
     * Takes a task back that its spawner pushed and must not have accepted (the runtime closed
     * meanwhile): NEW to CANCELLED, ended like a cancel.
     *
     * @return true if taken back; false if a worker or joiner claimed it first
     */
    boolean withdraw() {
        int s = state;
        if ((s & PHASE) == NEW && STATE.compareAndSet(this, s, s | DONE | CANCELLED)) {
            slot = null;
            finish();
            return true;
        }
        return false; // the fixed bits never change: a failed CAS means the phase did
    }

    /**
     * The child that the thread running this task runs inline now (in this task's join), or
     * null. That thread only, while this task runs (see {@code slot}).
     */
    TaskCell<?> inlineChild() {
        return slot instanceof TaskCell<?> child ? child : null;
    }

    /** Sets or clears (null) {@link #inlineChild()}. The thread running this task only. */
    void inlineChild(TaskCell<?> child) {
        slot = child;
    }

    /** Whether nobody has claimed or cancelled the task yet. */
    boolean isUnclaimed() {
        return (state & PHASE) == NEW;
    }

    /**
     * Claims the task for the calling thread: NEW to RUNNING. After {@code shutdownNow} it
     * cancels the task instead (it never runs) and returns false.
     */
    boolean claim() {
        int s = state;
        if ((s & PHASE) != NEW) {
            return false;
        }
        if (spec.scheduler().isStopping()) {
            Object body = slot;
            if (cancel() && body instanceof java.util.concurrent.Future<?> future) {
                future.cancel(false); // what ExecutorService.submit queued: its waiters wake too
            }
            return false;
        }
        return STATE.compareAndSet(this, s, s | RUNNING);
    }

    /**
     * Runs the task's body on the calling thread if nobody has claimed it yet: what a dedicated
     * runner does with its task.
     */
    @Override
    public void run() {
        if (claim()) {
            runClaimed();
        }
    }

    /**
     * Runs the body of a task this thread claimed and completes the task. Never throws: the
     * body's exception becomes the outcome and is counted, and if no thread is waiting in
     * {@link #join()} at that moment, it goes to the runtime's uncaught-failure handler.
     */
    void runClaimed() {
        runClaimed(false);
    }

    /**
     * {@link #runClaimed()} for a joiner that claimed the task to run it inline: the joiner gets
     * the failure, so it is not reported as uncaught.
     */
    void runClaimedForJoiner() {
        runClaimed(true);
    }

    private void runClaimed(boolean joined) {
        THREAD.setRelease(this, Thread.currentThread());
        Object b = slot;
        slot = null; // from here until the outcome: the child run inline, if any
        Object result;
        boolean failed = false;
        try {
            if ((state & RUNNABLE_BODY) != 0) {
                if (b instanceof CheckedRunnable c) {
                    c.runChecked(); // its checked exception is the outcome, not wrapped by run()
                } else {
                    ((Runnable) b).run();
                }
                result = null;
            } else {
                result = ((Callable<?>) b).call();
            }
        } catch (Throwable e) {
            result = new Failure(e);
            failed = true;
        }
        // Counted before DONE, so that whoever sees the task done also sees it counted.
        if (failed && (state & CANCELLED) == 0) {
            spec.scheduler().countFailure();
            if (!joined && !hasWaitingJoiner()) {
                spec.scheduler().reportUncaught(this, ((Failure) result).cause);
            }
        }
        spec.scheduler().taskEnded();
        // Wait out a cancel that is interrupting this thread, then end the task.
        int s;
        for (long step = 0; ; ) {
            s = state;
            if ((s & INTERRUPTING) != 0) {
                Backoff.DEFAULT.idle(step++);
                continue;
            }
            slot = (s & CANCELLED) != 0 ? null : result;
            if (STATE.compareAndSet(this, s, s | DONE)) {
                break;
            }
        }
        thread = null; // only a cancel reads it, and only before DONE
        if ((s & CANCELLED) != 0) {
            Thread.interrupted(); // the cancel's interrupt was for this task alone
        }
        wakeJoiners();
        spec.ended(); // last: whoever sees its tally drop sees the task done
    }

    /** Whether a thread waits in {@link #join()} now (one that gave up has cleared its node). */
    private boolean hasWaitingJoiner() {
        for (WaitNode w = waiters; w != null && w != NO_MORE_WAITERS; w = w.next) {
            if (w.thread != null) {
                return true;
            }
        }
        return false;
    }

    /** Ends a task that never ran (cancelled, or withdrawn): counts it, wakes the joiners. */
    private void finish() {
        spec.scheduler().taskEnded();
        wakeJoiners();
        spec.ended();
    }

    /** Wakes the joiners of a task that is DONE. */
    private void wakeJoiners() {
        // DONE was set by a CAS (a full fence) before this read, and a joiner reads state after
        // its push (a CAS): if no joiner is seen here, a later one sees DONE.
        WaitNode w = waiters;
        if (w != null) {
            w = (WaitNode) WAITERS.getAndSet(this, NO_MORE_WAITERS);
        }
        for (; w != null; w = w.next) {
            Thread t = w.thread;
            if (t != null) {
                w.thread = null;
                LockSupport.unpark(t);
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // JoinHandle

    @Override
    public T join() throws InterruptedException {
        if (!isDone()) {
            helpOrAwait(0L);
        }
        return report();
    }

    @Override
    public T join(Duration timeout) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        if (!isDone()) {
            long nanos = Math.max(1L, timeout.isNegative() ? 1L : saturatedNanos(timeout));
            if (!helpOrAwait(nanos)) {
                throw new TimeoutException("task " + this + " did not end within " + timeout);
            }
        }
        return report();
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Runs the task inline if nobody has started it, it is POOLED, the caller is a runner with
     * stack to spare and the join has no time limit; otherwise waits for it. {@code timeoutNanos}
     * 0 means no limit. A timed join never runs the task inline: the joiner could not leave a body
     * it is running when the time is up, so it waits, parked, while a worker runs the task. A
     * DEDICATED task is never run inline: it was promised a thread of its own.
     *
     * @return true if the task is done, false on timeout
     */
    private boolean helpOrAwait(long timeoutNanos) throws InterruptedException {
        if (timeoutNanos == 0L && (state & PHASE) == NEW && taskKind() == TaskKind.POOLED) {
            Runner runner = Runner.current();
            if (runner != null && runner.canRunInline() && claim()) {
                Worker w = Worker.current();
                if (w != null) {
                    w.queue.forget(this, queuedAtBits(), QUEUED_AT_BITS); // its entry needs no running now
                }
                runner.runInline(this);
                return true;
            }
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while joining task " + this);
        }
        WaitNode node = new WaitNode(Thread.currentThread());
        for (WaitNode head = waiters; ; head = waiters) {
            if (head == NO_MORE_WAITERS) {
                return true;
            }
            node.next = head;
            if (WAITERS.compareAndSet(this, head, node)) {
                break;
            }
        }
        long deadline = timeoutNanos == 0L ? 0L : System.nanoTime() + timeoutNanos;
        try {
            while (!isDone()) {
                if (timeoutNanos == 0L) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0L) {
                        node.thread = null;
                        return false;
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (Thread.interrupted()) {
                    node.thread = null;
                    throw new InterruptedException("interrupted while joining task " + this);
                }
            }
            return true;
        } finally {
            Runner.afterPark();
        }
    }

    @SuppressWarnings("unchecked")
    private T report() {
        int s = state;
        if ((s & CANCELLED) != 0) {
            throw JoinException.cancelled(id, spec.name(), (s & RUNNING) != 0);
        }
        Object o = slot;
        if (o instanceof Failure f) {
            throw JoinException.failed(id, spec.name(), f.cause);
        }
        return (T) o;
    }

    @Override
    public boolean cancel() {
        for (;;) {
            int s = state;
            if ((s & (DONE | CANCELLED)) != 0) {
                return false;
            }
            if ((s & PHASE) == NEW) {
                if (STATE.compareAndSet(this, s, s | DONE | CANCELLED)) {
                    slot = null;
                    finish();
                    return true;
                }
            } else if (STATE.compareAndSet(this, s, s | CANCELLED | INTERRUPTING)) {
                try {
                    interruptRunner();
                } finally {
                    STATE.getAndBitwiseAnd(this, ~INTERRUPTING);
                }
                return true;
            }
        }
    }

    /**
     * Interrupts the thread running the body. The claimer publishes its thread just after the
     * claim, so a cancel that comes in between waits for it; the runner cannot end the task
     * meanwhile (INTERRUPTING holds it in RUNNING).
     */
    private void interruptRunner() {
        for (long step = 0; ; step++) {
            Thread t = (Thread) THREAD.getAcquire(this);
            if (t != null) {
                t.interrupt();
                return;
            }
            Backoff.DEFAULT.idle(step);
        }
    }

    @Override
    public boolean isDone() {
        return (state & DONE) != 0;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String name() {
        return spec.name();
    }

    // ---------------------------------------------------------------------------------------
    // Task

    @Override
    public TaskKind kind() {
        return spec.kind();
    }

    @Override
    public boolean isCancelled() {
        return (state & CANCELLED) != 0;
    }

    /** {@code #id 'name'} and the state, e.g. {@code #12 'fetch' (running)}. */
    @Override
    public String toString() {
        int s = state;
        String st = (s & DONE) != 0 ? ((s & CANCELLED) != 0 ? "cancelled" : "done")
                : (s & CANCELLED) != 0 ? "cancelling" : (s & PHASE) == NEW ? "new" : "running";
        String name = spec.name();
        return (name.isEmpty() ? "#" + id : "#" + id + " '" + name + "'") + " (" + st + ")";
    }

    /** A body's exception, kept as the outcome. */
    private record Failure(Throwable cause) {
    }

    /** A thread waiting in {@link #join()}; {@code thread} is cleared when it is woken or leaves. */
    private static final class WaitNode {
        volatile Thread thread;
        WaitNode next;

        WaitNode(Thread thread) {
            this.thread = thread;
        }
    }

    private static final VarHandle STATE;
    private static final VarHandle WAITERS;
    /**
     * The park blocker of the thread running the body ({@link java.util.concurrent.locks.LockSupport#getBlocker}),
     * or null when it is not running or not parked. For stats; it may change at once.
     */
    Object blocker() {
        Thread t = (Thread) THREAD.getAcquire(this);
        return t == null ? null : java.util.concurrent.locks.LockSupport.getBlocker(t);
    }

    private static final VarHandle THREAD;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(TaskCell.class, "state", int.class);
            WAITERS = l.findVarHandle(TaskCell.class, "waiters", WaitNode.class);
            THREAD = l.findVarHandle(TaskCell.class, "thread", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
