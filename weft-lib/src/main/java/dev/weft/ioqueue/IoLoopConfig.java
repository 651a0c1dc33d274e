package dev.weft.ioqueue;

import dev.weft.idle.Backoff;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link IoLoop} runs.
 *
 * @param ringEntries  the SQ entries of the loop's io_uring ring, a power of two from 1 to 32,768
 *                     (default 64); its CQ has four times as many. Requests in flight are capped
 *                     at the CQ's size and at the queue's slots; a batch of claims is submitted
 *                     whenever the SQ fills
 * @param backoff      how the idle loop waits (default {@link #IDLE_BACKOFF}: spin 64 times, then
 *                     park from 10 µs, doubling to 100 µs; any request found starts it over). With
 *                     requests in flight the parks are spent waiting in the ring for a completion
 * @param drainTimeout how long {@link IoLoop#stop()} (or a fatal error) waits for the requests in
 *                     flight to complete or be cancelled (default 10 s)
 * @param threadName   the loop thread's name (default {@code weft-ioloop})
 * @param dozeAfter    how long the loop must have found nothing to do, with nothing in flight,
 *                     before it dozes (default {@link #DOZE_AFTER})
 * @param dozePeriod   how long one doze lasts unless a publication of this process ends it
 *                     (default {@link #DOZE_PERIOD}); zero: the loop never dozes, and parks by
 *                     {@code backoff} alone however long it is idle
 */
public record IoLoopConfig(int ringEntries, Backoff backoff, Duration drainTimeout, String threadName,
                           Duration dozeAfter, Duration dozePeriod) {

    /** The idle back-off: 64 spins, no yields, parks from 10 µs doubling to 100 µs. */
    public static final Backoff IDLE_BACKOFF = new Backoff(64, 0, 10_000, 100_000);

    /**
     * The default idle time before the loop dozes: 10 ms, a hundred parks at the back-off's
     * longest period.
     */
    public static final Duration DOZE_AFTER = Duration.ofMillis(10);

    /**
     * The default doze: 2 ms. A request published by another process while the loop dozes waits
     * at most this long to be claimed; one published by this process wakes the loop at once.
     */
    public static final Duration DOZE_PERIOD = Duration.ofMillis(2);

    /**
     * 64 SQ entries, {@link #IDLE_BACKOFF}, 10 s to drain, thread {@code weft-ioloop}, a doze of
     * {@link #DOZE_PERIOD} after {@link #DOZE_AFTER} idle.
     */
    public static final IoLoopConfig DEFAULT = new IoLoopConfig(64, IDLE_BACKOFF, Duration.ofSeconds(10), "weft-ioloop");

    /** A configuration with the default doze ({@link #DOZE_AFTER}, {@link #DOZE_PERIOD}). */
    public IoLoopConfig(int ringEntries, Backoff backoff, Duration drainTimeout, String threadName) {
        this(ringEntries, backoff, drainTimeout, threadName, DOZE_AFTER, DOZE_PERIOD);
    }

    /** @throws IllegalArgumentException naming the value that is out of range */
    public IoLoopConfig {
        if (ringEntries < 1 || ringEntries > 32768 || Integer.bitCount(ringEntries) != 1) {
            throw new IllegalArgumentException("ringEntries must be a power of two from 1 to 32768, was " + ringEntries
                    + "; use 64 or another power of two");
        }
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout must not be negative, was " + drainTimeout);
        }
        Objects.requireNonNull(threadName, "threadName");
        Objects.requireNonNull(dozeAfter, "dozeAfter");
        Objects.requireNonNull(dozePeriod, "dozePeriod");
        if (dozeAfter.isNegative()) {
            throw new IllegalArgumentException("dozeAfter must not be negative, was " + dozeAfter);
        }
        if (dozePeriod.isNegative()) {
            throw new IllegalArgumentException("dozePeriod must not be negative, was " + dozePeriod
                    + "; use Duration.ZERO for a loop that never dozes");
        }
    }

    /** This configuration with another ring size. */
    public IoLoopConfig withRingEntries(int ringEntries) {
        return new IoLoopConfig(ringEntries, backoff, drainTimeout, threadName, dozeAfter, dozePeriod);
    }

    /** This configuration with another back-off. */
    public IoLoopConfig withBackoff(Backoff backoff) {
        return new IoLoopConfig(ringEntries, backoff, drainTimeout, threadName, dozeAfter, dozePeriod);
    }

    /** This configuration with another drain timeout. */
    public IoLoopConfig withDrainTimeout(Duration drainTimeout) {
        return new IoLoopConfig(ringEntries, backoff, drainTimeout, threadName, dozeAfter, dozePeriod);
    }

    /** This configuration with another thread name. */
    public IoLoopConfig withThreadName(String threadName) {
        return new IoLoopConfig(ringEntries, backoff, drainTimeout, threadName, dozeAfter, dozePeriod);
    }

    /**
     * This configuration with another doze: after {@code after} idle with nothing in flight, the
     * loop parks for {@code period} at a time until it finds work or a publication of this
     * process wakes it. {@code period} zero: it never dozes.
     */
    public IoLoopConfig withDoze(Duration after, Duration period) {
        return new IoLoopConfig(ringEntries, backoff, drainTimeout, threadName, after, period);
    }
}
