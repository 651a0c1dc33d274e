package dev.weft.idle;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How a weft thread waits for a condition that another thread will make true: first spin (the
 * answer is usually nanoseconds away), then yield the core (the thread that will answer may need
 * it: these machines have two), then park for growing periods (the wait is long; stop burning a
 * core).
 *
 * <h2>Phases</h2>
 * A wait is a sequence of steps numbered from 0. Step {@code s} is
 * <ul>
 *   <li>{@link Phase#SPINNING} while {@code s < maxSpins}: one {@link Thread#onSpinWait()};</li>
 *   <li>{@link Phase#YIELDING} for the next {@code maxYields} steps: one {@link Thread#yield()};</li>
 *   <li>{@link Phase#PARKING} after that: {@link LockSupport#parkNanos(long)} for
 *       {@code minParkNanos << k} at the k-th parking step, capped at {@code maxParkNanos}.</li>
 * </ul>
 *
 * <h2>Why the caller holds the step</h2>
 * A {@code Backoff} is an immutable policy; the only state of a wait is its step counter, a
 * {@code long} the waiting code keeps in a local variable ({@code step = backoff.idle(step)}).
 * So one instance serves every thread, a wait allocates nothing, and there are no shared mutable
 * fields to pad against false sharing. A caller that must arrange to be woken before it parks
 * (publish "I am parked", then re-check its condition) asks {@link #parks(long)} first.
 *
 * <h2>Waking</h2>
 * A park can return early: on {@link LockSupport#unpark(Thread)}, on interrupt, or spuriously.
 * Every caller re-checks its condition in a loop. A caller that parks relying on an unpark must
 * follow a no-lost-wake-up protocol of its own (see {@code dev.weft.device.BatchChannel}); the
 * capped park period is a safety net, not the wake-up mechanism. An interrupted thread returns
 * from park at once, so a caller that waits uninterruptibly clears the flag while it waits and
 * restores it after.
 */
public final class Backoff {

    /** The phase of one step of a wait. */
    public enum Phase { SPINNING, YIELDING, PARKING }

    /**
     * Default spin steps: long enough that a dedicated thread answering back-to-back requests
     * (a device runner, a caller waiting for its result) stays in the spin phase between them.
     * Where threads outnumber cores, spinning steals the core the awaited thread needs: configure a
     * shorter back-off there (for devices, {@code DeviceConfig.withBackoff}).
     */
    public static final int DEFAULT_MAX_SPINS = 4_096;
    /** Default yield steps before parking. */
    public static final int DEFAULT_MAX_YIELDS = 64;
    /** Default first park period: 16 µs (Linux rounds short parks up to its timer slack, ~50 µs). */
    public static final long DEFAULT_MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(16);
    /**
     * Default longest park period: 50 ms. Waiters that are woken by unpark use it as a safety net
     * only; a parked thread costs at most 20 wake-ups a second.
     */
    public static final long DEFAULT_MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** The defaults above. */
    public static final Backoff DEFAULT = new Backoff(
            DEFAULT_MAX_SPINS, DEFAULT_MAX_YIELDS, DEFAULT_MIN_PARK_NANOS, DEFAULT_MAX_PARK_NANOS);

    private final int maxSpins;
    private final int maxYields;
    private final long minParkNanos;
    private final long maxParkNanos;
    private final long firstParkStep;
    /** Parking steps after which the period has reached {@code maxParkNanos}. */
    private final int doublingsToMax;

    /**
     * @param maxSpins     spin steps before yielding, {@code >= 0}
     * @param maxYields    yield steps before parking, {@code >= 0}
     * @param minParkNanos first park period, {@code >= 1}
     * @param maxParkNanos longest park period, {@code >= minParkNanos}
     * @throws IllegalArgumentException naming the parameter and value that are out of range
     */
    public Backoff(int maxSpins, int maxYields, long minParkNanos, long maxParkNanos) {
        if (maxSpins < 0) {
            throw new IllegalArgumentException("maxSpins must be >= 0, was " + maxSpins);
        }
        if (maxYields < 0) {
            throw new IllegalArgumentException("maxYields must be >= 0, was " + maxYields);
        }
        if (minParkNanos < 1) {
            throw new IllegalArgumentException("minParkNanos must be >= 1, was " + minParkNanos);
        }
        if (maxParkNanos < minParkNanos) {
            throw new IllegalArgumentException("maxParkNanos must be >= minParkNanos ("
                    + minParkNanos + "), was " + maxParkNanos);
        }
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        this.firstParkStep = (long) maxSpins + maxYields;
        int doublings = 0;
        for (long p = minParkNanos; p < maxParkNanos; p <<= 1) {
            doublings++;
        }
        this.doublingsToMax = doublings;
    }

    /**
     * Waits once, as step {@code step} of a wait says, and returns the next step.
     *
     * @param step the step number: 0 the first time the awaited condition is found false
     * @return {@code step + 1}
     */
    public long idle(long step) {
        if (step < maxSpins) {
            Thread.onSpinWait();
        } else if (step < firstParkStep) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(this, parkNanos(step));
        }
        return step + 1;
    }

    /** Whether {@link #idle(long)} parks at this step (so the caller must be wakeable first). */
    public boolean parks(long step) {
        return step >= firstParkStep;
    }

    /** The phase of this step. */
    public Phase phase(long step) {
        return step < maxSpins ? Phase.SPINNING : step < firstParkStep ? Phase.YIELDING : Phase.PARKING;
    }

    /** The park period of a parking step, in nanoseconds. */
    public long parkNanos(long step) {
        long k = step - firstParkStep;
        if (k < 0) {
            return 0;
        }
        return k >= doublingsToMax ? maxParkNanos : Math.min(minParkNanos << k, maxParkNanos);
    }

    /** Spin steps before yielding. */
    public int maxSpins() {
        return maxSpins;
    }

    /** Yield steps before parking. */
    public int maxYields() {
        return maxYields;
    }

    /** First park period in nanoseconds. */
    public long minParkNanos() {
        return minParkNanos;
    }

    /** Longest park period in nanoseconds. */
    public long maxParkNanos() {
        return maxParkNanos;
    }

    @Override
    public String toString() {
        return "Backoff[spins=" + maxSpins + ", yields=" + maxYields + ", park=" + minParkNanos
                + ".." + maxParkNanos + " ns]";
    }
}
