package dev.weft.bench.sched;

import java.util.concurrent.locks.LockSupport;

/**
 * A one-slot hand-off from one sending task to one receiving task, for ping-pong: the receiver
 * parks until a value is there, the sender stores the value and unparks the receiver. weft and
 * virtual threads use this same class, so ping-pong measures what their schedulers do with a
 * park and an unpark (a task switch), and nothing else. It never spins: every receive that finds
 * the slot empty parks.
 *
 * <h2>Protocol</h2>
 * Exactly one sender and one receiver, strictly alternating (the sender does not send again
 * before the receiver took the last value; ping-pong guarantees this, as each side waits for the
 * other's reply). {@code value} is {@link #EMPTY} or the value sent; {@code receiver} is the
 * receiver while it may park, else null.
 * <ul>
 *   <li>send: write {@code value}, then read {@code receiver}; if set, unpark it.</li>
 *   <li>receive: if {@code value} is set, take it. Otherwise write {@code receiver}, then read
 *       {@code value} until it is set, parking between reads; clear {@code receiver}, take the
 *       value, write {@link #EMPTY}.</li>
 * </ul>
 * Both fields are volatile, so the sender's write-then-read and the receiver's write-then-read
 * cannot both miss the other's write: either the receiver sees the value before it parks, or the
 * sender sees the receiver and unparks it. No wake-up is lost. An unpark that arrives after the
 * receiver took the value leaves a permit that makes one later park return at once; the loop
 * re-reads {@code value}, so that is harmless.
 */
final class HandOff {

    /** The empty slot. Values sent must differ from it. */
    static final long EMPTY = Long.MIN_VALUE;

    private volatile long value = EMPTY;
    private volatile Thread receiver;

    /** Stores {@code v} (the slot must be empty) and wakes the receiver if it waits. */
    void send(long v) {
        value = v;
        Thread r = receiver;
        if (r != null) {
            LockSupport.unpark(r);
        }
    }

    /** Waits for a value, parking while there is none, and takes it. */
    long receive() {
        long v = value;
        if (v == EMPTY) {
            receiver = Thread.currentThread();
            while ((v = value) == EMPTY) {
                LockSupport.park(this);
            }
            receiver = null;
        }
        value = EMPTY;
        return v;
    }
}
