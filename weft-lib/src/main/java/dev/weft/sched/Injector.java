package dev.weft.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * The scheduler's global injector queue: an unbounded FIFO of runnable tasks that any thread may
 * push and that workers take from, one worker at a time. Tasks arrive here from threads that are
 * not workers (a submission from outside the runtime, the timer thread waking a task) and from
 * workers whose ring is full ({@link RunQueue#pushOrOverflow} moves half of it here). A worker
 * looks here when its own ring is empty, before it steals, and once more before it sleeps (see
 * {@link Worker}).
 *
 * <h2>Implementation overview</h2>
 *
 * <b>List.</b> A singly linked list of small nodes, each holding one task, after Dmitry Vyukov's
 * multi-producer single-consumer queue. {@code head} points at a <i>sentinel</i>: the node whose
 * task was taken last (at first, a node that never held one). The queued tasks are those of the
 * nodes after the sentinel, oldest first. {@code tail} points at the node pushed last (the
 * sentinel when nothing was ever pushed or everything was taken). A push links its node after
 * the previous tail in two steps, so for a moment the list is broken in two: the node that was
 * the tail has no {@code next} yet while the new tail already is the tail.
 *
 * <p><b>Who writes what.</b>
 * <ul>
 *   <li>{@code tail}: producers, only by {@code getAndSet}. Each push swaps its node in and so
 *       receives the node it comes after.</li>
 *   <li>{@code node.next}: written once, by the producer of the following node, with a release
 *       store (null to that node); later, once, by the consumer that took the following node's
 *       task, which links the node to itself (see <i>Garbage</i>).</li>
 *   <li>{@code node.item}: written by its producer before the node is published; cleared by the
 *       consumer that takes the task.</li>
 *   <li>{@code consuming}: 0 or 1, the consumer flag. A worker takes it with one CAS from 0 to 1
 *       and gives it back with a release store of 0. Workers never wait for it: a worker that
 *       finds it taken returns at once (another worker is draining the injector right now) and
 *       goes on to steal.</li>
 *   <li>{@code head}: only the worker that holds the flag, with a release store. Workers read it
 *       (acquire) before they take the flag, to see whether anything is linked at all;
 *       {@link #isEmpty} reads it (volatile) on any thread.</li>
 * </ul>
 *
 * <h2>Operations and their transitions</h2>
 * <ul>
 *   <li><b>push</b> (any thread): allocate node {@code n} holding the task;
 *       {@code prev = getAndSet(tail, n)}; release-store {@code prev.next = n}. Between the two
 *       steps the push is <i>in flight</i>: {@code n} is the tail, but no consumer can reach it,
 *       nor any node pushed after it, until the link is stored.</li>
 *   <li><b>poll</b> (a worker): read {@code head} and its {@code next} (acquire): null means no
 *       linked task, return null without touching the flag. Otherwise CAS the flag from 0 to 1;
 *       on failure return null. Holding the flag: {@code h = head}, {@code n = h.next}; if null,
 *       release the flag and return null. Else take {@code n.item}, clear it, link {@code h} to
 *       itself, release-store {@code head = n} ({@code n} is the new sentinel), release the
 *       flag.</li>
 *   <li><b>pollInto</b> (a worker, into its own ring): as poll, but walks up to {@code max}
 *       linked nodes under one flag acquisition. For each node it first pushes the task into the
 *       ring, and only if the ring took it clears the node and moves on; a full ring stops the
 *       walk with the task still queued here. {@code head} is stored once, at the end.</li>
 *   <li><b>isEmpty</b> (any thread): {@code head == tail}, reading {@code head} first.</li>
 * </ul>
 * Linearization points: a push at its {@code getAndSet} (the order of the swaps is the order of
 * the queue, across all producers; each producer's pushes are in its program order); a task's
 * removal at the {@code head} store that passes it; {@code isEmpty} at its read of {@code tail}.
 * A bare poll that returns null has no such point (next section); a worker's "poll, and if that
 * returns null, isEmpty" does, and is a linearizable FIFO poll: {@code InjectorLincheckTest}
 * checks that.
 *
 * <h2>What poll does not promise</h2>
 * A poll that returns null does not mean the injector is empty. It returns null while another
 * worker holds the flag, and while the oldest unlinked push is in flight, even if pushes that
 * came after it have completed: their nodes hang behind the missing link. So poll is not a
 * linearizable FIFO poll, and {@link #pollInto} may move fewer tasks than were queued. The window
 * is a few instructions of the producer ({@code getAndSet}, then the link store); only a producer
 * preempted in between keeps it open longer, and then only the tasks behind its node wait, never
 * another producer. Callers treat "poll returned null but {@code isEmpty()} is false" as "look
 * again soon" (after their own ring and a steal attempt, or after a short back-off), never as
 * empty. {@link #isEmpty} is the check that decides whether a worker may sleep.
 *
 * <h2>Why isEmpty is conservative, and why no wake-up is lost</h2>
 * A node becomes the tail at its push's {@code getAndSet}, before it is linked; {@code head}
 * moves only along links, so it reaches a node only after that node was linked and its task
 * taken. Hence from a push's {@code getAndSet} until its task is taken, {@code head != tail}:
 * {@code isEmpty} returns false while any push is in flight or any task is queued, whoever holds
 * the flag. Reading {@code head} before {@code tail} makes a true answer exact: if both reads
 * return the same node, then {@code tail} did not move between them ({@code head} never passes
 * {@code tail}, and both only move forward), so the queue was empty for the whole interval.
 *
 * <p>The sleep protocol is a Dekker handshake over two locations. A worker about to sleep
 * publishes that it is sleeping, issues a full fence, then calls {@code isEmpty()}, and sleeps
 * only if it returns true. A producer pushes, then reads whether a worker sleeps, and wakes one
 * if so. The push's {@code getAndSet} is an atomic read-modify-write with volatile semantics: a
 * full fence on the producer's side, so the producer needs none of its own, and it is the very
 * write {@code isEmpty} looks at (the link store after it may become visible later; isEmpty does
 * not need it). Both reads in {@code isEmpty} are volatile. So either the worker's publication
 * comes first in the synchronization order and the producer sees it and wakes the worker, or the
 * {@code getAndSet} comes first and the worker's read of {@code tail}, which follows its fence,
 * sees the new node (or a later one) and does not sleep. It may then find poll returning null for
 * a moment (the link not yet visible): it looks again, it does not sleep.
 *
 * <h2>Why the consumer never reads a half-built node</h2>
 * The producer writes {@code n.item}, in the node's constructor, before its release store of
 * {@code prev.next = n}. The consumer reaches {@code n} only through an acquire read of
 * {@code prev.next} that returned {@code n}, so those writes happen-before its read of
 * {@code n.item}: it sees the task. The holder of the flag reads {@code head} with a plain read:
 * the previous holder wrote it before its release store of the flag, which this holder's CAS
 * read. So the flag orders successive consumers, and every plain write one holder made (cleared
 * items, self-links) is visible to the next.
 *
 * <h2>Why nothing is lost, duplicated or reordered</h2>
 * Each {@code getAndSet} returns the previous tail, so the swaps chain every node after exactly
 * one predecessor, in swap order: one list, no node skipped, no node twice. A task leaves only
 * when the flag holder moves {@code head} past its node; holders follow each other, each
 * starting from the {@code head} the previous one stored, and only move forward, so each node is
 * passed once, in list order. pollInto hands a task to the ring before it passes the node; if the
 * ring refuses it (full), the node is not passed and the task stays here. A failed attempt
 * (flag taken, nothing linked) changes nothing.
 *
 * <h2>Garbage</h2>
 * A consumer clears the item of each node it passes (it becomes the sentinel, and would
 * otherwise keep a finished task reachable until the next take) and links the old sentinel to
 * itself. No one reads an old sentinel's {@code next} again: its producer link was stored before
 * the consumer read it, and {@code head} has moved on. Self-linking keeps a node that was
 * promoted to the old generation from holding every later node alive (as
 * {@code java.util.concurrent.ConcurrentLinkedQueue} does).
 *
 * <h2>Considered and rejected</h2>
 * <ul>
 *   <li>A lock (Go's global run queue, Tokio's injector): a producer preempted while holding it
 *       stops every other producer and every consumer. Here a preempted producer stops nothing
 *       but the consumption of the tasks behind its own.</li>
 *   <li>A Michael-Scott queue (CAS on tail with helping): linearizable and lock-free for
 *       consumers too, but every push may retry under contention, which is exactly when workers
 *       overflow into the injector. {@code getAndSet} always succeeds: one atomic per push.</li>
 *   <li>Consumers racing with CAS on {@code head}: the flag instead lets its holder clear nodes and
 *       take a batch with plain writes, and a worker that loses the race has better things to do
 *       (its ring, stealing) than retry.</li>
 *   <li>Intrusive links (the next pointer inside the task): no allocation per push, but it needs
 *       a task type of the scheduler's own and a task that is in one queue at a time; the
 *       injector takes any {@code Runnable}.</li>
 * </ul>
 *
 * <h2>Costs</h2>
 * A push allocates one node (24 bytes, 16 with compact object headers) and does one
 * {@code getAndSet} and one release store. A poll on an injector with nothing linked is two
 * acquire reads on the consumer's side and no write; a successful poll adds a CAS and a release
 * store of the flag, and a release store of {@code head}. pollInto pays the flag once for up to
 * {@code max} tasks, plus one ring push per task. {@code head} and the flag (consumers) lie on
 * cache lines apart from {@code tail} (producers).
 *
 * <p>There is no {@code size()}: counting would add a contended atomic to every push, and nothing
 * needs the number yet. A worker that wants a fair share of the injector passes it as
 * {@code max}.
 */
final class Injector extends InjectorPadAfterTail {

    /** An empty injector. */
    Injector() {
        InjectorNode sentinel = new InjectorNode(null);
        head = sentinel;
        tail = sentinel;
    }

    /**
     * Adds a task at the tail. Any thread; lock-free: never waits, never fails. Its atomic swap
     * of the tail is a full fence: a producer that then reads whether a worker sleeps needs no
     * fence of its own (see the class comment).
     *
     * @throws NullPointerException if {@code task} is null
     */
    void push(Runnable task) {
        InjectorNode node = new InjectorNode(Objects.requireNonNull(task, "task"));
        InjectorNode prev = (InjectorNode) TAIL.getAndSet(this, node);
        InjectorNode.NEXT.setRelease(prev, node);
    }

    /**
     * Adds {@code tasks[0..count)} at the tail, in order, with one swap of the tail: what a full
     * run queue moves out. The nodes are linked to each other with plain stores before the swap
     * publishes the last one and the release store of the old tail's {@code next} publishes the
     * first, so a consumer that reaches the first sees the whole chain: to everyone else this is
     * one push of a longer node.
     *
     * @throws NullPointerException if a task is null (nothing is added then)
     */
    void pushAll(Runnable[] tasks, int count) {
        if (count <= 0) {
            return;
        }
        InjectorNode first = new InjectorNode(Objects.requireNonNull(tasks[0], "task"));
        InjectorNode last = first;
        for (int i = 1; i < count; i++) {
            InjectorNode node = new InjectorNode(Objects.requireNonNull(tasks[i], "task"));
            InjectorNode.NEXT.set(last, node); // plain: published by the swap and release below
            last = node;
        }
        InjectorNode prev = (InjectorNode) TAIL.getAndSet(this, last);
        InjectorNode.NEXT.setRelease(prev, first);
    }

    /**
     * Takes the oldest task. Called by workers; never waits.
     *
     * @return the task; or null if no task is linked yet or another worker is taking tasks right
     *         now. Null does not mean empty: while {@link #isEmpty} is false, look again soon.
     */
    Runnable poll() {
        if (nothingLinked() || !tryAcquireConsumer()) {
            return null;
        }
        try {
            InjectorNode h = (InjectorNode) HEAD.get(this);
            InjectorNode n = (InjectorNode) InjectorNode.NEXT.getAcquire(h);
            if (n == null) {
                return null;
            }
            Runnable task = n.item;
            n.item = null;
            InjectorNode.NEXT.set(h, h);
            HEAD.setRelease(this, n);
            return task;
        } finally {
            CONSUMING.setRelease(this, 0);
        }
    }

    /**
     * Moves the oldest tasks, up to {@code max} and up to the free space of {@code queue}, to the
     * tail of {@code queue}, keeping their order. Called by {@code queue}'s owner; never waits.
     * Like {@link #poll}, it moves nothing while another worker is taking tasks, and stops early
     * at a push in flight: fewer than asked does not mean empty.
     *
     * @return the number of tasks moved
     * @throws IllegalArgumentException if {@code max} is negative
     */
    int pollInto(RunQueue queue, int max) {
        if (max <= 0) {
            if (max < 0) {
                throw new IllegalArgumentException("pollInto max must be at least 0, was " + max);
            }
            return 0;
        }
        if (nothingLinked() || !tryAcquireConsumer()) {
            return 0;
        }
        try {
            InjectorNode cur = (InjectorNode) HEAD.get(this);
            int moved = 0;
            while (moved < max) {
                InjectorNode n = (InjectorNode) InjectorNode.NEXT.getAcquire(cur);
                // Into the ring first: if it is full, the task stays here and nothing is lost.
                if (n == null || !queue.push(n.item)) {
                    break;
                }
                n.item = null;
                InjectorNode.NEXT.set(cur, cur);
                cur = n;
                moved++;
            }
            if (moved > 0) {
                HEAD.setRelease(this, cur);
            }
            return moved;
        } finally {
            CONSUMING.setRelease(this, 0);
        }
    }

    /**
     * Whether the injector is empty and no push is in flight. Any thread. Conservative: false
     * from the moment a push swaps the tail, before its task can be polled, so a worker that
     * publishes that it sleeps, fences, and then finds this true may sleep: any later push sees
     * it sleeping. A true answer was exact at some moment during the call.
     */
    boolean isEmpty() {
        Object h = HEAD.getVolatile(this);
        return h == TAIL.getVolatile(this);
    }

    /**
     * No task linked after the head: nothing to take, so do not touch the flag. If the head read
     * is stale (a consumer moved on since), its {@code next} is not null (it was linked, then
     * self-linked), so a stale read never hides a task.
     */
    private boolean nothingLinked() {
        InjectorNode h = (InjectorNode) HEAD.getAcquire(this);
        return InjectorNode.NEXT.getAcquire(h) == null;
    }

    /** One CAS; a worker that loses does not wait (another worker is draining the injector). */
    private boolean tryAcquireConsumer() {
        return CONSUMING.compareAndSet(this, 0, 1);
    }
}

/** One queued task and the link to the next node; see {@link Injector}. */
final class InjectorNode {
    static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(InjectorNode.class, "next", InjectorNode.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The task; null once taken (and in the first sentinel). */
    Runnable item;
    /** The node pushed after this one; null until linked; this node once passed by a consumer. */
    volatile InjectorNode next;

    InjectorNode(Runnable item) {
        this.item = item;
    }
}

/*
 * The consumers' fields (head and the flag, side by side: the flag's holder writes head) and the
 * producers' tail each lie between pads at least 128 bytes long. As in RunQueue, each pad holds
 * an int so that HotSpot fills a superclass's 4-byte alignment gap with padding rather than with
 * a hot field. On JDK 25 the flag, head and tail are at offsets 144, 148 and 284; 140, 144 and
 * 280 with -XX:+UseCompactObjectHeaders; 144, 152 and 288 without compressed oops.
 */

/** Padding before {@code head}. */
abstract class InjectorPadBeforeHead {
    int p00;
    long p01, p02, p03, p04, p05, p06, p07, p08;
    long p09, p0a, p0b, p0c, p0d, p0e, p0f, p10;
}

/** The consumers' side: {@code head}, written under the flag, and the flag. */
abstract class InjectorHead extends InjectorPadBeforeHead {
    static final VarHandle HEAD;
    static final VarHandle CONSUMING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(InjectorHead.class, "head", InjectorNode.class);
            CONSUMING = l.findVarHandle(InjectorHead.class, "consuming", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The sentinel: the node whose task was taken last. */
    volatile InjectorNode head;
    /** 1 while a worker takes tasks, else 0. */
    volatile int consuming;
}

/** Padding between the consumers' and the producers' sides. */
abstract class InjectorPadBetween extends InjectorHead {
    int p20;
    long p21, p22, p23, p24, p25, p26, p27, p28;
    long p29, p2a, p2b, p2c, p2d, p2e, p2f, p30;
}

/** The producers' side: {@code tail}, swapped by every push. */
abstract class InjectorTail extends InjectorPadBetween {
    static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(InjectorTail.class, "tail", InjectorNode.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The node pushed last. */
    volatile InjectorNode tail;
}

/** Padding after {@code tail}. */
abstract class InjectorPadAfterTail extends InjectorTail {
    int p40;
    long p41, p42, p43, p44, p45, p46, p47, p48;
    long p49, p4a, p4b, p4c, p4d, p4e, p4f, p50;
}
