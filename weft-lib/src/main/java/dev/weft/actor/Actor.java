package dev.weft.actor;

import dev.weft.task.CheckedRunnable;
import dev.weft.task.Task;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * What an actor does: spawn actors, send and receive messages, call and reply, link, monitor,
 * trap exits, name actors, send later. Every method acts for the calling actor (its
 * {@link #self()}); the spawn methods also work from a plain weft task (the new actor then has no
 * parent), and {@link #send}, {@link #isAlive}, {@link #exit}, {@link #whereis} work from anywhere.
 *
 * <h2>Two kinds of actor</h2>
 * A <b>process actor</b> is a body ({@link Callable} or {@link CheckedRunnable}) that loops on
 * {@link #receive()}; it runs as one pooled weft task, and holds a virtual thread only while it
 * waits. A <b>handler actor</b> ({@link Handler}) runs {@code handle(message)} once per message
 * and holds no thread at all while idle. Both have a {@link Pid}, a mailbox, links, monitors, and
 * can be supervised.
 *
 * <h2>Ends, links and monitors</h2>
 * An actor ends with an {@link Outcome}: its body returned ({@code Exit}), threw ({@code Failed}:
 * caught, never harming the worker, logged at DEBUG on {@code dev.weft.actor} only), or an exit
 * signal killed it ({@code Killed}). Links are bidirectional: an abnormal end kills every linked
 * actor, unless it traps exits, and then it gets an {@link ExitSignal} message instead; a normal
 * end kills nobody. {@code exit(pid, "kill")} kills even an actor that traps exits. A monitor is
 * one-way and delivers one {@link Down}; a monitor on an actor that has ended delivers it at once.
 *
 * <p>A kill takes effect at once on an actor waiting in {@link #receive()} (or {@link #sleep}) and
 * on an idle handler actor; a body blocked elsewhere (a sleep through {@link Task}, weft I/O, a
 * join) is interrupted; a body that computes without receiving is ended at its next receive.
 * Java cannot stop a thread that does not look. The kill unwinds the body with an
 * {@link Error} that it should not catch.
 *
 * <p>{@link #self()} and the other calls find the calling actor through the value the runtime
 * attaches to the actor's thread while its code runs (the scheduler's task-local attachment, which
 * costs no allocation and no frame per run of a handler's batch). A plain task that an actor
 * spawns and then joins may run inline, on the actor's thread, and then sees the actor as its
 * caller.
 *
 * <h2>Shutdown</h2>
 * An actor is a weft task: {@code Weft.close()} waits for actors as for any task (an actor waiting
 * in {@code receive} forever keeps it waiting), and {@code Weft.shutdownNow()} kills every actor
 * with reason {@code "shutdown"}.
 *
 * <h2>Messages</h2>
 * Plain objects, queued in send order per sender; a sealed interface of records and a
 * {@code switch} over it is the intended style. Mailboxes are unbounded by default (Erlang's
 * semantics): {@link #mailboxDepth(Pid)} shows how many messages wait; {@link #builder()} spawns
 * an actor with a bounded mailbox and an {@link Overflow} policy instead.
 */
public final class Actor {

    /** Messages a handler actor handles per batch unless given at spawn. */
    public static final int DEFAULT_THROUGHPUT = 64;

    private Actor() {
    }

    // -------------------------------------------------------------------------------------
    // Spawning

    /**
     * Spawns a process actor running {@code body}; its value is its {@link Outcome.Exit}.
     *
     * @throws IllegalStateException if the caller is neither an actor nor a weft task, or the
     *                               runtime is closed
     */
    public static Pid spawn(Callable<?> body) {
        return spawnProc(body, 0, false, null, "Actor.spawn").pid;
    }

    /** Like {@link #spawn(Callable)}, for a body without a value. */
    public static Pid spawn(CheckedRunnable body) {
        return spawnProc(body, 0, false, null, "Actor.spawn").pid;
    }

    /** Spawns a handler actor with {@link #DEFAULT_THROUGHPUT} messages per batch. */
    public static <M> Pid spawn(Handler<M> handler) {
        return spawn(handler, DEFAULT_THROUGHPUT);
    }

    /**
     * Spawns a handler actor that handles at most {@code throughput} messages per run before it
     * lets other tasks of its worker run.
     *
     * @throws IllegalArgumentException if {@code throughput < 1}
     */
    public static <M> Pid spawn(Handler<M> handler, int throughput) {
        return spawnProc(handler, checkThroughput(throughput), false, null, "Actor.spawn").pid;
    }

    /**
     * Spawns a process actor linked to the caller; the link exists before the body runs.
     *
     * @throws IllegalStateException if the caller is not an actor
     */
    public static Pid spawnLink(Callable<?> body) {
        return spawnProc(body, 0, true, null, "Actor.spawnLink").pid;
    }

    /** Like {@link #spawnLink(Callable)}, for a body without a value. */
    public static Pid spawnLink(CheckedRunnable body) {
        return spawnProc(body, 0, true, null, "Actor.spawnLink").pid;
    }

    /** Spawns a handler actor linked to the caller. */
    public static <M> Pid spawnLink(Handler<M> handler) {
        return spawnLink(handler, DEFAULT_THROUGHPUT);
    }

    /** Spawns a handler actor linked to the caller, with {@code throughput} messages per batch. */
    public static <M> Pid spawnLink(Handler<M> handler, int throughput) {
        return spawnProc(handler, checkThroughput(throughput), true, null, "Actor.spawnLink").pid;
    }

    /**
     * Spawns a process actor monitored by the caller; the monitor exists before the body runs.
     * {@link MonitorRef#pid()} is the new actor.
     *
     * @throws IllegalStateException if the caller is not an actor
     */
    public static MonitorRef spawnMonitor(Callable<?> body) {
        return spawnMonitored(Objects.requireNonNull(body, "body"), 0, null);
    }

    /** Like {@link #spawnMonitor(Callable)}, for a body without a value. */
    public static MonitorRef spawnMonitor(CheckedRunnable body) {
        return spawnMonitored(Objects.requireNonNull(body, "body"), 0, null);
    }

    /** Spawns a handler actor monitored by the caller. */
    public static <M> MonitorRef spawnMonitor(Handler<M> handler) {
        return spawnMonitor(handler, DEFAULT_THROUGHPUT);
    }

    /** Spawns a handler actor monitored by the caller, with {@code throughput} messages per batch. */
    public static <M> MonitorRef spawnMonitor(Handler<M> handler, int throughput) {
        return spawnMonitored(Objects.requireNonNull(handler, "handler"), checkThroughput(throughput), null);
    }

    /**
     * A builder for actors with options: a bounded mailbox with an {@link Overflow} policy, a
     * handler actor's throughput.
     */
    public static ActorBuilder builder() {
        return new ActorBuilder();
    }

    static MonitorRef spawnMonitored(Object behavior, int throughput, MailboxLimit limit) {
        Proc me = Proc.require("Actor.spawnMonitor");
        // Made with the handler's mailbox idle or before the body's task runs: nothing can end it
        // before the monitor is set but a kill, and then the monitor still reports it.
        Proc p = me.system.spawn(behavior, throughput, null, limit);
        return me.system.monitor(me, p.pid, false);
    }

    static Proc spawnProc(Object behavior, int throughput, boolean link, MailboxLimit limit, String what) {
        Objects.requireNonNull(behavior, "body");
        Proc me = link ? Proc.require(what) : Proc.current();
        ActorSystem system = me != null ? me.system : ActorSystem.current(what);
        return system.spawn(behavior, throughput, link ? me : null, limit);
    }

    static int checkThroughput(int throughput) {
        if (throughput < 1) {
            throw new IllegalArgumentException("throughput must be >= 1 message per batch, was " + throughput);
        }
        return throughput;
    }

    // -------------------------------------------------------------------------------------
    // Identity and messages

    /**
     * The calling actor's pid.
     *
     * @throws IllegalStateException if the caller is not an actor
     */
    public static Pid self() {
        return Proc.require("Actor.self").pid;
    }

    /** Whether the caller is an actor. */
    public static boolean inActor() {
        return Proc.current() != null;
    }

    /**
     * Queues {@code message} in the mailbox of {@code pid}. Lock-free; from any thread. A full
     * bounded mailbox ({@link ActorBuilder#boundedMailbox}) applies its {@link Overflow} policy.
     *
     * @return true if the message was queued; false for a pid whose actor has ended (the message
     *         is dropped), however old the pid, or a full mailbox that drops the newest
     * @throws MailboxFullException if the bounded mailbox is full and its policy is
     *                              {@link Overflow#FAIL}, or {@link Overflow#WAIT} and no room came
     *                              within its send timeout
     */
    public static boolean send(Pid pid, Object message) {
        return ActorSystem.send(pid, message, ActorSystem.USER);
    }

    /** Whether the actor of {@code pid} is alive. */
    public static boolean isAlive(Pid pid) {
        return pid.node() == ActorSystem.LOCAL_NODE && pid.system().lookup(pid) != null;
    }

    /**
     * The messages waiting for the actor of {@code pid}: queued, and set aside by a selective
     * receive; 0 for a dead actor. Exact for a bounded mailbox (a counter); for an unbounded one
     * a weakly consistent count that walks the queue (O(depth), nothing on the send path).
     */
    public static int mailboxDepth(Pid pid) {
        Proc p = pid.system().lookup(pid);
        return p == null ? 0 : p.depth();
    }

    /**
     * Takes the oldest message, waiting as long as it takes. Messages set aside by earlier
     * selective receives come first, in their order.
     *
     * @throws IllegalStateException if the caller is not a process actor
     */
    public static Object receive() {
        return Proc.require("Actor.receive").take(null, -1L, false);
    }

    /**
     * Takes the oldest message, waiting at most {@code timeout}; empty if none came in time.
     * {@link Duration#ZERO} only looks.
     */
    public static Optional<Object> receive(Duration timeout) {
        return receive(null, timeout);
    }

    /**
     * Selective receive: takes the oldest message that {@code match} accepts, waiting at most
     * {@code timeout}; empty if none came in time. The messages it passes over stay, in order, for
     * later receives. Each message is tested once per call: passed-over messages are set aside in
     * a save queue, so waiting through many messages that do not match costs one test each, not a
     * rescan of the mailbox at each arrival.
     *
     * @param match the test; null accepts every message
     */
    public static Optional<Object> receive(Predicate<Object> match, Duration timeout) {
        Proc me = Proc.require("Actor.receive");
        Object m = me.take(match, nanos(timeout), false);
        return m == Proc.NONE ? Optional.empty() : Optional.of(m);
    }

    /**
     * Waits for {@code duration}, taking no message (they stay queued). A kill ends the wait.
     * In a handler actor, the same as {@link Task#sleep}, ended early by a kill.
     */
    public static void sleep(Duration duration) {
        Proc me = Proc.require("Actor.sleep");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("sleep duration " + duration + " is negative; use a duration >= 0");
        }
        me.sleeping = true;
        try {
            if (!me.isHandler()) {
                me.take(m -> false, nanos(duration), false);
                return;
            }
            try {
                Task.sleep(duration);
            } catch (InterruptedException e) {
                me.checkKilled();
                Thread.currentThread().interrupt();
            }
        } finally {
            me.sleeping = false;
        }
    }

    /**
     * A snapshot of the caller's runtime's actors: live, parked on I/O, sleeping, restarts, the
     * largest mailbox, and per worker the actor on its CPU. From an actor or a weft task
     * ({@code Weft.actorStats()} from anywhere).
     */
    public static ActorStats stats() {
        return ActorSystem.current("Actor.stats").stats();
    }

    private static long nanos(Duration d) {
        Objects.requireNonNull(d, "timeout");
        if (d.isNegative()) {
            return 0L;
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    // -------------------------------------------------------------------------------------
    // Request and reply

    /**
     * Sends {@code request} to {@code pid} as a {@link Call} and waits for its {@link #reply}.
     * The caller monitors the target for the call's duration: a target that is not alive, or ends
     * before it replies, fails the call at once. Other messages that arrive meanwhile stay queued.
     *
     * @return the reply
     * @throws CallException        if the target is not alive ({@code Killed("noproc")} if the pid
     *                              names no actor the runtime remembers) or ended first; its
     *                              {@link CallException#outcome()} says how
     * @throws CallTimeoutException if no reply came within {@code timeout}; a reply that comes
     *                              later is dropped, never left in the caller's mailbox
     * @throws MailboxFullException if the target's bounded mailbox refused the request (any
     *                              {@link Overflow} policy: a dropped request is reported, not
     *                              waited for)
     * @throws IllegalStateException if the caller is not a process actor
     */
    public static Object call(Pid pid, Object request, Duration timeout) {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(request, "request");
        long nanos = nanos(timeout);
        Proc me = Proc.require("Actor.call");
        if (me.isHandler()) {
            throw new IllegalStateException("Actor.call is for process actors; " + me.pid
                    + " is a handler actor: send the request with self() and handle the answer as a message");
        }
        if (pid.equals(me.pid)) {
            throw new IllegalArgumentException("actor " + pid + " called itself, which cannot reply while it waits");
        }
        MonitorRef ref = pid.node() == ActorSystem.LOCAL_NODE && pid.system() == me.system
                ? me.system.monitor(me, pid, true) : null;
        if (ref == null) {
            throw new CallException("call to " + pid + ": no such actor in this runtime (noproc)", pid,
                    new Outcome.Killed("noproc"));
        }
        me.awaiting = ref;
        try {
            if (!ActorSystem.send(pid, new Call(request, me.pid, ref), ActorSystem.USER)) {
                // not queued: the target ended (its CallDown comes next) or dropped it (DROP_NEWEST)
                if (me.system.lookup(pid) != null) {
                    throw new MailboxFullException(pid, "call to " + pid + " (" + request
                            + "): its bounded mailbox is full and dropped the request (Overflow.DROP_NEWEST)");
                }
            }
            Object m = me.take(null, nanos, true);
            if (m instanceof Proc.Reply r) {
                return r.value();
            }
            if (m instanceof Proc.CallDown d) {
                throw new CallException("call to " + pid + " (" + request + ") failed: the actor "
                        + (d.outcome() instanceof Outcome.Killed k && "noproc".equals(k.reason())
                        ? "is not alive (noproc)" : "ended with " + d.outcome()), pid, d.outcome());
            }
            throw new CallTimeoutException(pid, request, timeout);
        } finally {
            me.awaiting = null;
            me.system.demonitor(ref);
        }
    }

    /**
     * Answers {@code call} with {@code response}. Any thread may answer, once; an answer to a
     * caller that has given up is dropped.
     *
     * @return true if the caller was alive when the answer was queued
     */
    public static boolean reply(Call call, Object response) {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(response, "response");
        return ActorSystem.send(call.from(), new Proc.Reply(call.ref, response), ActorSystem.RUNTIME);
    }

    // -------------------------------------------------------------------------------------
    // Exit signals, links, monitors

    /**
     * Sends an exit signal with {@code reason} to {@code pid}. {@code "kill"} kills it (reason
     * {@code "killed"}), even if it traps exits; otherwise an actor that traps exits gets an
     * {@link ExitSignal} message, and one that does not is killed with {@code reason}, unless the
     * reason is {@code "normal"} (then nothing happens). Sent to the caller itself, a signal that
     * kills ends it here, unwinding its body.
     *
     * @return whether the actor was alive
     */
    public static boolean exit(Pid pid, Object reason) {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(reason, "reason");
        Proc target = pid.system().lookup(pid);
        if (target == null) {
            return false;
        }
        Proc me = Proc.current();
        target.exitSignal(me == null ? null : me.pid, reason, false);
        if (target == me) {
            me.checkKilled();
        }
        return true;
    }

    /**
     * Ends the calling actor normally ({@link Outcome.Exit} with a null value): a handler actor's
     * way to stop; a process actor may return from its body instead. Unwinds the caller.
     */
    public static void stop() {
        Proc.require("Actor.stop");
        throw new Proc.Unwind(new Outcome.Exit(null));
    }

    /**
     * Links the caller and {@code pid} (both ways; linking twice is linking once). If {@code pid}
     * is not alive, the caller gets the exit signal {@code "noproc"}: an {@link ExitSignal} if it
     * traps exits, else it is killed.
     */
    public static void link(Pid pid) {
        Proc me = Proc.require("Actor.link");
        me.system.link(me, Objects.requireNonNull(pid, "pid"));
        me.checkKilled();
    }

    /** Removes the link between the caller and {@code pid}, if any. */
    public static void unlink(Pid pid) {
        Proc me = Proc.require("Actor.unlink");
        me.system.unlink(me, Objects.requireNonNull(pid, "pid"));
    }

    /**
     * Monitors {@code pid}: one {@link Down} comes when it ends, at once if it has ended (with its
     * outcome while the runtime remembers it, else {@code Killed("noproc")}).
     */
    public static MonitorRef monitor(Pid pid) {
        Proc me = Proc.require("Actor.monitor");
        return me.system.monitor(me, Objects.requireNonNull(pid, "pid"), false);
    }

    /**
     * Removes a monitor. A {@link Down} it delivered already stays in the mailbox.
     *
     * @return true if the monitor was active
     */
    public static boolean demonitor(MonitorRef ref) {
        Proc me = Proc.require("Actor.demonitor");
        return me.system.demonitor(Objects.requireNonNull(ref, "ref"));
    }

    /**
     * Sets whether the caller traps exits: exit signals then arrive as {@link ExitSignal} messages
     * (normal ends of linked actors included) instead of killing it; {@code "kill"} still kills.
     *
     * @return the previous setting
     */
    public static boolean trapExits(boolean trap) {
        Proc me = Proc.require("Actor.trapExits");
        boolean old = me.trapExits;
        me.trapExits = trap;
        return old;
    }

    // -------------------------------------------------------------------------------------
    // Names and timers

    /**
     * Registers {@code name} for {@code pid} in its runtime, until the actor ends or
     * {@link #unregister} is called.
     *
     * @throws IllegalArgumentException if the name is taken, the actor has a name already, or it
     *                                  is not alive
     */
    public static void register(String name, Pid pid) {
        Objects.requireNonNull(pid, "pid").system().register(name, pid);
    }

    /**
     * Frees {@code name} in the caller's runtime.
     *
     * @return true if it was registered
     */
    public static boolean unregister(String name) {
        return ActorSystem.current("Actor.unregister").unregister(name);
    }

    /** The live actor registered as {@code name} in the caller's runtime, if any. */
    public static Optional<Pid> whereis(String name) {
        return Optional.ofNullable(ActorSystem.current("Actor.whereis").whereis(name));
    }

    /**
     * Sends {@code message} to {@code pid} after {@code delay}, on the runtime's timer.
     *
     * @return a handle whose {@link TimerRef#cancel()} stops the message
     */
    public static TimerRef sendAfter(Pid pid, Object message, Duration delay) {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(message, "message");
        TimerRef ref = new TimerRef(pid, message);
        long now = System.nanoTime();
        long n = nanos(delay);
        long deadline = now + n;
        ref.entry(pid.system().scheduler.timer().schedule(deadline - now < 0 ? now + Long.MAX_VALUE : deadline, ref));
        return ref;
    }
}
