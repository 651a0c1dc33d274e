package dev.weft.io;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The uses of one file descriptor, so that it is closed only once nobody may still name it (the
 * kernel reuses a number as soon as it is closed, so a late use would reach another file). Used by
 * {@link UringSocket} and {@link WakeHandle}.
 *
 * <h2>Protocol</h2>
 * <b>State:</b> one int, a closed bit (the sign bit) and the number {@code n} of uses in progress:
 * OPEN(n) is {@code n}, CLOSING(n) is {@code CLOSED | n}; CLOSING(0) is the end state, and the
 * descriptor is closed by the one caller that brings the int there.
 * <p><b>Transitions:</b>
 * <ul>
 *   <li>{@link #acquire}: OPEN(n) → OPEN(n+1) by CAS, true; on CLOSING(n) it changes nothing and
 *       returns false. It never adds a use once the closed bit is set, so the count of CLOSING
 *       only falls.</li>
 *   <li>{@link #release}: OPEN(n) → OPEN(n-1), or CLOSING(n) → CLOSING(n-1) by one
 *       {@code decrementAndGet}; it returns true exactly when its own result is CLOSING(0): that
 *       caller closes the descriptor.</li>
 *   <li>{@link #close}: OPEN(n) → CLOSING(n) by CAS, returning {@code n} (0: the caller closes the
 *       descriptor now, as no use is in progress); on CLOSING it changes nothing and returns -1.</li>
 * </ul>
 * <p><b>Ordering:</b> every step is a volatile read-modify-write of the one int, so all steps
 * are in one total order and each sees the value the previous one left. A use's accesses to the
 * descriptor lie between its acquire and its release in program order, and the closer's
 * {@code close(2)} comes after the step that reached CLOSING(0), which follows every release in
 * that order: no use touches the number after it was closed.
 * <p><b>Why no close is lost or doubled:</b> CLOSING(0) is reached exactly once, since only
 * {@code close} sets the bit (once: its CAS fails on CLOSING), and after that the count only
 * falls, to 0 exactly once. The step that reaches it, {@code close} finding OPEN(0) or the
 * {@code release} leaving CLOSING(0), is one atomic step whose result tells its caller alone; no
 * second read of the int decides it, so two callers cannot both see it, and none can miss it.
 * {@code DescriptorUsesLincheckTest} checks this (linearizable against a sequential model, no use
 * of a closed descriptor, exactly one close) and fails when the check in {@code release} reads
 * the int again, when {@code close} does not wait for uses, or when {@code acquire} adds without
 * a CAS.
 */
final class DescriptorUses {

    private static final int CLOSED = Integer.MIN_VALUE;
    private final AtomicInteger state = new AtomicInteger();

    /** Takes a use; false once closed. */
    boolean acquire() {
        for (;;) {
            int v = state.get();
            if (v < 0) {
                return false;
            }
            if (state.compareAndSet(v, v + 1)) {
                return true;
            }
        }
    }

    /** Gives a use back: true if the caller must now close the descriptor (the last use after close). */
    boolean release() {
        return state.decrementAndGet() == CLOSED;
    }

    /**
     * Sets the closed bit: -1 if it was set already, else the number of uses in progress (0: the
     * caller closes the descriptor now; otherwise the last {@link #release} tells its caller to).
     */
    int close() {
        int v;
        do {
            v = state.get();
            if (v < 0) {
                return -1;
            }
        } while (!state.compareAndSet(v, v | CLOSED));
        return v;
    }

    boolean isClosed() {
        return state.get() < 0;
    }
}
