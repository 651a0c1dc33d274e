package dev.weft.bench.device.runner;

import dev.weft.idle.Backoff;

import java.util.concurrent.locks.LockSupport;

/**
 * The service every runner owns: a plain counter that task bodies increment (the same bodies for
 * weft and every peer), and a published count a driver can wait on.
 *
 * <h2>Waiting for a count</h2>
 * {@link #incrementAndPublish} (runner) writes {@code published} (volatile), then reads
 * {@code waiterParked} and unparks the waiter if it is set. {@link #awaitPublished} (one driver
 * thread) waits with {@link Backoff#DEFAULT}; before a parking step it sets {@code waiterParked}
 * and re-reads {@code published}. All four accesses are volatile, so either the waiter's re-read
 * sees the count or the runner sees the flag: the same completion protocol as a weft call. An
 * unpark that arrives after the waiter left leaves a permit that a later park absorbs with a
 * re-check.
 */
public final class CounterService {

    /** Tasks counted so far. Runner thread only (tasks read and write it); deliberately plain. */
    public long count;

    private volatile long published;
    private volatile int waiterParked;
    private Thread waiter;

    /** Counts one task and publishes the count to {@link #awaitPublished}. Runner thread only. */
    public void incrementAndPublish() {
        published = ++count;
        if (waiterParked != 0) {
            LockSupport.unpark(waiter);
        }
    }

    /**
     * Waits until the runner has published a count of at least {@code target}. One waiting thread
     * at a time. Not interruptible; an interrupt is kept for later.
     */
    public void awaitPublished(long target) {
        if (published >= target) {
            return;
        }
        Backoff backoff = Backoff.DEFAULT;
        waiter = Thread.currentThread(); // published to the runner by the volatile flag write
        boolean interrupted = false;
        long step = 0;
        while (published < target) {
            if (backoff.parks(step)) {
                waiterParked = 1;
                if (published >= target) {
                    break;
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
            step = backoff.idle(step);
        }
        waiterParked = 0;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
