package dev.weft.io;

import dev.weft.uring.Abi;
import dev.weft.uring.ErrnoException;
import dev.weft.uring.Ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.LockSupport;

/**
 * The io_uring backend's {@link Wakeup}: where a worker sleeps and how any thread ends that sleep.
 *
 * <h2>What it owns, which thread touches what</h2>
 * The worker's {@link WakeHandle} (an eventfd), the 8-byte buffer its armed read fills, and the
 * flags below. {@link #wake()} runs on any thread; everything else on the owner (the worker's
 * thread, set by {@link #attach}).
 *
 * <h2>Two ways to sleep</h2>
 * The worker with operations in flight sleeps in {@code io_uring_enter} waiting for one CQE, with
 * a read of its eventfd armed ({@link #arm}): {@link #wake()} writes the eventfd, which completes
 * that read. A worker with nothing in flight sleeps on its thread's park permit instead
 * ({@link #sleepOnPermit}: no completion can come, and a futex wake-up is cheaper than an eventfd
 * completion: ping-pong between tasks ran twice as fast).
 *
 * <h2>States, ordering, and why no wake-up is lost</h2>
 * {@code inKernel} (volatile) is true while the owner is about to enter or is inside
 * {@code io_uring_enter}; {@code wakeRequested} (volatile) is set by a waker and cleared by the
 * owner after each kernel sleep. They are a Dekker pair: the owner writes {@code inKernel}, then
 * reads {@code wakeRequested}; a waker writes {@code wakeRequested}, then reads {@code inKernel}.
 * In the single order of these volatile accesses either the owner sees the request and does not
 * wait, or the waker sees it in the kernel and writes the eventfd. The unpark covers the permit
 * path, and a wake-up before either wait (the permit is kept). A wake-up while no eventfd read is
 * pending stays in the eventfd's counter and completes the next read ({@link WakeHandle}). So a
 * wake-up that comes before either wait is kept in the flag, the permit or the counter, not lost.
 * {@code armed} (owner only) says whether the eventfd read is in the kernel: set by {@link #arm},
 * cleared when its CQE ({@link #TOKEN}) arrives.
 */
final class UringWakeup implements Wakeup, AutoCloseable {

    /** user_data of the eventfd read that wakes a sleeping worker. */
    static final long TOKEN = -1L;

    private final WakeHandle handle;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer;
    private volatile boolean inKernel;
    private volatile boolean wakeRequested;
    private volatile Thread owner;
    private boolean armed;

    private UringWakeup(WakeHandle handle) {
        this.handle = handle;
        this.buffer = arena.allocate(8, 8);
    }

    /** A wake-up with its eventfd. */
    static UringWakeup open() throws ErrnoException {
        return new UringWakeup(WakeHandle.open());
    }

    /** Owner: the thread {@link #wake()} unparks. */
    void attach(Thread owner) {
        this.owner = owner;
    }

    /**
     * Wakes the worker wherever it sleeps: on its park permit (no I/O in flight) or inside
     * {@code io_uring_enter} (through the eventfd). See the header for the Dekker pair.
     */
    @Override
    public void wake() {
        wakeRequested = true;
        if (inKernel) {
            handle.wake();
        }
        Thread t = owner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** The owner thread's name, for messages; "an unattached worker" before {@link #attach}. */
    String ownerName() {
        Thread t = owner;
        return t == null ? "an unattached worker" : t.getName();
    }

    /** Owner: whether the eventfd read is in the kernel. */
    boolean armed() {
        return armed;
    }

    /** Owner: prepares the eventfd read in {@code sqe}. */
    void arm(Ring ring, long sqe) {
        ring.prepare(sqe, Abi.OP_READ, handle.fd(), buffer.address(), 8, 0, TOKEN);
        armed = true;
    }

    /** Owner: the eventfd read's CQE arrived. */
    void disarmed() {
        armed = false;
    }

    /** Owner, nothing in flight: sleeps on the thread's park permit. */
    void sleepOnPermit(Object blocker) {
        LockSupport.park(blocker);
    }

    /**
     * Owner, the eventfd read armed: submits and waits for one CQE, unless a wake-up came.
     *
     * @return {@code io_uring_enter}'s result ({@code -errno} on failure), or 0 if it did not wait
     */
    int sleepInKernel(Ring ring) {
        inKernel = true; // then read wakeRequested; wake() writes it, then reads inKernel
        int r = 0;
        if (!wakeRequested) {
            r = ring.submitAndWait(1, -1);
        }
        inKernel = false;
        wakeRequested = false;
        return r;
    }

    /** Owner, after the ring closed (the kernel no longer writes the buffer). */
    @Override
    public void close() {
        handle.close();
        arena.close();
    }

    /**
     * Owner, after the ring closed with the eventfd read perhaps still in the kernel (a driver
     * that failed and could not drain): closes the eventfd, keeps the buffer the read names.
     */
    void closeKeepingBuffer() {
        handle.close();
    }
}
