package dev.weft.bench.actors;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The end of a workload, as the actor that sees it records it: its value and the time it came,
 * taken by that actor, so that the wall time does not include waking the thread that waits.
 */
final class Finish {

    private final long start = System.nanoTime();
    private final CompletableFuture<Timed> result = new CompletableFuture<>();

    /** Records the workload's value, once; later calls are ignored. */
    void finish(long value) {
        result.complete(new Timed(value, System.nanoTime() - start));
    }

    /** Records that the workload failed. */
    void fail(Throwable e) {
        result.completeExceptionally(e);
    }

    /** Whether the workload has finished or failed. */
    boolean isDone() {
        return result.isDone();
    }

    /** Waits for the value and wall time; an interrupt (the suite abandoning it) ends the wait. */
    Timed await() throws InterruptedException, ExecutionException {
        return result.get();
    }
}
