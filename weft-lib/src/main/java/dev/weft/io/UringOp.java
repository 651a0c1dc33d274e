package dev.weft.io;

import dev.weft.sched.IoWait;

import dev.weft.uring.Abi;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * One io_uring operation a task waits for: where its CQE becomes a wake-up.
 *
 * <h2>Threads</h2>
 * The task creates it and takes a slot for it in the driver's {@link OperationTable}; the worker
 * that owns the ring runs {@link #complete} when the CQE arrives ({@link UringCompletions}). The
 * result fields are written by the worker before {@code done} (volatile), and read by the task
 * after it saw {@code done}: the write publishes them.
 *
 * <h2>Why no completion is lost</h2>
 * The task parks in a loop until {@code done} is set ({@code UringDriver.await}); the worker sets
 * {@code done} before it unparks, and {@code LockSupport}'s permit covers an unpark that comes
 * before the park.
 */
class UringOp implements IoWait {
    final Thread waiter = Thread.currentThread();
    // subclass: AcceptQueue (a multishot accept, many CQEs)
    int slot;
    int res;
    int flags;
    volatile boolean done;
    /** Memory the kernel reads or writes until completion: kept reachable until then. */
    Object keepAlive;
    /** A heap buffer to copy received bytes into at completion (from a staging or provided buffer). */
    ByteBuffer heapDst;
    MemorySegment staging;
    /** Set by a failed driver that gave this operation up without its CQE: the kernel may still use its memory. */
    boolean inKernel;

    /**
     * The driver closed with this operation in flight. A task's operation cannot be in
     * flight then (the runtime terminates only when every task has ended); only an operation
     * that outlives its task (a multishot accept) has something to give back.
     */
    void abandoned() {
    }

    /** On the driver's thread: takes the CQE, then wakes the task. */
    void complete(UringDriver d, int res, int flags) {
        if ((flags & Abi.CQE_F_BUFFER) != 0) {
            int id = flags >>> Abi.CQE_BUFFER_SHIFT;
            if (res > 0) {
                d.providedBuffers().copyOut(id, heapDst, res);
            }
            d.providedBuffers().recycle(id);
        } else if (staging != null) {
            if (heapDst != null && res > 0) {
                copyInto(heapDst, staging, res);
            }
            d.stagingBuffers().release(staging);
            staging = null;
        }
        this.res = res;
        this.flags = flags;
        this.done = true;
        LockSupport.unpark(waiter);
    }

    /**
     * A completion handler threw, or the driver failed and cannot reap this operation's CQE: it
     * ends with {@code res} and its task is woken.
     */
    void fail(int res) {
        this.res = res;
        this.done = true;
        LockSupport.unpark(waiter);
    }

    static void copyInto(ByteBuffer dst, MemorySegment src, int n) {
        MemorySegment.copy(src, JAVA_BYTE, 0, dst.array(), dst.arrayOffset() + dst.position(), n);
    }
}
