package dev.weft.sched;

/**
 * What a worker polls between ticks and sleeps in when it has nothing to run: its I/O driver
 * ({@code dev.weft.io.UringDriver}, {@code dev.weft.io.NioDriver}) or, for a runtime without I/O,
 * a plain thread parker ({@link ThreadParker}). Each worker owns one.
 *
 * <p>All methods but {@link #wake()} are called only on the owning worker's thread: its loop, or
 * for {@link #poll()} also a virtual thread mounted on it (a runner searching for work on the
 * worker's behalf). Completions that {@link #poll()} or {@link #park()} handle make waiting
 * virtual threads runnable, which queues them on this worker.
 *
 * <p><b>Locks.</b> A virtual thread that blocks on a contended lock leaves its carrier. So:
 * <ul>
 *   <li>{@link #poll()} must not let its caller leave the worker's thread: a runner that did
 *       would finish the worker's search on another worker. A poll that takes a lock runs
 *       pinned ({@link CarrierPin}).</li>
 *   <li>{@link #wake()} is also called by tasks (a spawn waking a sleeper, the last task's end
 *       waking every worker). If it takes a lock that the worker's thread takes in
 *       {@link #poll()} or {@link #park()}, it must hold it pinned: a task that unmounted while
 *       it held or was next in line for that lock would wait for a worker to run it, while the
 *       worker's thread waited for the lock.</li>
 * </ul>
 * The io_uring driver and the thread parker take no lock in these methods; the NIO driver pins
 * both.
 *
 * <p><b>No lost wake-up.</b> {@link #wake()} leaves a permit when the worker is not inside
 * {@link #park()}: the next park returns at once. (Spurious returns are allowed; the worker's
 * sleep loop re-checks its state.)
 */
public interface Driver {

    /** Binds the driver to the calling thread, the worker's, before its first poll. */
    void attach();

    /** Submits queued operations and handles the completions that are ready, without waiting. */
    void poll();

    /** Whether operations are queued or in flight, so that {@link #poll()} has something to do. */
    boolean busy();

    /** Waits for a completion or a {@link #wake()}, and handles the completions. */
    void park();

    /** From any thread: makes the worker's current or next {@link #park()} return. */
    void wake();

    /**
     * Releases what the driver holds; on the worker's thread, as it exits, or on the thread that
     * opened it if no worker ran it. Idempotent: a second call does nothing.
     */
    void close();

    /**
     * On the owner's thread: {@link #poll()} or {@link #park()} threw {@code cause}, and the worker
     * goes on without this driver's I/O. A driver that can fail cancels what it has in flight,
     * waits for the kernel to let go of the memory those operations named, fails their tasks with
     * an {@link java.io.IOException}, and from then on fails every new operation and sleeps on the
     * thread's permit (so {@link #poll()} and {@link #park()} do not throw again). The default,
     * for a driver that cannot fail this way, rethrows: the worker ends.
     */
    default void fail(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(cause);
    }

    /** Why this driver's I/O failed (its own failure, or the runtime's), or null; any thread. */
    default Throwable failure() {
        return null;
    }

    /** The backend's name for stats: {@code io_uring}, {@code nio} or {@code none}. */
    String backend();

    /** I/O operations started on this driver, for stats; readable from any thread. */
    long operations();

    /**
     * Times the driver found completions waiting in the kernel's overflow backlog because its
     * completion queue was full (io_uring's {@code IORING_SQ_CQ_OVERFLOW}), for stats; readable
     * from any thread. 0 for drivers without a completion queue.
     */
    default long cqOverflows() {
        return 0;
    }

    /**
     * Completions the kernel dropped because the completion queue was full and it had no memory
     * for its backlog (io_uring's CQ {@code overflow} counter), for stats; readable from any
     * thread. Each is an operation that will never complete.
     */
    default long cqDropped() {
        return 0;
    }

    /** Native memory held now in staging buffers (copies of heap buffers), for stats; any thread. */
    default long stagingBytes() {
        return 0;
    }

    /** Native memory held now in buffers provided to the kernel for receives, for stats; any thread. */
    default long providedBytes() {
        return 0;
    }
}
