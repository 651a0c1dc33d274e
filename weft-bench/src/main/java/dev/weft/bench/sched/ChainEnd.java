package dev.weft.bench.sched;

import java.util.concurrent.CountDownLatch;

/**
 * Where the last link of a chained spawn leaves its value for the root, which waits for it. Used
 * by weft and virtual threads (the ForkJoinPool chain completes a CountedCompleter instead).
 */
final class ChainEnd {

    private final CountDownLatch done = new CountDownLatch(1);
    private volatile long value;

    /** Called once, by the last link. */
    void finish(long v) {
        value = v;
        done.countDown();
    }

    /** Waits for {@link #finish} and returns its value. */
    long await() throws InterruptedException {
        done.await();
        return value;
    }
}
