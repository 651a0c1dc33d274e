package dev.weft.runtime;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A snapshot of a runtime's counters, read without locks from any thread.
 *
 * @param workers        one entry per worker, by index
 * @param spawnedOutside tasks spawned by threads outside the runtime
 * @param wokenOutside   virtual threads woken by threads outside the runtime (the timer, other
 *                       threads)
 * @param failed         task bodies that threw
 * @param timersPending  timers (sleeps, timeouts) waiting to fire
 * @param ioBackend      the I/O backend: {@code io_uring}, {@code nio}, or {@code none}
 * @param blockingParked tasks parked in {@link dev.weft.task.Task#blocking} now (their call queued
 *                       for, or running on, the blocking pool)
 * @param ioFailure      empty while the runtime's I/O works; once a worker's I/O driver failed
 *                       (every I/O operation fails from then on: {@link Weft#ioFailure()}), what
 *                       failed
 */
public record RuntimeStats(List<WorkerStats> workers, long spawnedOutside, long wokenOutside, long failed,
                           long timersPending, String ioBackend, long blockingParked, String ioFailure) {

    /** Makes the worker list unmodifiable. */
    public RuntimeStats {
        workers = List.copyOf(workers);
    }

    /** The sum of one counter over all workers, e.g. {@code total(WorkerStats::completed)}. */
    public long total(ToLongFunction<WorkerStats> counter) {
        return workers.stream().mapToLong(counter).sum();
    }
}
