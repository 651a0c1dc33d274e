package dev.weft.io;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The uses of one file descriptor, so that it is closed only once nobody may still name it (the
 * kernel reuses a number as soon as it is closed, so a late use would reach another file).
 *
 * <h2>Protocol</h2>
 * One int: a closed bit (the sign bit) and the number of uses in progress. {@link #acquire} is a
 * CAS that adds a use and fails once the closed bit is set; {@link #release} takes a use away;
 * {@link #close} sets the closed bit (once). The descriptor is closed by whoever brings the value
 * to "closed, no uses": {@link #close} when nothing was in use (it returns true), else the
 * {@link #release} that returns true. Every step is a volatile read-modify-write on the one int, so
 * exactly one caller sees that value and no use starts after it. Used by {@link UringSocket} and
 * {@link WakeHandle}.
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
