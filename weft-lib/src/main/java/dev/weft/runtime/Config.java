package dev.weft.runtime;

import dev.weft.sched.SchedulerConfig;
import dev.weft.task.UncaughtFailureHandler;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Weft} is built: how many workers, what their threads are called, how long a
 * task runs before {@link dev.weft.task.Task#check()} yields.
 *
 * <pre>{@code
 * Config config = Config.builder().workers(2, 8).threadNamePrefix("api").build();
 * }</pre>
 *
 * @param minWorkers       the fewest workers; the count used is
 *                         {@code clamp(availableProcessors, minWorkers, maxWorkers)}
 * @param maxWorkers       the most workers
 * @param threadNamePrefix worker threads are named {@code <prefix>-<index>}
 * @param timeslice        how long a task runs before {@code Task.check()} yields
 * @param io               the I/O backend; default {@link IoMode#fromSystemProperty()} (AUTO
 *                         unless {@code -Dweft.io} says otherwise)
 * @param maxRegions       slots of the registered-region table on every worker's ring
 *                         (io_uring), 0..16384; default 64. The table is created at the first
 *                         {@link Weft#registerRegion}, so it costs nothing until then, and a kernel
 *                         without one (before Linux 5.13) fails only that call; 0 turns regions off
 * @param uncaughtFailureHandler gets the failure of a task that nobody was joining when it
 *                         failed; default {@link UncaughtFailureHandler#LOG_WARNING}
 * @param blockingThreads  the most platform threads that run {@link dev.weft.task.Task#blocking}
 *                         calls at once, 1..{@value #MAX_BLOCKING_THREADS}; default
 *                         {@value #DEFAULT_BLOCKING_THREADS} (further calls wait their turn)
 */
public record Config(int minWorkers, int maxWorkers, String threadNamePrefix, Duration timeslice, IoMode io,
                     int maxRegions, UncaughtFailureHandler uncaughtFailureHandler,
                     int blockingThreads) {

    /** Most workers a runtime can have. */
    public static final int MAX_WORKERS = 1024;

    /** Default {@link #timeslice}. */
    public static final Duration DEFAULT_TIMESLICE = Duration.ofNanos(SchedulerConfig.DEFAULT_TIMESLICE_NANOS);

    /** Default {@link #maxRegions}. */
    public static final int DEFAULT_MAX_REGIONS = 64;

    /** Largest {@link #maxRegions} (the kernel's fixed-buffer table allows 16384). */
    public static final int MAX_REGIONS = 16384;

    /** Default {@link #blockingThreads}. */
    public static final int DEFAULT_BLOCKING_THREADS = SchedulerConfig.DEFAULT_BLOCKING_THREADS;

    /** Largest {@link #blockingThreads}. */
    public static final int MAX_BLOCKING_THREADS = 4096;

    /** Default {@link #threadNamePrefix}. */
    public static final String DEFAULT_THREAD_NAME_PREFIX = "weft-worker";

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the bad value and the allowed range
     */
    public Config {
        Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
        Objects.requireNonNull(timeslice, "timeslice");
        Objects.requireNonNull(io, "io");
        Objects.requireNonNull(uncaughtFailureHandler, "uncaughtFailureHandler");
        if (minWorkers < 1 || maxWorkers > MAX_WORKERS || minWorkers > maxWorkers) {
            throw new IllegalArgumentException("worker count " + minWorkers + ".." + maxWorkers
                    + " is not a range within 1.." + MAX_WORKERS + "; use workers(n) or workers(min, max)"
                    + " with 1 <= min <= max <= " + MAX_WORKERS);
        }
        if (timeslice.isNegative() || timeslice.isZero()) {
            throw new IllegalArgumentException("timeslice " + timeslice
                    + " must be positive; the default is " + DEFAULT_TIMESLICE);
        }
        if (maxRegions < 0 || maxRegions > MAX_REGIONS) {
            throw new IllegalArgumentException("maxRegions " + maxRegions + " is outside 0.." + MAX_REGIONS
                    + "; the default is " + DEFAULT_MAX_REGIONS);
        }
        if (blockingThreads < 1 || blockingThreads > MAX_BLOCKING_THREADS) {
            throw new IllegalArgumentException("blockingThreads " + blockingThreads + " is outside 1.."
                    + MAX_BLOCKING_THREADS + "; the default is " + DEFAULT_BLOCKING_THREADS);
        }
        if (threadNamePrefix.isBlank()) {
            throw new IllegalArgumentException("threadNamePrefix must not be blank; the default is "
                    + DEFAULT_THREAD_NAME_PREFIX);
        }
    }

    /** The defaults: one worker per available processor, {@code weft-worker-N}, 100 µs. */
    public static Config defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of workers a runtime with this config starts on this machine. */
    public int workerCount() {
        int cpus = java.lang.Runtime.getRuntime().availableProcessors();
        return Math.clamp(cpus, minWorkers, maxWorkers);
    }

    /** The scheduler's part of this config, for this machine. */
    SchedulerConfig scheduler() {
        return new SchedulerConfig(workerCount(), threadNamePrefix, timeslice.toNanos(), blockingThreads,
                uncaughtFailureHandler, java.lang.Runtime.getRuntime().availableProcessors());
    }

    /** Builds a {@link Config}; every setter checks at {@link #build()}. */
    public static final class Builder {
        private int minWorkers = 1;
        private int maxWorkers = MAX_WORKERS;
        private String threadNamePrefix = DEFAULT_THREAD_NAME_PREFIX;
        private Duration timeslice = DEFAULT_TIMESLICE;
        private IoMode io;
        private int maxRegions = DEFAULT_MAX_REGIONS;
        private UncaughtFailureHandler uncaughtFailureHandler = UncaughtFailureHandler.LOG_WARNING;
        private int blockingThreads = DEFAULT_BLOCKING_THREADS;

        private Builder() {
        }

        /** Exactly {@code count} workers, whatever the processor count. */
        public Builder workers(int count) {
            return workers(count, count);
        }

        /** Between {@code min} and {@code max} workers: the processor count, clamped. */
        public Builder workers(int min, int max) {
            this.minWorkers = min;
            this.maxWorkers = max;
            return this;
        }

        /** Worker threads are named {@code <prefix>-<index>}. */
        public Builder threadNamePrefix(String prefix) {
            this.threadNamePrefix = prefix;
            return this;
        }

        /** How long a task runs before {@code Task.check()} yields. */
        public Builder timeslice(Duration timeslice) {
            this.timeslice = timeslice;
            return this;
        }

        /** The I/O backend (default: {@code -Dweft.io}, else {@link IoMode#AUTO}). */
        public Builder io(IoMode io) {
            this.io = java.util.Objects.requireNonNull(io, "io");
            return this;
        }

        /** Slots of the registered-region table (default 64; 0: no regions), created at the first registration. */
        public Builder maxRegions(int slots) {
            this.maxRegions = slots;
            return this;
        }

        /** The most threads running {@code Task.blocking} calls at once (default 64). */
        public Builder blockingThreads(int threads) {
            this.blockingThreads = threads;
            return this;
        }

        /**
         * What gets the failure of a task nobody was joining when it failed (see
         * {@link UncaughtFailureHandler}); default {@link UncaughtFailureHandler#LOG_WARNING}.
         */
        public Builder uncaughtFailureHandler(UncaughtFailureHandler handler) {
            this.uncaughtFailureHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * The config.
         *
         * @throws IllegalArgumentException naming a bad value
         */
        public Config build() {
            return new Config(minWorkers, maxWorkers, threadNamePrefix, timeslice,
                    io != null ? io : IoMode.fromSystemProperty(), maxRegions, uncaughtFailureHandler,
                    blockingThreads);
        }
    }
}
