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
 * @param processors             the processors the workers may run on (the JVM's
 *                               {@code availableProcessors()}, which follows the affinity mask and
 *                               the container's CPU limit): with more workers than processors, an
 *                               idle worker yields and parks instead of spinning (see {@code Worker})
 */
public record SchedulerConfig(int workers, String threadNamePrefix, long timesliceNanos, int blockingThreads,
                              UncaughtFailureHandler uncaughtFailureHandler, int processors) {

    /** The default timeslice: 100 µs. */
    public static final long DEFAULT_TIMESLICE_NANOS = 100_000;

    /** The default size of the blocking pool. */
    public static final int DEFAULT_BLOCKING_THREADS = 64;

    /** Checks the values (the runtime's config has checked them for users already). */
    public SchedulerConfig {
        Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
        Objects.requireNonNull(uncaughtFailureHandler, "uncaughtFailureHandler");
        if (workers < 1 || timesliceNanos <= 0 || blockingThreads < 1 || processors < 1) {
            throw new IllegalArgumentException("workers " + workers + ", timeslice " + timesliceNanos
                    + " ns, blocking threads " + blockingThreads + " and processors " + processors
                    + " must all be positive");
        }
    }

    /** {@code workers} workers named {@code <prefix>-<i>}, the rest as the defaults, on this machine's processors. */
    public static SchedulerConfig of(int workers, String threadNamePrefix) {
        return new SchedulerConfig(workers, threadNamePrefix, DEFAULT_TIMESLICE_NANOS, DEFAULT_BLOCKING_THREADS,
                UncaughtFailureHandler.LOG_WARNING, Runtime.getRuntime().availableProcessors());
    }

    /** This config with {@code processors} processors. */
    public SchedulerConfig withProcessors(int processors) {
        return new SchedulerConfig(workers, threadNamePrefix, timesliceNanos, blockingThreads, uncaughtFailureHandler,
                processors);
    }

    /** Whether there are more workers than processors: then no worker spins while it has no work. */
    public boolean oversubscribed() {
        return workers > processors;
    }
}
