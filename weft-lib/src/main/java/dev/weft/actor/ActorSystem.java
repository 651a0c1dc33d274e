package dev.weft.actor;

import dev.weft.sched.Scheduler;
import dev.weft.sched.TaskTally;
import dev.weft.task.CheckedRunnable;
import dev.weft.task.JoinHandle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The actors of one runtime: their slot table, the registered names, the count of live actors
 * and the root run ({@code Weft.run}). One per scheduler, made on first use and forgotten when
 * the scheduler terminates (after ending, with reason {@code shutdown}, any actor whose task the
 * shutdown cancelled before it ran).
 *
 * <h2>The send path and other nodes</h2>
 * {@link #send} is the one place a message leaves its sender: a pid of another node would be
 * handed to a transport there. There is none today (every pid is local), so such a send is
 * refused.
 */
final class ActorSystem {

    private static final ConcurrentHashMap<Scheduler, ActorSystem> SYSTEMS = new ConcurrentHashMap<>();

    /** The local node's number in pids. */
    static final int LOCAL_NODE = 0;

    final Scheduler scheduler;
    final SlotTable table = new SlotTable();
    private final ConcurrentHashMap<String, Pid> names = new ConcurrentHashMap<>();
    private final AtomicLong refIds = new AtomicLong();
    private final AtomicLong live = new AtomicLong();
    private final LongAdder restarts = new LongAdder();
    private final AtomicBoolean rooted = new AtomicBoolean();
    private volatile Thread rootWaiter;

    private ActorSystem(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** The actor system of {@code scheduler}, made on first use. */
    static ActorSystem of(Scheduler scheduler) {
        ActorSystem s = SYSTEMS.get(scheduler);
        if (s != null) {
            return s;
        }
        boolean[] made = {false};
        s = SYSTEMS.computeIfAbsent(scheduler, k -> {
            made[0] = true;
            return new ActorSystem(k);
        });
        if (made[0]) {
            ActorSystem system = s;
            scheduler.whenTerminated(() -> {
                system.endAll();
                SYSTEMS.remove(scheduler, system);
            });
        }
        return s;
    }

    /** The actor system of the calling actor, or of the calling task's runtime. */
    static ActorSystem current(String what) {
        Proc me = Proc.current();
        return me != null ? me.system : of(Scheduler.current(what));
    }

    // -------------------------------------------------------------------------------------
    // Spawning

    /**
     * Spawns an actor running {@code behavior} (a Callable, CheckedRunnable or Handler;
     * {@code throughput} 0 for a process body), linked to {@code linkTo} if not null, before it
     * runs.
     */
    Proc spawn(Object behavior, int throughput, Proc linkTo, MailboxLimit limit) {
        return spawn(behavior, throughput, linkTo, limit, null);
    }

    /** {@link #spawn(Object, int, Proc, MailboxLimit)}; a process body's task counts in {@code tally} if not null. */
    private Proc spawn(Object behavior, int throughput, Proc linkTo, MailboxLimit limit, TaskTally tally) {
        Objects.requireNonNull(behavior, "body");
        long sg = table.allocate();
        Proc p = new Proc(this, new Pid(this, LOCAL_NODE, (int) (sg >>> 32), (int) sg), behavior, throughput, limit);
        live.incrementAndGet();
        table.put(p.pid.slot(), p);
        ActorEvents.spawn(p.pid, throughput > 0);
        if (linkTo != null) {
            // Before the body runs (its task is spawned below; a handler waits for a message).
            synchronized (linkTo) {
                synchronized (p) {
                    linkTo.addLinkLocked(p.pid);
                    p.addLinkLocked(linkTo.pid);
                }
            }
        }
        if (throughput == 0) {
            try {
                if (tally == null) {
                    scheduler.spawnCarrying(p); // counted in 'live'; its tasks count in the run's tally
                } else {
                    scheduler.spawnTallied(tally, p);
                }
            } catch (RuntimeException e) {
                p.terminate(new Outcome.Killed("shutdown"));
                throw e;
            }
        }
        return p;
    }

    /** An actor ended: one fewer live; the last wakes a root run. */
    void ended() {
        if (live.decrementAndGet() == 0) {
            Thread t = rootWaiter;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /** Live actors now. */
    long live() {
        return live.get();
    }

    /** A supervisor restarted a child. */
    void restarted() {
        restarts.increment();
    }

    /** See {@link ActorStats}: a walk of the live actors, matched to what each worker runs. */
    ActorStats stats() {
        List<long[]> workers = scheduler.stats((ws, spawnedOutside, wokenOutside, failed, timers, io, blockingParked,
                ioFailure) -> ws, (index, threadName, polled, completed, spawned, wokenInside, fromInjector, stolen,
                parks, currentTaskId, currentTaskName, runQueueLength, ioOperations, cqOverflows, cqDropped,
                stagingBytes, providedBytes) -> new long[] {index, currentTaskId, runQueueLength});
        Map<Long, Pid> running = new HashMap<>();
        for (long[] w : workers) {
            running.put(w[1], null);
        }
        long[] counts = new long[2];
        int[] largest = {0};
        Pid[] largestPid = {null};
        table.forEachLive(p -> {
            if (p.isDead()) {
                return;
            }
            JoinHandle<?> t = p.lastTask();
            if (t != null) {
                if (running.containsKey(t.id())) {
                    running.put(t.id(), p.pid);
                }
                if (scheduler.isParkedOnIo(t)) {
                    counts[0]++;
                }
            }
            if (p.sleeping) {
                counts[1]++;
            }
            int d = p.depth();
            if (largestPid[0] == null || d > largest[0]) {
                largest[0] = d;
                largestPid[0] = p.pid;
            }
        });
        List<ActorStats.Worker> list = new ArrayList<>(workers.size());
        for (long[] w : workers) {
            list.add(new ActorStats.Worker((int) w[0], running.get(w[1]), (int) w[2]));
        }
        return new ActorStats(live.get(), counts[0], counts[1], restarts.sum(), largest[0], largestPid[0], list);
    }

    /** At the scheduler's termination: an actor still counted never ran (its task was cancelled). */
    private void endAll() {
        table.forEachLive(p -> p.terminate(new Outcome.Killed("shutdown")));
    }

    // -------------------------------------------------------------------------------------
    // Finding and sending

    /** The live actor of {@code pid}, or null. */
    Proc lookup(Pid pid) {
        if (pid.system() != this) {
            return null;
        }
        Proc p = table.lookup(pid.slot(), pid.generation());
        return p == null || p.isDead() ? null : p;
    }

    /**
     * Sends {@code message} to {@code pid}: the one seam of the send path. A local pid goes to its
     * actor's mailbox; a pid of another node would go to a transport (there is none yet).
     *
     * @param kind {@link #USER} (a full bounded mailbox applies its policy), {@link #RUNTIME}
     *             (never refused) or {@link #TIMER} (dropped if the mailbox is full)
     * @return whether the message was queued
     */
    static boolean send(Pid pid, Object message, int kind) {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(message, "message");
        if (pid.node() != LOCAL_NODE) {
            return false; // the seam for a transport to other nodes
        }
        Proc p = pid.system().lookup(pid);
        if (p == null) {
            return false;
        }
        if (kind == RUNTIME) {
            p.deliver(message);
            return true;
        }
        return p.offer(message, kind == TIMER);
    }

    /** A send by user code. */
    static final int USER = 0;
    /** A message of the runtime (a reply). */
    static final int RUNTIME = 1;
    /** A {@code sendAfter} message, sent by the timer thread. */
    static final int TIMER = 2;

    /** How the actor of {@code pid} ended if the table still knows, else {@code Killed("noproc")}. */
    Outcome outcomeOf(Pid pid) {
        if (pid.system() == this && table.entry(pid.slot()) instanceof SlotTable.Tombstone t
                && t.generation() == pid.generation()) {
            return t.outcome();
        }
        Proc p = table.lookup(pid.slot(), pid.generation());
        Outcome o = p == null ? null : p.outcome();
        return o != null ? o : new Outcome.Killed("noproc");
    }

    // -------------------------------------------------------------------------------------
    // Links and monitors

    /** Links {@code me} and {@code other}; if {@code other} is dead, {@code me} gets the signal {@code noproc}. */
    void link(Proc me, Pid other) {
        if (other.equals(me.pid)) {
            return;
        }
        Proc o = lookup(other);
        if (o != null) {
            Proc first = me.pid.slot() < o.pid.slot() ? me : o;
            Proc second = first == me ? o : me;
            synchronized (first) {
                synchronized (second) {
                    if (!o.isDead() && !me.isDead()) {
                        me.addLinkLocked(other);
                        o.addLinkLocked(me.pid);
                        return;
                    }
                }
            }
        }
        me.exitSignal(other, "noproc", false);
    }

    void unlink(Proc me, Pid other) {
        me.removeLink(other);
        Proc o = lookup(other);
        if (o != null) {
            o.removeLink(me.pid);
        }
    }

    /**
     * Monitors {@code target} for {@code watcher}: when it ends (or at once if it has), the
     * watcher gets a {@link Down} ({@code forCall}: the internal end of a call instead).
     */
    MonitorRef monitor(Proc watcher, Pid target, boolean forCall) {
        Objects.requireNonNull(target, "pid");
        MonitorRef ref = new MonitorRef(refIds.incrementAndGet(), target, watcher.pid, forCall);
        Proc t = lookup(target);
        if (t == null || !t.addMonitor(ref)) {
            Outcome o = outcomeOf(target);
            watcher.deliver(forCall ? new Proc.CallDown(ref, o) : new Down(ref, target, o));
        }
        return ref;
    }

    boolean demonitor(MonitorRef ref) {
        Proc t = lookup(ref.pid());
        return t != null && t.removeMonitor(ref);
    }

    // -------------------------------------------------------------------------------------
    // Names

    void register(String name, Pid pid) {
        Objects.requireNonNull(name, "name");
        Proc p = lookup(Objects.requireNonNull(pid, "pid"));
        if (p == null) {
            throw new IllegalArgumentException("cannot register '" + name + "' for " + pid
                    + ": that actor is not alive");
        }
        synchronized (p) {
            if (p.isDead()) {
                throw new IllegalArgumentException("cannot register '" + name + "' for " + pid
                        + ": that actor is not alive");
            }
            if (p.name != null) {
                throw new IllegalArgumentException("cannot register '" + name + "' for " + pid
                        + ": it is registered as '" + p.name + "' already (one name per actor)");
            }
            Pid old = names.putIfAbsent(name, pid);
            if (old != null) {
                throw new IllegalArgumentException("the name '" + name + "' is taken by " + old
                        + "; unregister it first, or choose another");
            }
            p.name = name;
        }
    }

    boolean unregister(String name) {
        Pid pid = names.remove(Objects.requireNonNull(name, "name"));
        if (pid == null) {
            return false;
        }
        Proc p = lookup(pid);
        if (p != null) {
            synchronized (p) {
                if (name.equals(p.name)) {
                    p.name = null;
                }
            }
        }
        return true;
    }

    /** At an actor's end: its name is free again. */
    void unregister(String name, Pid pid) {
        names.remove(name, pid);
    }

    Pid whereis(String name) {
        Pid pid = names.get(Objects.requireNonNull(name, "name"));
        return pid != null && lookup(pid) != null ? pid : null;
    }

    // -------------------------------------------------------------------------------------
    // Root runs

    /**
     * Runs {@code root} (a Callable or CheckedRunnable) as an actor and waits until every actor of
     * this runtime has ended; returns the root's outcome.
     */
    Outcome run(Object root) throws InterruptedException {
        Objects.requireNonNull(root, "root");
        if (Proc.current() != null) {
            throw new IllegalStateException("Weft.run was called from actor " + Proc.current().pid
                    + ", which would wait for its own end; spawn the actor with Actor.spawn instead");
        }
        if (!rooted.compareAndSet(false, true)) {
            throw new IllegalStateException("Weft.run is already running a root actor on " + scheduler
                    + "; a runtime runs one root at a time: wait until that run returns");
        }
        try {
            Thread waiter = Thread.currentThread();
            rootWaiter = waiter;
            // Every task the root spawns, and theirs, transitively: actors' tasks and plain ones.
            TaskTally family = new TaskTally(() -> LockSupport.unpark(waiter));
            Proc p = spawn(root instanceof Callable<?> || root instanceof CheckedRunnable ? root
                    : (CheckedRunnable) ((Runnable) root)::run, 0, null, null, family);
            while (live.get() != 0 || family.live() != 0) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while Weft.run waited for actors to end ("
                            + live.get() + " alive, " + family.live() + " of the run's tasks not ended, root "
                            + p.pid + "); they go on");
                }
            }
            return p.outcome();
        } finally {
            rootWaiter = null;
            rooted.set(false);
        }
    }
}
