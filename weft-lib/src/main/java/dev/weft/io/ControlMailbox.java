package dev.weft.io;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The messages other threads post for a worker's I/O driver to run on the worker's own thread
 * (cancelling an operation, cancelling everything at shutdown, updating a registered region);
 * one per driver, used by both backends.
 *
 * <h2>What it owns, which thread touches what</h2>
 * A lock-free queue of {@link Runnable}s, a {@code pending} flag (volatile) that makes the
 * driver's {@code busy()} true, and a {@code closed} flag (volatile). Any thread {@link #post}s;
 * the owner (the worker's thread) runs them in {@link #runPending()} at the start of its poll and
 * park, and closes the mailbox in {@link #close()} as the driver closes. Posting wakes the worker
 * through its {@link Wakeup}.
 *
 * <h2>After close: every message runs exactly once</h2>
 * No message is dropped, so nobody waits for a reply that never comes:
 * <ul>
 *   <li>one posted before the driver closed and not run yet runs in {@link #close()}, on the
 *       closing (owner) thread, after {@link #isClosed()} became true;</li>
 *   <li>one posted after close runs at once, on the posting thread.</li>
 * </ul>
 * So a message that runs may find its driver closed, and on a thread that is not the worker's:
 * it checks {@link #isClosed()} (through its driver) before it touches what only the owner may,
 * and answers its poster instead (a region update reports {@code EBADF}; a cancel has nothing
 * left to cancel).
 *
 * <h2>Why none is lost or run twice</h2>
 * A poster adds its message, then reads {@code closed}; {@link #close()} writes {@code closed},
 * then drains the queue. Both are volatile accesses (the queue's add and poll are), so in their
 * single order either the closer's drain sees the message, or the poster sees {@code closed} and
 * drains itself: the message is run by one of them, or both try. The queue's {@code poll} hands
 * each message to one caller only, so it runs once. The owner's {@link #runPending()} clears
 * {@code pending} before it drains, so a message posted meanwhile sets it again and is run at the
 * next poll or park. Test: {@code ControlMailboxTest}.
 */
final class ControlMailbox {

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final Wakeup wakeup;
    private volatile boolean pending;
    private volatile boolean closed;

    ControlMailbox(Wakeup wakeup) {
        this.wakeup = wakeup;
    }

    /** From any thread: runs {@code message} on the owner at its next poll or park (see the header after close). */
    void post(Runnable message) {
        queue.add(message);
        pending = true;
        if (closed) {
            drain(); // the worker is gone: nobody else will run it
        } else {
            wakeup.wake();
        }
    }

    /** Whether messages wait for the owner; read by the driver's {@code busy()} from its loop. */
    boolean pending() {
        return pending;
    }

    /** Owner: runs every message posted so far. */
    void runPending() {
        pending = false;
        drain();
    }

    /** Owner, as the driver closes: from now on posts run on their poster; runs what was pending. */
    void close() {
        closed = true;
        drain();
    }

    /** Whether {@link #close()} ran; messages read it before touching owner-only state. */
    boolean isClosed() {
        return closed;
    }

    /**
     * Runs every queued message. One that throws does not stop the others: they all run, then
     * the first failure is thrown (later ones suppressed in it), for the owner's driver to fail
     * on ({@code Driver.fail}).
     */
    private void drain() {
        Throwable first = null;
        Runnable m;
        while ((m = queue.poll()) != null) {
            try {
                m.run();
            } catch (RuntimeException | Error e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first instanceof RuntimeException r) {
            throw r;
        }
        if (first instanceof Error e) {
            throw e;
        }
    }
}
