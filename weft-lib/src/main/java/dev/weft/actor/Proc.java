package dev.weft.actor;

import dev.weft.sched.Scheduler;
import dev.weft.sched.TaskCell;
import dev.weft.task.CheckedRunnable;
import dev.weft.task.JoinHandle;
import dev.weft.time.Timer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * One actor: its mailbox (inherited), its behaviour, its links and monitors, and how it ends.
 * A process actor runs its body as one pooled weft task, which parks its virtual thread in
 * {@code receive}; a handler actor has no task while idle, and its mailbox runs in batches, each a
 * pooled task spawned by the send that found it idle (see {@link Mailbox} for that protocol).
 *
 * <h2>Who touches what</h2>
 * <ul>
 *   <li>The save list, {@code awaiting}, {@code thread}: the actor's own code (the consumer).</li>
 *   <li>{@code links}, {@code monitors}, {@code dead}, {@code outcome}, {@code name}: under this
 *       object's lock. {@link #terminate} sets {@code dead} under it and takes the links and
 *       monitors out, so a link or monitor is either added before the end (and told of it) or
 *       finds the actor dead (and is told at once): none is missed or told twice.</li>
 *   <li>{@code killReason}: set once, by CAS, by whoever kills; then {@link #wakeIfWaiting()}
 *       (a posted signal, see {@link Mailbox}) and, if the body runs, a cancel of its task,
 *       which interrupts a wait outside {@code receive} (a sleep, I/O). The actor checks it at
 *       every receive and between a handler's messages.</li>
 * </ul>
 */
final class Proc extends Mailbox implements Runnable {

    /** Where failures are logged, at DEBUG: {@code dev.weft.actor}. Replaced by tests only. */
    static volatile System.Logger log = System.getLogger("dev.weft.actor");

    /** The shortest time between two walks of an unbounded mailbox for {@code dev.weft.MailboxDepth}. */
    static final long DEPTH_WALK_INTERVAL_NANOS = 1_000_000L;

    /** What {@link #take} returns when its time ran out. */
    static final Object NONE = new Object();

    final ActorSystem system;
    final Pid pid;
    /** A Callable, CheckedRunnable or Handler; cleared at the end. */
    private Object behavior;
    /** Messages per batch (handler actors); 0 for a process actor. */
    private final int throughput;
    /** The bound of a bounded mailbox; null for an unbounded one. */
    private final MailboxLimit limit;
    volatile boolean trapExits;
    /** In {@link Actor#sleep}: for {@link ActorStats#sleeping()}. */
    volatile boolean sleeping;
    /** The mailbox has passed {@link ActorEvents#MAILBOX_DEPTH} and the event was recorded. Consumer. */
    private boolean depthReported;
    /** Whether {@link #checkDepth} walked the queue yet, and when it last did (nanoTime). Consumer. */
    private boolean depthWalked;
    private long depthWalkedAt;
    private volatile Object killReason;
    /** The body's task once it runs (process), the current batch's (handler): what a kill cancels. */
    private volatile JoinHandle<?> task;
    private volatile boolean started;
    /** The process actor's virtual thread, set before its first wait. */
    private Thread thread;

    // Under this object's lock:
    private List<Pid> links;
    private List<MonitorRef> monitors;
    private volatile boolean dead;
    private Outcome outcome;
    String name;

    // The consumer's:
    private SaveNode saveHead;
    private SaveNode saveTail;
    private int saved;
    /** The monitor of the call this actor waits in, or null. */
    MonitorRef awaiting;

    Proc(ActorSystem system, Pid pid, Object behavior, int throughput, MailboxLimit limit) {
        super(throughput > 0 ? WAITING : ACTIVE);
        this.system = system;
        this.pid = pid;
        this.behavior = behavior;
        this.throughput = throughput;
        this.limit = limit;
    }

    // -------------------------------------------------------------------------------------
    // Sending (any thread)

    /**
     * A user's message: queued if the mailbox has room; a full bounded mailbox applies its
     * {@link Overflow} policy (a send to oneself never waits: it fails as under FAIL).
     *
     * @param fromTimer a {@code sendAfter} message: dropped when the mailbox is full
     * @return whether the message was queued
     */
    boolean offer(Object message, boolean fromTimer) {
        MailboxLimit l = limit;
        if (l == null) {
            post(message);
            return true;
        }
        if (!l.tryReserve()) {
            if (fromTimer || l.overflow == Overflow.DROP_NEWEST) {
                return false;
            }
            if (l.overflow == Overflow.FAIL || current() == this) {
                throw new MailboxFullException(pid, "the mailbox of " + pid + " is full (" + l.capacity
                        + " messages); the message was not queued (Overflow." + l.overflow
                        + (current() == this ? ", a send to oneself" : "") + ")");
            }
            if (!l.awaitReserve(() -> !dead)) {
                if (dead) {
                    return false;
                }
                Proc me = current();
                if (me != null) {
                    me.checkKilled();
                }
                throw new MailboxFullException(pid, "the mailbox of " + pid + " stayed full (" + l.capacity
                        + " messages) for the send timeout (" + java.time.Duration.ofNanos(l.waitNanos)
                        + ")" + (Thread.currentThread().isInterrupted() ? ", interrupted" : "")
                        + "; the message was not queued");
            }
        }
        post(message);
        return true;
    }

    /** A message the runtime delivers (a Down, an ExitSignal, a reply): never refused. */
    void deliver(Object message) {
        MailboxLimit l = limit;
        if (l != null) {
            l.forceReserve();
        }
        post(message);
    }

    /** A message has left the mailbox (handed out or dropped). Consumer. */
    private void left() {
        MailboxLimit l = limit;
        if (l != null) {
            l.release();
        }
    }

    /** The actor running on this thread, or null. */
    static Proc current() {
        return Scheduler.attachment() instanceof Proc p ? p : null;
    }

    /**
     * The actor running on this thread.
     *
     * @throws IllegalStateException naming {@code what} if the caller is not an actor
     */
    static Proc require(String what) {
        if (Scheduler.attachment() instanceof Proc p) {
            return p;
        }
        throw new IllegalStateException(what + " was called on " + Thread.currentThread() + ", which is not an"
                + " actor; call it from an actor's body (Actor.spawn, or Weft.run for the first one)");
    }

    /** The task of the body (process) or of the latest batch (handler), once one ran; for tests. */
    JoinHandle<?> lastTask() {
        return task;
    }

    /** The bound of a bounded mailbox, or null; for tests. */
    MailboxLimit limitForTests() {
        return limit;
    }

    boolean isHandler() {
        return throughput > 0;
    }

    boolean isDead() {
        return dead;
    }

    /** How it ended; null while it lives. */
    synchronized Outcome outcome() {
        return outcome;
    }

    // -------------------------------------------------------------------------------------
    // Running

    @Override
    public void run() {
        if (throughput > 0) {
            runBatch();
        } else {
            runProcess();
        }
    }

    private void runProcess() {
        thread = Thread.currentThread();
        task = TaskCell.current();
        started = true; // then the read of killReason: a kill either sees started or is seen here
        Outcome o;
        try {
            if (killReason != null) {
                throw new Unwind(new Outcome.Killed(killReason));
            }
            Object value;
            Object outer = Scheduler.attach(this);
            try {
                value = callBody();
            } finally {
                Scheduler.attach(outer);
            }
            Object k = killReason;
            o = k != null ? new Outcome.Killed(k) : new Outcome.Exit(value);
        } catch (Unwind u) {
            o = u.outcome;
        } catch (Throwable t) {
            Object k = killReason;
            o = k != null ? new Outcome.Killed(k) : new Outcome.Failed(t);
        }
        terminate(o);
    }

    private Object callBody() throws Exception {
        Object b = behavior;
        if (b instanceof Callable<?> c) {
            return c.call();
        }
        ((CheckedRunnable) b).runChecked();
        return null;
    }

    private void runBatch() {
        task = TaskCell.current();
        started = true; // then the reads of killReason: a kill either sees started or is seen here
        Object outer = Scheduler.attach(this);
        try {
            batches();
        } finally {
            Scheduler.attach(outer);
        }
    }

    @SuppressWarnings("unchecked")
    private void batches() {
        Handler<Object> h = (Handler<Object>) behavior;
        for (;;) {
            int n = 0;
            if (ActorEvents.depthEnabled()) {
                checkDepth();
            }
            try {
                for (; n < throughput; n++) {
                    Object k = killReason;
                    if (k != null) {
                        terminate(new Outcome.Killed(k));
                        return;
                    }
                    Object m = poll();
                    if (m == null) {
                        break;
                    }
                    left();
                    if (m instanceof Reply || m instanceof CallDown) {
                        continue; // late: the call it answers has ended
                    }
                    h.handle(m);
                }
            } catch (Unwind u) {
                terminate(u.outcome);
                return;
            } catch (Throwable t) {
                Object k = killReason;
                terminate(k != null ? new Outcome.Killed(k) : new Outcome.Failed(t));
                return;
            }
            if (n == throughput && (!isEmpty() || killReason != null)) {
                schedule(); // a full batch: let the worker's other tasks run before the next
                return;
            }
            if (!stillActive()) {
                return;
            }
        }
    }

    /** Starts a run of a handler actor's mailbox as a pooled task. */
    private void schedule() {
        try {
            system.scheduler.spawnCarrying(this); // counted in 'live', not in a run's tally
        } catch (IllegalStateException closed) {
            terminate(new Outcome.Killed("shutdown")); // the runtime is closed: it can run no more
        }
    }

    @Override
    void wake() {
        if (throughput > 0) {
            schedule();
        } else {
            LockSupport.unpark(thread);
        }
    }

    @Override
    boolean signalled() {
        return killReason != null;
    }

    // -------------------------------------------------------------------------------------
    // Receiving (the consumer)

    /**
     * Takes the first message that {@code match} accepts (any message if null): first among the
     * messages set aside by earlier selective receives, then from the queue, where each message is
     * tested once and set aside if it does not match. Replies and call monitors' ends are never
     * handed out: the one {@link #awaiting} waits for is returned when {@code forCall}, the
     * others are late and dropped.
     *
     * @param timeoutNanos how long to wait; 0 only looks, negative waits without limit
     * @return the message, or {@link #NONE} when the time ran out
     */
    Object take(Predicate<Object> match, long timeoutNanos, boolean forCall) {
        if (throughput > 0) {
            throw new IllegalStateException("receive and call are for process actors; " + pid
                    + " is a handler actor, which gets its messages in handle()");
        }
        checkKilled();
        if (ActorEvents.depthEnabled()) {
            checkDepth();
        }
        if (!forCall) {
            for (SaveNode prev = null, s = saveHead; s != null; prev = s, s = s.next) {
                if (match == null || match.test(s.message)) {
                    unsave(prev, s);
                    left();
                    return s.message;
                }
            }
        }
        Timer.Entry timeout = null;
        boolean interrupted = false;
        try {
            for (;;) {
                Object m = poll();
                if (m != null) {
                    if (m instanceof Reply r) {
                        left();
                        if (forCall && r.ref() == awaiting) {
                            return m;
                        }
                        continue;
                    }
                    if (m instanceof CallDown d) {
                        left();
                        if (forCall && d.ref() == awaiting) {
                            return m;
                        }
                        continue;
                    }
                    if (!forCall && matches(match, m)) {
                        left();
                        return m;
                    }
                    save(m);
                    continue;
                }
                checkKilled();
                if (timeoutNanos == 0L || (timeout != null && timeout.isFired())) {
                    return NONE;
                }
                if (timeout == null && timeoutNanos > 0L) {
                    timeout = system.scheduler.timer().schedule(saturatedAdd(System.nanoTime(), timeoutNanos),
                            this::wakeIfWaitingQuietly);
                }
                if (announceWait(timeout)) {
                    LockSupport.park(this);
                    resumed();
                    Scheduler.resumed();
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                    checkShutdown();
                }
            }
        } finally {
            if (timeout != null) {
                timeout.cancel();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Tests a message just taken from the queue; one the test throws on is kept (set aside). */
    private boolean matches(Predicate<Object> match, Object m) {
        if (match == null) {
            return true;
        }
        try {
            return match.test(m);
        } catch (RuntimeException | Error e) {
            save(m);
            throw e;
        }
    }

    /** The timer's action: a timed receive's deadline passed. */
    private void wakeIfWaitingQuietly() {
        wakeIfWaiting();
    }

    /**
     * After an interrupt seen while waiting: if it is the runtime cancelling this actor's task
     * ({@code shutdownNow}), the actor is killed with reason {@code shutdown}; a kill throws.
     * Any other interrupt is kept for the caller (restored when the receive returns) and the wait
     * goes on: receive is not interruptible.
     */
    private void checkShutdown() {
        if (killReason == null && task instanceof dev.weft.task.Task cell && cell.isCancelled()) {
            KILL.compareAndSet(this, null, "shutdown");
        }
        checkKilled();
    }

    /** Throws the unwinding that ends the actor if it has been killed. The actor's own code only. */
    void checkKilled() {
        Object k = killReason;
        if (k != null) {
            throw new Unwind(new Outcome.Killed(k));
        }
    }

    private void save(Object m) {
        SaveNode s = new SaveNode(m);
        if (saveTail == null) {
            saveHead = s;
        } else {
            saveTail.next = s;
        }
        saveTail = s;
        saved++;
    }

    private void unsave(SaveNode prev, SaveNode s) {
        if (prev == null) {
            saveHead = s.next;
        } else {
            prev.next = s.next;
        }
        if (saveTail == s) {
            saveTail = prev;
        }
        saved--;
    }

    /**
     * Records {@code dev.weft.MailboxDepth} once when the mailbox has passed the threshold, and
     * re-arms once it is below. Called by the consumer at each receive and batch while a recording
     * wants the event. An unbounded mailbox has no count, so the depth is a walk of its queue that
     * stops at the threshold: that walk runs at most once per {@link #DEPTH_WALK_INTERVAL_NANOS}
     * per actor, so that a deep mailbox costs its consumer a bounded share of its time (a walk of
     * up to the threshold every few batches of a deep mailbox took most of it), at the price of
     * seeing the passing up to that interval late.
     */
    private void checkDepth() {
        int limitDepth = ActorEvents.MAILBOX_DEPTH;
        MailboxLimit l = limit;
        if (l == null) {
            long now = System.nanoTime();
            if (depthWalked && now - depthWalkedAt < DEPTH_WALK_INTERVAL_NANOS) {
                return;
            }
            depthWalked = true;
            depthWalkedAt = now;
        }
        int d = l != null ? l.count() : saved + queuedUpTo(limitDepth);
        if (d >= limitDepth) {
            if (!depthReported) {
                depthReported = true;
                ActorEvents.depth(pid, d);
            }
        } else {
            depthReported = false;
        }
    }

    /** Messages waiting for this actor: queued and set aside. Weakly consistent, any thread. */
    int depth() {
        MailboxLimit l = limit;
        return l != null ? l.count() : queued() + saved;
    }

    private static long saturatedAdd(long now, long nanos) {
        long sum = now + nanos;
        return sum - now < 0 ? now + Long.MAX_VALUE : sum;
    }

    // -------------------------------------------------------------------------------------
    // Signals

    /**
     * Ends the actor with {@code Killed(reason)} as soon as it can: at once if it waits in
     * receive or is an idle handler; a body that waits elsewhere is interrupted; a body that
     * computes is ended at its next receive. Any thread.
     */
    void kill(Object reason) {
        if (!KILL.compareAndSet(this, null, reason)) {
            return; // killed already: the first reason stands
        }
        if (wakeIfWaiting()) {
            return;
        }
        if (started && current() != this) {
            JoinHandle<?> t = task;
            if (t != null) {
                t.cancel();
            }
        }
    }

    /**
     * An exit signal with {@code reason} from {@code from}: the untrappable {@code "kill"} kills
     * with reason {@code "killed"}; to an actor that traps exits it is an {@link ExitSignal}
     * message; otherwise a normal reason is ignored and any other kills.
     *
     * @param linked whether it comes from a linked actor's end ({@code reason} is its outcome)
     */
    void exitSignal(Pid from, Object reason, boolean linked) {
        if (!linked && "kill".equals(reason)) {
            kill("killed");
        } else if (trapExits) {
            deliver(new ExitSignal(from, reason));
        } else if (!isNormal(reason)) {
            kill(reason instanceof Outcome.Killed k ? k.reason() : reason);
        }
    }

    static boolean isNormal(Object reason) {
        return reason instanceof Outcome.Exit || "normal".equals(reason);
    }

    // -------------------------------------------------------------------------------------
    // Links and monitors

    /** Adds a link to {@code other}; false if this actor has ended. Caller holds this lock. */
    boolean addLinkLocked(Pid other) {
        if (dead) {
            return false;
        }
        if (links == null) {
            links = new ArrayList<>(2);
        }
        if (!links.contains(other)) {
            links.add(other);
        }
        return true;
    }

    synchronized void removeLink(Pid other) {
        if (links != null) {
            links.remove(other);
        }
    }

    /** Adds a monitor on this actor; false if it has ended. */
    synchronized boolean addMonitor(MonitorRef ref) {
        if (dead) {
            return false;
        }
        if (monitors == null) {
            monitors = new ArrayList<>(2);
        }
        monitors.add(ref);
        return true;
    }

    synchronized boolean removeMonitor(MonitorRef ref) {
        return monitors != null && monitors.remove(ref);
    }

    synchronized List<Pid> linksSnapshot() {
        return links == null ? List.of() : List.copyOf(links);
    }

    /**
     * Ends the actor with {@code o}, once: frees its slot (leaving its outcome there), tells its
     * linked actors and its monitors, unregisters its name. Any thread; later calls do nothing.
     */
    void terminate(Outcome o) {
        List<Pid> ls;
        List<MonitorRef> ms;
        String n;
        synchronized (this) {
            if (dead) {
                return;
            }
            outcome = o;
            dead = true;
            ls = links;
            ms = monitors;
            n = name;
            links = null;
            monitors = null;
        }
        if (limit != null) {
            limit.endAll();
        }
        behavior = null;
        thread = null;
        task = null;
        saveHead = saveTail = null;
        ActorEvents.exit(pid, o);
        if (o instanceof Outcome.Failed f) {
            System.Logger l = log;
            if (l.isLoggable(System.Logger.Level.DEBUG)) {
                l.log(System.Logger.Level.DEBUG, "actor " + pid + " failed", f.cause());
            }
        }
        if (n != null) {
            system.unregister(n, pid);
        }
        system.table.release(pid.slot(), new SlotTable.Tombstone(pid.generation(), o));
        if (ls != null) {
            for (Pid p : ls) {
                Proc other = system.lookup(p);
                if (other != null) {
                    other.removeLink(pid);
                    other.exitSignal(pid, o, true);
                }
            }
        }
        if (ms != null) {
            for (MonitorRef m : ms) {
                Proc w = system.lookup(m.watcher);
                if (w != null) {
                    w.deliver(m.forCall ? new CallDown(m, o) : new Down(m, pid, o));
                }
            }
        }
        system.ended();
    }

    @Override
    public String toString() {
        return "actor " + pid;
    }

    /** A message set aside by a selective receive. */
    private static final class SaveNode {
        final Object message;
        SaveNode next;

        SaveNode(Object message) {
            this.message = message;
        }
    }

    /** Unwinds an actor's stack to its end with {@code outcome}: a kill seen, or {@link Actor#stop()}. */
    static final class Unwind extends Error {
        final transient Outcome outcome;

        Unwind(Outcome outcome) {
            super(outcome.toString(), null, false, false);
            this.outcome = outcome;
        }
    }

    /** The answer to a {@link Call}: to the caller, matched by the call's monitor. */
    record Reply(MonitorRef ref, Object value) {
    }

    /** The end of an actor called by {@link Actor#call}: to the caller, matched likewise. */
    record CallDown(MonitorRef ref, Outcome outcome) {
    }

    private static final VarHandle KILL;

    static {
        try {
            KILL = MethodHandles.lookup().findVarHandle(Proc.class, "killReason", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
