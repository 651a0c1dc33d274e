package dev.weft.bench.sched;

import org.HdrHistogram.Histogram;

import java.util.SplittableRandom;

/**
 * How late sleeps woke: a histogram of lateness in nanoseconds (wake-up time minus deadline, both
 * read from {@link System#nanoTime()} around the sleep call) and a count of early wake-ups (a
 * negative lateness, recorded as 0: a sleep must never return before its deadline). The deadline
 * is taken just before the call, a few nanoseconds before the implementation takes its own, so
 * lateness is if anything overstated.
 */
public final class TimerLateness {

    /** Shortest sleep, nanoseconds. */
    static final long MIN_SLEEP_NANOS = 1_000_000;
    /** Longest sleep, nanoseconds. */
    static final long MAX_SLEEP_NANOS = 5_000_000;

    /** A sleep of an implementation. */
    @FunctionalInterface
    interface Sleep {
        void sleep(long nanos) throws InterruptedException;
    }

    private final Histogram histogram = new Histogram(3);
    private long early;

    /**
     * The body of one sleeping task: {@code sleeps} sleeps of 1 to 5 ms (uniform, from a
     * generator seeded with {@code seed}), one after the other; merges what it saw into this.
     * Returns the sleeps done.
     */
    long sleeper(long seed, int sleeps, Sleep how) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(seed);
        Histogram mine = new Histogram(3);
        long mineEarly = 0;
        for (int i = 0; i < sleeps; i++) {
            long nanos = random.nextLong(MIN_SLEEP_NANOS, MAX_SLEEP_NANOS + 1);
            long deadline = System.nanoTime() + nanos;
            how.sleep(nanos);
            long late = System.nanoTime() - deadline;
            if (late < 0) {
                mineEarly++;
            }
            mine.recordValue(Math.max(0, late));
        }
        merge(mine, mineEarly);
        return sleeps;
    }

    private synchronized void merge(Histogram h, long e) {
        histogram.add(h);
        early += e;
    }

    /** The lateness recorded so far, nanoseconds (a copy). */
    public synchronized Histogram histogram() {
        return histogram.copy();
    }

    /** Sleeps that returned before their deadline. */
    public synchronized long early() {
        return early;
    }

    /** Adds everything {@code other} recorded. */
    public synchronized void add(TimerLateness other) {
        Histogram h = other.histogram();
        long e = other.early();
        histogram.add(h);
        early += e;
    }
}
