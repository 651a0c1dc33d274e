package dev.weft.sched;

import java.util.List;

/**
 * How the scheduler's counters become the runtime's stats records: the records' canonical
 * constructors, passed down by the runtime ({@code scheduler.stats(RuntimeStats::new,
 * WorkerStats::new)}), so that the public records stay in {@code dev.weft.runtime}, above the
 * scheduler, and the compiler still checks every component.
 */
public final class StatsShape {

    private StatsShape() {
    }

    /** A worker's counters, in {@code dev.weft.runtime.WorkerStats}' component order. */
    @FunctionalInterface
    public interface OfWorker<W> {
        W of(int index, String threadName, long polled, long completed, long spawned,
             long wokenInside, long fromInjector, long stolen, long parks,
             long currentTaskId, String currentTaskName, int runQueueLength, long ioOperations,
             long cqOverflows, long cqDropped, long stagingBytes, long providedBytes);
    }

    /** The runtime-wide counters, in {@code dev.weft.runtime.RuntimeStats}' component order. */
    @FunctionalInterface
    public interface OfRuntime<R, W> {
        R of(List<W> workers, long spawnedOutside, long wokenOutside, long failed,
             long timersPending, String ioBackend, long blockingParked, String ioFailure);
    }
}
