package dev.weft.sched;

import java.util.concurrent.locks.LockSupport;

/**
 * A virtual thread that runs task bodies: the thread a {@link dev.weft.task.TaskKind#POOLED} task
 * runs on, and the one a {@link dev.weft.task.TaskKind#DEDICATED} task has to itself.
 *
 * <h2>Why pooled runners</h2>
 * Most tasks never block. Giving each one a virtual thread of its own costs a thread object, a
 * continuation and a mount per task, which is what keeps JDK virtual threads several times slower
 * than a ForkJoinPool on fine-grained work. So a worker keeps one <i>active runner</i>: a virtual
 * thread that takes task after task from the worker's queues and calls their bodies one after
 * another, on one stack, with no thread switch between them. Only when a body parks does the task
 * need a thread of its own: the runner then simply stays with that task (its stack holds the
 * task's frames), the worker gets control back, and the next pooled task gets a new runner. This
 * is Go's hand-off of a P when a goroutine blocks, applied to virtual threads: threads are made
 * only for tasks that actually park. A runner whose task resumes and ends then becomes the
 * active runner of the worker it is on, if that worker has none; otherwise it ends.
 *
 * <h2>Protocol with the worker</h2>
 * Owner-only fields: everything here is touched only by code running on one worker's OS thread
 * at a time, the runner's own code or its worker's loop (the JDK's mount and unmount order them).
 * <ul>
 *   <li><b>Hand-off.</b> The worker's loop takes a pooled task; if it has no active runner it
 *       creates one and starts it; otherwise it stores the task in the idle runner's
 *       {@code first} and unparks it. Either way the JDK calls the scheduler's {@code execute}
 *       on the worker's own thread, which puts the continuation into the worker's hand-off slot
 *       instead of a queue, and the worker mounts it at once.</li>
 *   <li><b>Running.</b> The runner runs {@code first}, then keeps taking work through
 *       {@link Worker#findWorkWithoutSleeping()}: pooled tasks it runs itself; anything else (a
 *       resumed virtual thread, a dedicated task, or nothing) it leaves in the worker's
 *       {@code pending} slot, marks itself idle and parks, which returns control to the
 *       worker's loop. The search is the worker's own code (its queue's owner side, its driver's
 *       poll) and must not move to another worker halfway, or it would leave its find in the
 *       slot of a worker that no longer looks there: it takes no lock but in the driver, whose
 *       {@code poll} pins the runner when it takes one ({@link Driver}, {@link CarrierPin}). Every
 *       body starts with the interrupt status cleared, whichever way the runner got its task:
 *       a status that one task leaves set is never the next one's.</li>
 *   <li><b>Parked in a task.</b> When control returns to the worker and its active runner is
 *       not idle, the runner parked (or yielded) inside a task; the worker forgets it.</li>
 *   <li><b>Spurious wake-ups.</b> A pooled thread can be unparked by code that saw it earlier
 *       (a stale waiter, a late interrupt). An idle runner that wakes without a task parks again.
 *       If the worker hands it a task while it is already runnable, the unpark schedules nothing,
 *       the hand-off slot stays empty, and the worker forgets the runner: the runner finds the
 *       task in {@code first} wherever it next runs. No task is lost either way.</li>
 * </ul>
 * Runners are found from their thread through the thread's uncaught-exception handler, which is
 * the runner itself: readable from the thread with no thread-local lookup.
 */
final class Runner implements Runnable, Thread.UncaughtExceptionHandler {

    private final Scheduler scheduler;
    private final boolean dedicated;
    private Thread thread;
    private volatile TaskCell<?> first;
    /**
     * The task the worker gave this thread, whose body runs on it now. A child that a joiner
     * runs inline is not stored here but in its joiner's cell ({@link TaskCell#inlineChild()}), and
     * {@link #task()} follows that chain: a runner lives long, and under G1 a young reference
     * stored into an old object pays a store-load fence in the write barrier, two per inline
     * run when this field tracked the innermost task; the joiner's cell is usually young.
     */
    private TaskCell<?> base;
    /** Parked waiting for a task, not inside one. */
    private boolean idle;
    /** Set by the exiting worker: an idle runner ends instead of waiting for a task. */
    private boolean retired;
    private int inlineDepth;
    /**
     * What the code running on this thread attached ({@link Scheduler#attach}): for instance the
     * actor whose code runs. Cleared when a body ends, so it never outlives the task that set it.
     */
    private Object attachment;

    Runner(Scheduler scheduler, TaskCell<?> first, boolean dedicated) {
        this.scheduler = scheduler;
        this.first = first;
        this.dedicated = dedicated;
    }

    /** Creates this runner's virtual thread, unstarted. */
    Thread newThread() {
        Thread t = scheduler.newVirtualThread(this); // counted among the runners until run() ends
        t.setUncaughtExceptionHandler(this);
        this.thread = t;
        return t;
    }

    Thread thread() {
        return thread;
    }

    /** The runner of the calling thread, or null. */
    static Runner current() {
        Thread t = Thread.currentThread();
        if (!t.isVirtual()) {
            return null;
        }
        Worker w = Worker.current();
        Runner active = w == null ? null : w.activeRunner;
        if (active != null && active.thread == t) {
            return active; // the common case, without the handler lookup
        }
        return t.getUncaughtExceptionHandler() instanceof Runner r ? r : null;
    }

