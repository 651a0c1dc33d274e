package dev.weft.actor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The bound of a bounded mailbox: the count of messages in it and the senders waiting for room.
 * One per bounded actor; an unbounded actor has none and pays nothing.
 *
 * <h2>The count</h2>
 * {@code count} is every message in the mailbox: queued, or set aside by a selective receive.
 * A user's send reserves a place first, by a compare-and-set that raises {@code count} only while
 * it is below {@code capacity}, then queues the message; so the count never passes the capacity
 * through sends (a CAS that fails re-reads and tries again, and one that sees the mailbox full
 * applies the {@link Overflow} policy). Messages the runtime delivers (a {@link Down}, an
 * {@link ExitSignal}, a call's reply) are counted without the check: the actor must see them
 * however full it is. The consumer lowers the count by one for each message that leaves the
 * mailbox (handed to the actor, or dropped as a late reply), after it has left.
 *
 * <h2>Waiting senders ({@link Overflow#WAIT}): why none waits while there is room</h2>
 * A waiting sender adds its node to {@code waiters}, then re-reads {@code count}, and parks only
 * if the mailbox is still full. The consumer lowers {@code count}, then looks at {@code waiters}
 * and unparks the oldest (removing its node). Both write then read volatile locations
 * (a Dekker pair): either the sender sees the lowered count and tries again without parking, or
 * the consumer sees its node and wakes it. A woken sender removes its node (if still queued) and
 * tries its CAS again; if another sender took the place first it waits again. A sender that gives
 * up (its time ran out, an interrupt, the actor ended) wakes the next waiter when there is room,
 * since the last wake-up may have been meant for it: a place freed is not left with nobody told
 * (a spare wake-up only makes a waiter look again). When the actor ends, {@link #endAll()} wakes every waiter, which then sees the actor dead.
 * {@code MailboxLimitStressTest} runs many waiting senders against a consumer and checks that
 * every message arrives and the count never passes the capacity.
 */
final class MailboxLimit {

    final int capacity;
    final Overflow overflow;
    /** How long a {@link Overflow#WAIT} sender waits, in nanoseconds. */
    final long waitNanos;
    private volatile int count;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    MailboxLimit(int capacity, Overflow overflow, long waitNanos) {
        this.capacity = capacity;
        this.overflow = overflow;
        this.waitNanos = waitNanos;
    }

    /** Messages in the mailbox now (exact, but it may change at once). */
    int count() {
        return count;
    }

    /** Reserves a place if there is one. Any thread. */
    boolean tryReserve() {
        for (;;) {
            int c = count;
            if (c >= capacity) {
                return false;
            }
            if (COUNT.compareAndSet(this, c, c + 1)) {
                return true;
            }
        }
    }

    /** Counts a message the runtime delivers, without the check. */
    void forceReserve() {
        COUNT.getAndAdd(this, 1);
    }

    /** Gives back a place reserved for a message that was not queued after all. */
    void unreserve() {
        release();
    }

    /** A message left the mailbox: lowers the count and wakes the oldest waiting sender. */
    void release() {
        COUNT.getAndAdd(this, -1);
        wakeOne();
    }

    private void wakeOne() {
        Waiter w = waiters.poll();
        if (w != null) {
            LockSupport.unpark(w.thread);
        }
    }

    /**
     * Waits until a place is reserved, for at most {@code waitNanos}.
     *
     * @param alive tells whether the actor still lives (a dead one frees no room)
     * @return true if a place was reserved; false if the time ran out, the caller was interrupted
     *         (its interrupt status is kept) or the actor ended
     */
    boolean awaitReserve(java.util.function.BooleanSupplier alive) {
        long deadline = System.nanoTime() + waitNanos;
        Waiter me = new Waiter(Thread.currentThread());
        for (;;) {
            waiters.add(me);
            if (tryReserve()) {
                leave(me);
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0L || Thread.currentThread().isInterrupted() || !alive.getAsBoolean()) {
                leave(me);
                return false;
            }
            LockSupport.parkNanos(this, left);
            dev.weft.sched.Scheduler.resumed(); // the worker it resumed on knows which task runs
            waiters.remove(me);
            if (tryReserve()) {
                return true;
            }
        }
    }

    /**
     * A sender stops waiting: out of the queue, and, if there is room, the next waiter is woken
     * (the wake-up may have been meant for this one; a spare one only makes a waiter look again).
     */
    private void leave(Waiter me) {
        waiters.remove(me);
        if (count < capacity) {
            wakeOne();
        }
    }

    /** The actor ended: every waiting sender wakes (and finds it dead). */
    void endAll() {
        Waiter w;
        while ((w = waiters.poll()) != null) {
            LockSupport.unpark(w.thread);
        }
    }

    /** Senders waiting now. */
    int waiting() {
        return waiters.size();
    }

    private static final class Waiter {
        final Thread thread;

        Waiter(Thread thread) {
            this.thread = thread;
        }
    }

    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(MailboxLimit.class, "count", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
