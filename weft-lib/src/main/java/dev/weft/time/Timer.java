package dev.weft.time;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The runtime's timer: one daemon platform thread that runs short actions at deadlines on the
 * {@link System#nanoTime()} clock. Sleeping tasks and timeouts schedule an {@link Entry} whose
 * action unparks or interrupts a task; most timeouts are cancelled long before they fire. Any
 * thread schedules and cancels, without locks.
 *
 * <h2>Implementation overview</h2>
 *
 * <b>Entries and their states.</b> An entry holds its deadline, its action, and an {@code int}
 * state that changes once, by compare-and-set, from {@code PENDING} to either
 * <ul>
 *   <li>{@code FIRED}: by the timer thread, when the deadline has passed, <i>before</i> it runs
 *       the action (so a thread the action unparks sees {@link Entry#isFired()}); or</li>
 *   <li>{@code CANCELLED}: by {@link Entry#cancel()}, on any thread.</li>
 * </ul>
 * Both are final. Exactly one CAS from {@code PENDING} succeeds, so an entry fires at most once and
 * never after a cancel that returned true. The winner clears the entry's reference to the action,
 * so an entry kept by its caller does not keep the action's captures alive.
 *
 * <p><b>Inbox.</b> {@link #schedule} pushes the new entry onto {@code inbox}, an intrusive
 * Treiber stack linked through {@code Entry.next}: {@code next = inbox}, then CAS {@code inbox}
 * from that value to the entry, again on failure. The timer thread takes the whole stack in one
 * exchange with null. No entry is pushed twice, so a producer's CAS that succeeds found the stack
 * as it read it (no ABA). The order within the stack does not matter: the heap reorders it.
 *
 * <p><b>Heap.</b> The timer thread moves drained entries into a {@link DeadlineHeap}, which it
 * alone touches, dropping those already cancelled.
 *
 * <p><b>The timer loop.</b> Each turn: store {@code wakeAt = AWAKE}; drain the inbox; pop and fire
 * every entry whose deadline has passed, dropping cancelled ones met at the top; purge the heap
 * if it is mostly cancelled entries (below); then prepare to sleep (see <i>Why no wake-up is
 * lost</i>) and park until the earliest deadline, or without limit if the heap is empty. A park
 * that returns early, for any reason, just starts another turn. (No {@code Backoff} here: the
 * timer waits for a deadline, not for a condition to poll, and the protocol below wakes it.)
 *
 * <p><b>Cancelled entries.</b> {@code cancel} does not touch the heap: the entry waits there until
 * it reaches the top or a purge. So that 10<sup>6</sup> cancelled timeouts do not pile up, every
 * successful cancel adds one to {@code cancels}, and the timer counts in {@code cancelsSeen} the
 * cancels it has accounted for: one per cancelled entry it throws away at a drain or at the top;
 * after a purge, every cancel counted before the purge began. The difference
 * {@code cancels - cancelsSeen} estimates the cancelled entries still held, the <i>garbage</i>.
 * When the garbage exceeds half the heap, the timer purges: it compacts and rebuilds the heap in
 * O(n), paid for by the more than n/2 cancels that made the garbage. A sleeping timer must be woken
 * to purge: before it parks it publishes {@code purgeWakeAt}, the value of {@code cancels} at
 * which the garbage would exceed {@code max(heap/2, PURGE_WAKE_MIN_CANCELS)}, and the cancel that
 * brings {@code cancels} to exactly that value unparks it. So the cancelled entries held stay
 * fewer than the live ones plus {@value #PURGE_WAKE_MIN_CANCELS}, and the timer wakes to purge at
 * most once per {@value #PURGE_WAKE_MIN_CANCELS} cancels.
 *
 * <p>The estimate is off only by entries cancelled during one turn: one pushed after the turn's
 * drain and cancelled before its purge is counted by the purge and again when the next drain drops
 * it (low); one whose cancel counts only after the purge read {@code cancels} but that the purge
 * removed is counted twice the other way (high). Each purge resets the estimate to what it saw, so
 * neither error accumulates. What matters is that it never stays above the threshold with nothing
 * to purge: that would keep the timer from sleeping. (Counting only entries dropped, without the
 * reset, did exactly that for cancelled entries that never reached the heap.)
 *
 * <h2>Who writes what</h2>
 * <ul>
 *   <li>{@code inbox}: producers by CAS; the timer thread by exchange with null.</li>
 *   <li>{@code Entry.next}: the producer before its successful CAS (published by it); then the
 *       timer thread, which clears it when it drains the entry.</li>
 *   <li>{@code Entry.state}: CAS only, as above. {@code Entry.action}: set at construction,
 *       cleared by the thread whose CAS left {@code PENDING}.</li>
 *   <li>{@code wakeAt}, {@code purgeWakeAt}, {@code fired}, {@code failed}, {@code heapSize},
 *       {@code cancelsSeen} and the heap: the timer thread only.</li>
 *   <li>{@code cancels}: cancellers, by atomic add. {@code scheduled}: producers, a
 *       {@link LongAdder}. {@code closed}: {@link #close()}, and the timer thread as it ends.</li>
 * </ul>
 *
 * <h2>Why no wake-up is lost</h2>
 * {@code wakeAt} is what producers know of the timer: {@code AWAKE} while it is processing (it will
 * read the inbox again before it sleeps, so no producer needs to wake it), else the deadline it
 * sleeps until ({@code NO_DEADLINE} if none). Two Dekker pairs, all accesses volatile (sequentially
 * consistent), so in each pair at least one side sees the other:
 * <ul>
 *   <li>Timer: store {@code wakeAt = earliest deadline}; then read {@code inbox}; park only if it
 *       is empty. Producer: CAS the entry onto {@code inbox}; then read {@code wakeAt}; unpark the
 *       timer if it is not {@code AWAKE} and the new deadline is earlier ({@code NO_DEADLINE}:
 *       always). If the timer's read missed the push, the producer's read comes after the timer's
 *       store, so it sees that deadline or a later value: the same deadline (then the producer
 *       unparks if its deadline is earlier, and otherwise the timer wakes before the new deadline
 *       anyway and drains it), or {@code AWAKE} or a deadline of a later turn, whose re-read of
 *       the inbox follows the push.</li>
 *   <li>Timer: store {@code purgeWakeAt = p}; then read {@code cancels}; park only if it is below
 *       {@code p}. Canceller: add one to {@code cancels}, getting {@code c}; then read
 *       {@code purgeWakeAt}; unpark the timer if it equals {@code c}. Each value of {@code c}
 *       goes to exactly one canceller. If the timer read {@code cancels < p}, the add that makes
 *       {@code c == p} comes after that read and so reads {@code p} (or a later value, written by
 *       a timer that is awake).</li>
 * </ul>
 * {@link #close()} sets {@code closed}, then unparks; the timer reads {@code closed} before it
 * parks. An unpark that comes before the park, or while the timer is processing, leaves a permit:
 * the park returns at once and the turn re-checks everything. Spurious returns are harmless for
 * the same reason. Park returns at once while the thread's interrupt flag is set, so the timer
 * clears the flag each turn: an interrupt costs it one extra turn and nothing else.
 *
 * <h2>The clock</h2>
 * Deadlines compare as {@link System#nanoTime()} values must, by difference
 * ({@code a - b < 0}), so all deadlines pending at once must lie within 2<sup>63</sup> ns
 * (292 years) of each other. A deadline more than that far in the past looks like the far
 * future; saturate far deadlines at {@code now + Long.MAX_VALUE} rather than wrap.
 *
 * <h2>Costs</h2>
 * {@code schedule}: one allocation (an entry: 40 bytes, 32 with compact object headers), a
 * {@link LongAdder} increment, one CAS on the contended {@code inbox}, one volatile read, and an
 * unpark only when the new deadline is earlier than the one the timer sleeps until.
 * {@code cancel}: a CAS on the entry, an atomic add on {@code cancels}, a volatile read, and an
 * unpark once per {@value #PURGE_WAKE_MIN_CANCELS} or more cancels. The timer thread: O(log n)
 * per entry drained and fired, amortized O(1) per cancelled entry. {@code inbox} with
 * {@code wakeAt} (producers), and {@code cancels} with {@code purgeWakeAt} (cancellers) lie on
 * cache lines of their own.
 *
 * <h2>Considered and rejected</h2>
 * <ul>
 *   <li>A hashed timing wheel (Netty, Kafka): O(1) schedule, but it ticks. A 1 ms tick wakes the
 *       thread 1,000 times a second while anything is pending, and its precision is the tick.
 *       The heap's O(log n) is paid by the timer thread, not by the scheduling thread, and the
 *       thread sleeps exactly until the next deadline.</li>
 *   <li>Eager removal on cancel (an index per entry and a queue of cancellations for the timer
 *       thread): a second queue and a wake-up per cancel for what a purge does in bulk.</li>
 * </ul>
 */
public final class Timer extends TimerPadAfterCancels implements AutoCloseable {

    /**
     * Fewest cancels that wake a sleeping timer to purge: below that, cancelled entries wait for
     * the next wake-up for another reason, a few tens of kilobytes at most. Keeps a timer with
     * few pending entries from being woken by every other cancel.
     */
    static final int PURGE_WAKE_MIN_CANCELS = 1_024;

    /** How long {@link #close()} waits for the timer thread to end. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

    private static final VarHandle FIRED;
    private static final VarHandle FAILED;
    private static final VarHandle HEAP_SIZE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            FIRED = l.findVarHandle(Timer.class, "fired", long.class);
            FAILED = l.findVarHandle(Timer.class, "failed", long.class);
            HEAP_SIZE = l.findVarHandle(Timer.class, "heapSize", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String threadName;
    private final Thread thread;
    private final LongAdder scheduled = new LongAdder();
    private volatile boolean closed;

    // Written by the timer thread only (release), read by any (acquire or opaque).
    private long fired;
    private long failed;
    private int heapSize;

    // The timer thread's own.
    private final DeadlineHeap heap = new DeadlineHeap();
    /** Cancels accounted for: see <i>Cancelled entries</i> above. */
    private long cancelsSeen;

    /**
     * Starts the timer's thread: a daemon platform thread named {@code threadName}.
     *
     * @param threadName the thread's name; error messages name the timer by it
     */
    public Timer(String threadName) {
        this.threadName = Objects.requireNonNull(threadName, "threadName");
        this.wakeAt = NO_DEADLINE;
        this.purgeWakeAt = PURGE_WAKE_MIN_CANCELS + 1;
        // The runtime starts its timer from whichever task first sleeps: take none of its
        // inheritable thread-locals, which the timer thread would keep for the runtime's life.
        this.thread = Thread.ofPlatform().name(threadName).daemon(true)
                .inheritInheritableThreadLocals(false).unstarted(this::run);
        thread.start();
    }

    /**
     * Schedules {@code action} to run on the timer thread once {@code System.nanoTime()} has
     * reached {@code deadlineNanos}; a deadline already past fires promptly. The action must be
     * short (it delays every other entry) and should not throw; one that throws is counted in
     * {@link #failed()} and the timer goes on.
     *
     * @param deadlineNanos when to fire, on the {@link System#nanoTime()} clock (compared by
     *                      difference: see <i>The clock</i> above)
     * @param action        what to run then, on the timer thread
     * @return the entry, to cancel it or ask whether it fired
     * @throws IllegalStateException naming the timer's thread if the timer is closed
     */
    public Entry schedule(long deadlineNanos, Runnable action) {
        Objects.requireNonNull(action, "action");
        if (closed) {
            throw new IllegalStateException("timer '" + threadName + "' is closed: nothing can"
                    + " be scheduled on it any more; schedule before closing the runtime that"
                    + " owns it");
        }
        Entry entry = new Entry(this, deadlineNanos, action);
        scheduled.increment();
        Entry head;
        do {
            head = inbox;
            entry.next = head;
        } while (!INBOX.compareAndSet(this, head, entry));
        long w = wakeAt;
        if (w != AWAKE && (w == NO_DEADLINE || deadlineNanos - w < 0)) {
            LockSupport.unpark(thread);
        }
        return entry;
    }

    /**
     * Entries scheduled and neither fired nor cancelled, closed or not. Computed from three
     * counters read one after the other, so while other threads schedule, cancel or fire it is an
     * estimate; it is exact when they do not.
     */
    public int pending() {
        long f = (long) FIRED.getAcquire(this);
        long c = cancels;
        long p = scheduled.sum() - f - c; // read last: every entry fired or cancelled is in it
        return Math.clamp(p, 0, Integer.MAX_VALUE);
    }

    /** Entries whose action has run (or started to run), including those whose action threw. */
    public long fired() {
        return (long) FIRED.getAcquire(this);
    }

    /** Fired entries whose action threw. */
    public long failed() {
        return (long) FAILED.getAcquire(this);
    }

    /**
     * Stops the timer: no entry is accepted from now on, and none fires after this returns.
     * Waits up to {@link #CLOSE_WAIT} for the timer thread to end (an action that is running
     * completes first); from an action, on the timer thread itself, returns at once and the
     * thread ends after the action. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** E.g. {@code Timer['weft-timer', 3 pending, 120 fired]}. */
    @Override
    public String toString() {
        return "Timer['" + threadName + "', " + pending() + " pending, " + fired() + " fired"
                + (closed ? ", closed]" : "]");
    }

    /** Entries in the heap as of the timer's last turn, cancelled ones included. For tests. */
    int heapSize() {
        return (int) HEAP_SIZE.getOpaque(this);
    }

    // ---------------------------------------------------------------------------------------
    // Cancellers.

    /** After a successful cancel: counts it and wakes the timer to purge at the threshold. */
    private void cancelled() {
        long c = (long) CANCELS.getAndAdd(this, 1L) + 1L;
        if (c == purgeWakeAt) {
            LockSupport.unpark(thread);
        }
    }

    // ---------------------------------------------------------------------------------------
    // The timer thread.

    private void run() {
        try {
            while (!closed) {
                Thread.interrupted(); // close() is by flag and unpark; a set flag stops parks
                wakeAt = AWAKE;
                drainInbox();
                fireDue();
                purgeIfMostlyCancelled();
                HEAP_SIZE.setOpaque(this, heap.size());
                sleep();
            }
        } finally {
            closed = true; // also if an Error ended the thread: reject what would never fire
            heap.clear();
            INBOX.getAndSet(this, (Entry) null);
            HEAP_SIZE.setOpaque(this, 0);
        }
    }

    private void drainInbox() {
        if (inbox == null) {
            return;
        }
        Entry e = (Entry) INBOX.getAndSet(this, (Entry) null);
        while (e != null) {
            Entry next = e.next;
            e.next = null;
            if (e.isCancelled()) {
                cancelsSeen++;
            } else {
                heap.add(e);
            }
            e = next;
        }
    }

    private void fireDue() {
        long now = System.nanoTime();
        Entry top;
        while ((top = heap.peek()) != null) {
            if (top.isCancelled()) {
                heap.poll();
                cancelsSeen++;
                continue;
            }
            if (heap.peekDeadline() - now > 0 || closed) {
                return;
            }
            heap.poll();
            Runnable action = top.claimForFiring();
            if (action == null) { // cancelled since the check above
                cancelsSeen++;
                continue;
            }
            FIRED.setRelease(this, fired + 1);
            try {
                action.run();
            } catch (Throwable t) { // the timer serves every task: one bad action must not stop it
                FAILED.setRelease(this, failed + 1);
            }
        }
    }

    private void purgeIfMostlyCancelled() {
        long c = cancels;
        long garbage = c - cancelsSeen;
        if (garbage > 0 && garbage > heap.size() >>> 1) {
            int removed = heap.removeCancelled();
            // Every entry cancelled before c was read is out of the heap now, or in the inbox.
            cancelsSeen = Math.max(cancelsSeen + removed, c);
        }
    }

    /** Publishes what would wake the timer, re-checks, and parks until the earliest deadline. */
    private void sleep() {
        boolean empty = heap.isEmpty();
        long earliest = empty ? NO_DEADLINE : heap.peekDeadline();
        wakeAt = earliest == AWAKE ? AWAKE + 1 : earliest; // later is safe: at most an extra unpark
        long purgeAt = cancelsSeen + Math.max(heap.size() >>> 1, PURGE_WAKE_MIN_CANCELS) + 1;
        purgeWakeAt = purgeAt;
        if (inbox != null || cancels >= purgeAt || closed) {
            return;
        }
        if (empty) {
            LockSupport.park(this);
        } else {
            long delay = earliest - System.nanoTime();
            if (delay > 0) {
                LockSupport.parkNanos(this, delay);
            }
        }
    }

    /**
     * One scheduled action: see {@link Timer} for its states. Obtained from
     * {@link Timer#schedule}.
     */
    public static final class Entry {

        private static final int PENDING = 0;
        private static final int FIRED = 1;
        private static final int CANCELLED = 2;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Entry.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Timer timer;
        private final long deadlineNanos;
        /** Cleared by the thread whose CAS leaves PENDING. */
        private Runnable action;
        /** The next entry down the inbox stack; null once drained. */
        Entry next;
        private volatile int state;

        Entry(Timer timer, long deadlineNanos, Runnable action) {
            this.timer = timer;
            this.deadlineNanos = deadlineNanos;
            this.action = action;
        }

        /**
         * Stops this entry from firing, if it has not fired yet. Lock-free, O(1), any thread.
         *
         * @return true if this call stopped it; false if it had fired (or started to) or was
         *         cancelled already
         */
        public boolean cancel() {
            if (!STATE.compareAndSet(this, PENDING, CANCELLED)) {
                return false;
            }
            action = null;
            timer.cancelled();
            return true;
        }

        /**
         * Whether the timer has fired this entry: true from just before its action starts, so a
         * thread the action wakes sees true.
         */
        public boolean isFired() {
            return state == FIRED;
        }

        /** The deadline on the {@link System#nanoTime()} clock. */
        public long deadlineNanos() {
            return deadlineNanos;
        }

        boolean isCancelled() {
            return state == CANCELLED;
        }

        /** Timer thread: PENDING to FIRED. @return the action to run, or null if cancelled */
        Runnable claimForFiring() {
            if (!STATE.compareAndSet(this, PENDING, FIRED)) {
                return null;
            }
            Runnable a = action;
            action = null;
            return a;
        }

        /** E.g. {@code Timer.Entry[deadline 81234567890 ns, pending, on 'weft-timer']}. */
        @Override
        public String toString() {
            int s = state;
            return "Timer.Entry[deadline " + deadlineNanos + " ns, "
                    + (s == PENDING ? "pending" : s == FIRED ? "fired" : "cancelled")
                    + ", on '" + timer.threadName + "']";
        }
    }
}

/*
 * Producers' fields (inbox, wakeAt) and cancellers' fields (cancels, purgeWakeAt) each live on
 * cache lines of their own, between pads of 132 bytes, so that a producer's CAS does not slow a
 * cancel's add, and the timer thread's writes of its own fields (fired, the heap's pointers)
 * invalidate neither. The int in each pad fills the 4-byte gap HotSpot would otherwise give the
 * next class's first narrow field (see RunQueue).
 */

/** Padding before the producers' fields. */
abstract class TimerPadBeforeInbox {
    int p00;
    long p01, p02, p03, p04, p05, p06, p07, p08;
    long p09, p0a, p0b, p0c, p0d, p0e, p0f, p10;
}

/** The inbox and what producers read to decide whether to wake the timer. */
abstract class TimerInbox extends TimerPadBeforeInbox {
    /** {@code wakeAt} while the timer processes: producers need not wake it. */
    static final long AWAKE = Long.MIN_VALUE;
    /** {@code wakeAt} while the timer sleeps with no deadline: every producer wakes it. */
    static final long NO_DEADLINE = Long.MAX_VALUE;
    static final VarHandle INBOX;

    static {
        try {
            INBOX = MethodHandles.lookup()
                    .findVarHandle(TimerInbox.class, "inbox", Timer.Entry.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Top of the stack of scheduled entries the timer thread has not drained yet. */
    volatile Timer.Entry inbox;
    /** {@link #AWAKE}, or the deadline the timer sleeps until ({@link #NO_DEADLINE}: none). */
    volatile long wakeAt;
}

/** Padding between the producers' and the cancellers' fields. */
abstract class TimerPadBetween extends TimerInbox {
    int p20;
    long p21, p22, p23, p24, p25, p26, p27, p28;
    long p29, p2a, p2b, p2c, p2d, p2e, p2f, p30;
}

/** The cancel count and the count at which a cancel wakes the timer to purge. */
abstract class TimerCancels extends TimerPadBetween {
    static final VarHandle CANCELS;

    static {
        try {
            CANCELS = MethodHandles.lookup()
                    .findVarHandle(TimerCancels.class, "cancels", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Successful cancels, ever. */
    volatile long cancels;
    /** The value of {@link #cancels} whose canceller unparks the sleeping timer. */
    volatile long purgeWakeAt;
}

/** Padding after the cancellers' fields. */
abstract class TimerPadAfterCancels extends TimerCancels {
    int p40;
    long p41, p42, p43, p44, p45, p46, p47, p48;
    long p49, p4a, p4b, p4c, p4d, p4e, p4f, p50;
}