    /** The innermost task running on this thread: the base task, or a child run inline in it. */
    TaskCell<?> task() {
        TaskCell<?> t = base;
        if (t != null) {
            for (TaskCell<?> in = t.inlineChild(); in != null; in = in.inlineChild()) {
                t = in;
            }
        }
        return t;
    }

    boolean isIdle() {
        return idle;
    }

    boolean canRunInline() {
        return inlineDepth < TaskCell.MAX_INLINE_DEPTH;
    }

    /**
     * Tells an idle runner to end: its worker is exiting, and a runner left parked would stay so
     * for good, keeping its virtual thread and the whole runtime reachable (the JDK keeps every
     * live thread in its thread dump's root container). The caller then unparks it. Worker only.
     */
    void retire() {
        retired = true;
    }

    /** See {@link Scheduler#attachment()}. This runner's own thread only. */
    Object attachment() {
        return attachment;
    }

    /** See {@link Scheduler#attach}. This runner's own thread only. @return the previous value */
    Object attach(Object value) {
        Object previous = attachment;
        attachment = value;
        return previous;
    }

    /** Hands an idle runner its next task; the caller then unparks it. Worker only. */
    void give(TaskCell<?> task) {
        first = task;
    }

    @Override
    public void run() {
        try {
            runTasks();
        } finally {
            scheduler.runnerEnded(this);
        }
    }

    /**
     * Cancels the tasks this runner holds: the one handed to it and not yet started, the one it
     * runs and the children run inline in it. From {@code shutdownNow}, on any thread: the fields
     * are read racily, and a task not yet visible here is found by the next sweep.
     */
    void cancelTasks() {
        TaskCell<?> f = first;
        if (f != null) {
            f.cancel();
        }
        for (TaskCell<?> t = base; t != null; t = t.inlineChild()) {
            t.cancel();
        }
    }

    private void runTasks() {
        TaskCell<?> t = takeFirst();
        if (t.isUnclaimed() && !t.claim()) {
            return; // a thread-factory thread whose task was cancelled before the thread started
        }
        for (;;) {
            Worker w = Worker.current();
            runBody(w, t);
            if (dedicated) {
                return;
            }
            w = Worker.current(); // the body may have parked and resumed on another worker
            if (w.activeRunner != this) {
                if (w.activeRunner != null || w.scheduler != scheduler) {
                    return; // this worker has a runner: this thread's job is done
                }
                w.activeRunner = this;
            }
            Runnable next = w.findWorkWithoutSleeping(); // cannot leave w's thread: see Running
            if (next instanceof TaskCell<?> cell && cell.taskKind() == dev.weft.task.TaskKind.POOLED) {
                if (cell.claim()) {
                    t = cell;
                    continue;
                }
                next = null; // an empty entry: cancelled, or run inline by a joiner
            }
            w.pending = next;
            t = awaitTask();
            if (t == null) {
                return; // retired by its worker, which is exiting
            }
        }
    }

    private TaskCell<?> takeFirst() {
        TaskCell<?> t = first;
        first = null;
        return t;
    }

    /**
     * Parks until the worker hands over a task (spurious wake-ups park again), or retires this
     * runner: then null.
     */
    private TaskCell<?> awaitTask() {
        for (;;) {
            TaskCell<?> t = first;
            if (t != null) {
                first = null;
                idle = false;
                return t;
            }
            if (retired) {
                return null;
            }
            idle = true;
            Thread.interrupted(); // a stale interrupt would turn park into a spin
            LockSupport.park(this);
        }
    }

    /**
     * Runs a claimed task's body on this thread, on worker {@code w}, with the interrupt status
     * cleared: a pooled thread may come from a task that ended interrupted (one that restored an
     * interrupt it caught, or was interrupted by code outside weft), and that status is not the
     * next task's. A cancel of {@code t} cannot be lost to this clear: it interrupts only the
     * thread that {@code t} publishes as its runner when its body starts, after this.
     */
    private void runBody(Worker w, TaskCell<?> t) {
        Thread.interrupted();
        base = t;
        w.startSlice(t);
        t.runClaimed();
        base = null;
        attachment = null; // a body that attached and did not restore leaves nothing for the next
    }

    /** Runs {@code t}, claimed by a joiner on this thread, inline, then goes back to the joiner. */
    void runInline(TaskCell<?> t) {
        TaskCell<?> outer = task();
        boolean outerInterrupted = Thread.interrupted();
        inlineDepth++;
        if (outer != null) {
            outer.inlineChild(t);
        } else {
            base = t;
        }
        Worker w = Worker.current();
        if (w != null) {
            w.startSlice(t);
        }
        try {
            t.runClaimedForJoiner();
        } finally {
            inlineDepth--;
            if (outer != null) {
                outer.inlineChild(null);
            } else {
                base = null;
            }
            w = Worker.current();
            if (w != null) {
                w.resumed(outer);
            }
            if (outerInterrupted || (outer != null && outer.isCancelled())) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** After a weft wait resumed the calling task: tell its (maybe new) worker what runs. */
    static void afterPark() {
        Runner r = current();
        Worker w = Worker.current();
        if (r != null && w != null) {
            w.resumed(r.task());
        }
    }

    /** A runner's own code never throws; if it ever does, say so instead of dying silently. */
    @Override
    public void uncaughtException(Thread t, Throwable e) {
        System.err.println("weft: runner thread " + t + " failed; this is a bug in weft");
        e.printStackTrace();
    }
}
