package dev.weft.actor;

import dev.weft.idle.Backoff;
import dev.weft.time.Timer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An actor's mailbox: a lock-free multi-producer, single-consumer queue of messages, and the
 * word that says whether its one consumer is waiting for a message. Every actor is one of these
 * ({@link Proc} extends it), so a send touches one object besides its new node.
 *
 * <h2>The queue</h2>
 * An intrusive linked list with a stub (the shape of Vyukov's MPSC queue). {@code head} is the
 * last node the consumer took, whose message has been handed out; {@code tail} the newest node.
 * <ul>
 *   <li><b>Send</b> (any thread): make a node; swap {@code tail} to it ({@code getAndSet}, the one
 *       atomic operation of a send); link the previous tail's {@code next} to it (a release store).
 *       Each swap hands its caller a distinct predecessor, so sends never conflict beyond the
 *       swap, and the list order is the swap order: the order of sends from any one thread is
 *       kept.</li>
 *   <li><b>Take</b> (the consumer only): read {@code head.next} (acquire); if set, it becomes the
 *       new {@code head}, and its message is handed out and cleared from it. Between a sender's
 *       swap and its link, {@code tail != head} while {@code head.next} is still null: the
 *       consumer then waits for the link, which is the sender's very next store.</li>
 *   <li><b>Depth</b> (any thread): the nodes from {@code head} to the end of the list, counted by a
 *       walk: weakly consistent, O(depth), and nothing on the send path. Messages the consumer
 *       set aside in a selective receive are counted by {@link Proc}.</li>
 * </ul>
 *
 * <h2>Waiting: states and the pending wake-up</h2>
 * {@code state} is {@link #ACTIVE} or {@link #WAITING}. The consumer alone stores
 * {@code WAITING}; the consumer, or one producer by a compare-and-set from {@code WAITING}, stores
 * {@code ACTIVE}. The producer whose CAS wins owns the wake-up and calls {@link #wake()}: for a
 * process actor an unpark of its virtual thread, for a handler actor a new run of its mailbox on
 * the scheduler. A successful CAS is the "pending unpark" flag: it is set once per wait, so a
 * burst of sends to a waiting actor wakes it once, and sends to an active one wake nothing.
 * <pre>
 *   ACTIVE ──consumer: nothing to take, announces the wait──▶ WAITING
 *   WAITING ──consumer: re-check finds a message or a signal──▶ ACTIVE (CAS; it runs on)
 *   WAITING ──producer (a send, a signal, a timer): CAS──▶ ACTIVE, then wake()
 *   WAITING ──consumer, after its park returns for any reason──▶ ACTIVE (process actors)
 * </pre>
 *
 * <h2>Why no wake-up is lost</h2>
 * A Dekker pair, every access volatile (sequentially consistent):
 * <ul>
 *   <li>Consumer: store {@code state = WAITING}; then read {@code tail} and the signal word
 *       ({@link #signalled()}); wait only if {@code tail == head} and no signal is posted.</li>
 *   <li>Producer: swap {@code tail} (or post the signal); then read {@code state}; wake the
 *       consumer if it reads {@code WAITING} and wins the CAS.</li>
 * </ul>
 * In any interleaving one side sees the other: either the consumer sees the new tail (it does
 * not wait, and takes the message once the link lands), or the producer reads {@code WAITING}
 * (or a later value) and wakes it. The read is of {@code tail}, not of {@code head.next}: the swap
 * is the producer's first write, and a read of {@code next} could miss a link that is not yet
 * visible while the producer's read of {@code state} passed it (store-load reordering). A
 * process actor parks with {@link java.util.concurrent.locks.LockSupport}, whose permit keeps an
 * unpark that comes before the park: the park then returns at once. A wake-up that finds the
 * consumer already running (it re-checked and took the state back, or its park returned early)
 * leaves at most a spare permit, and every weft wait re-checks its condition after a park.
 * A handler actor's producer that wins the CAS starts a new run, and a consumer that finds a
 * message after announcing the wait runs on only if its own CAS wins; so exactly one run of the
 * mailbox is ever going on.
 *
 * <h2>Young references on the hot path</h2>
 * A send stores a new node into {@code tail} and the previous node's {@code next}; a take stores
 * a node into {@code head}. Those are the only stores a message makes into the long-lived actor,
 * and they are inherent to a queue whose depth is unbounded: a ring of preallocated slots would
 * store the young message into an old array instead. The nodes carry no other reference.
 *
 * <p>{@code MailboxStressTest} races sends against parks (ping-pong: every hand-off is such a
 * race, and a lost wake-up stalls it), and {@code MailboxLincheckTest} model-checks the queue
 * and the state word.
 */
abstract class Mailbox {

    /** The consumer runs, or will look at the queue again before it waits. */
    static final int ACTIVE = 0;
    /** The consumer waits (or is about to): a producer must wake it. */
    static final int WAITING = 1;

    /** Newest node; swapped by producers. */
    private volatile Node tail;
    /** The node last taken (its message handed out); the consumer's alone. Racy reads by depth(). */
    private Node head;
    private volatile int state;

    Mailbox(int initialState) {
        Node stub = new Node(null);
        head = stub;
        TAIL.setRelease(this, stub);
        STATE.setRelease(this, initialState);
    }

    /** Wakes the consumer: called once per wait, by the producer that won the CAS. */
    abstract void wake();

    /**
     * Whether a signal that must end the wait is posted beside the queue (a kill). Read by the
     * consumer after it stores {@link #WAITING}; the signaller posts it, then calls
     * {@link #wakeIfWaiting()}.
     */
    abstract boolean signalled();

    // -------------------------------------------------------------------------------------
    // Producers

    /** Queues {@code message} and wakes the consumer if it waits. Any thread. */
    final void post(Object message) {
        Node n = new Node(message);
        Node prev = (Node) TAIL.getAndSet(this, n);
        NEXT.setRelease(prev, n);
        wakeIfWaiting();
    }

    /**
     * Wakes the consumer if it waits: the producer's half of the protocol, after its swap or its
     * signal. @return true if this call took the wake-up
     */
    final boolean wakeIfWaiting() {
        if (state == WAITING && STATE.compareAndSet(this, WAITING, ACTIVE)) {
            wake();
            return true;
        }
        return false;
    }

    // -------------------------------------------------------------------------------------
    // The consumer

    /** Takes the oldest message, or null if none is queued. Consumer only. */
    final Object poll() {
        Node h = head;
        Node n = (Node) NEXT.getAcquire(h);
        if (n == null) {
            if (tail == h) {
                return null;
            }
            // A sender swapped the tail and has not linked yet: its link is its next store.
            for (long step = 0; (n = (Node) NEXT.getAcquire(h)) == null; ) {
                step = Backoff.DEFAULT.idle(step);
            }
        }
        Object m = n.message;
        n.message = null;
        head = n;
        return m;
    }

    /** Whether nothing is queued (a send in progress counts as queued). Consumer only. */
    final boolean isEmpty() {
        return tail == head;
    }

    /**
     * A process actor announces a wait: stores {@link #WAITING}, then re-checks the queue, the
     * signal and {@code timeout} (whose action is {@link #wakeIfWaiting()}: a timer is one more
     * producer).
     *
     * @return true if the caller must park now; false if something came (the state is
     *         {@link #ACTIVE} again, set by this call or by a producer whose unpark leaves a spare
     *         permit)
     */
    final boolean announceWait(Timer.Entry timeout) {
        STATE.setVolatile(this, WAITING);
        if (tail == head && !signalled() && (timeout == null || !timeout.isFired())) {
            return true;
        }
        STATE.compareAndSet(this, WAITING, ACTIVE);
        return false;
    }

    /**
     * Ends a handler actor's run: announces the wait, and keeps the run going only if something
     * came and this call took the state back from {@code WAITING}.
     *
     * @return true if the caller must go on running the mailbox; false if it must stop (it is idle,
     *         or a producer won the state and has started the next run)
     */
    final boolean stillActive() {
        STATE.setVolatile(this, WAITING);
        if (tail == head && !signalled()) {
            return false;
        }
        return STATE.compareAndSet(this, WAITING, ACTIVE);
    }

    /** After a process actor's park returned, for whatever reason: it runs again. */
    final void resumed() {
        STATE.setVolatile(this, ACTIVE);
    }

    /** Whether the consumer waits; for observers (weakly consistent). */
    final boolean isWaiting() {
        return state == WAITING;
    }

    /** Messages queued and not taken: a weakly consistent count by a walk of the list. */
    final int queued() {
        int n = 0;
        for (Node x = (Node) NEXT.getAcquire(head); x != null && n < Integer.MAX_VALUE; x = (Node) NEXT.getAcquire(x)) {
            n++;
        }
        return n;
    }

    /** Messages queued, counted up to {@code max} at most (a walk that stops there). */
    final int queuedUpTo(int max) {
        int n = 0;
        for (Node x = (Node) NEXT.getAcquire(head); x != null && n < max; x = (Node) NEXT.getAcquire(x)) {
            n++;
        }
        return n;
    }

    /** One queued message. */
    static final class Node {
        Object message;
        volatile Node next;

        Node(Object message) {
            this.message = message;
        }
    }

    private static final VarHandle TAIL;
    private static final VarHandle STATE;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(Mailbox.class, "tail", Node.class);
            STATE = l.findVarHandle(Mailbox.class, "state", int.class);
            NEXT = l.findVarHandle(Node.class, "next", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
