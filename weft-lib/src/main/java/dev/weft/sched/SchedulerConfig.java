package dev.weft.sched;

import dev.weft.task.UncaughtFailureHandler;

import java.util.Objects;

/**
 * What a {@link Scheduler} is built from: the part of the runtime's configuration the scheduler
 * uses. {@code dev.weft.runtime.Config} (the user's, checked there) makes one; the scheduler sits
 * below the runtime and does not see the user's record.
 *
 * @param workers                how many workers, at least 1
 * @param threadNamePrefix       workers are {@code <prefix>-<i>}; the timer, the blocking pool and
 *                               the stopper thread are named from it too
 * @param timesliceNanos         how long a task runs before {@code Task.check()} yields, positive
 * @param blockingThreads        the most threads of the blocking pool, at least 1
 * @param uncaughtFailureHandler gets the failures nobody joins
 */
public record SchedulerConfig(int workers, String threadNamePrefix, long timesliceNanos, int blockingThreads,
                              UncaughtFailureHandler uncaughtFailureHandler) {

    /** The default timeslice: 100 µs. */
    public static final long DEFAULT_TIMESLICE_NANOS = 100_000;

    /** The default size of the blocking pool. */
    public static final int DEFAULT_BLOCKING_THREADS = 64;

    /** Checks the values (the runtime's config has checked them for users already). */
    public SchedulerConfig {
        Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
        Objects.requireNonNull(uncaughtFailureHandler, "uncaughtFailureHandler");
        if (workers < 1 || timesliceNanos <= 0 || blockingThreads < 1) {
            throw new IllegalArgumentException("workers " + workers + ", timeslice " + timesliceNanos
                    + " ns and blocking threads " + blockingThreads + " must all be positive");
        }
    }

    /** {@code workers} workers named {@code <prefix>-<i>}, the rest as the defaults. */
    public static SchedulerConfig of(int workers, String threadNamePrefix) {
        return new SchedulerConfig(workers, threadNamePrefix, DEFAULT_TIMESLICE_NANOS, DEFAULT_BLOCKING_THREADS,
                UncaughtFailureHandler.LOG_WARNING);
    }
}
