package dev.weft.io;

import dev.weft.uring.Abi;
import dev.weft.uring.Errno;
import dev.weft.uring.Libc;

import java.io.InterruptedIOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A listener's multishot accept ({@code IORING_ACCEPT_MULTISHOT}, Linux 5.19): one SQE on one
 * worker's ring keeps accepting, and each accepted descriptor is queued here for whichever task
 * calls {@code accept()}, on any worker.
 *
 * <h2>Protocol</h2>
 * <ul>
 *   <li>{@code armed}: whether a multishot accept is in flight. A task that finds it false CASes
 *       it to true and submits one on the ring of the worker it runs on. The completion without
 *       {@code IORING_CQE_F_MORE} (an error, or the listener shut down) sets it false again.</li>
 *   <li>{@code ready}: accepted descriptors, or {@code -errno}, in arrival order (a lock-free
 *       queue). Written by the ring's worker, taken by acceptors.</li>
 *   <li>{@code waiters}: parked acceptors (a lock-free queue of threads).</li>
 * </ul>
 * <b>Why no wake-up is lost.</b> The worker adds to {@code ready} and then takes one waiter and
 * unparks it; an acceptor adds itself to {@code waiters} and then looks at {@code ready} once
 * more before parking. Both queues' operations are volatile accesses (CAS), so in their total
 * order one side sees the other: either the acceptor's second look finds the descriptor, or the
 * worker finds the acceptor and unparks it (the park permit covers an unpark before the park).
 * An acceptor that was chosen to be woken but leaves without taking a descriptor (it timed out,
 * was cancelled, or had already found one) passes the wake-up on when {@code ready} is not empty,
 * so a descriptor never waits while an acceptor sleeps. The accept's last CQE (no
 * {@code F_MORE}) clears {@code armed} before it wakes every waiter; an acceptor reads
 * {@code armed} after listing itself, and arms again instead of parking when it finds it clear,
 * so one that listed itself after that wake-all does not sleep with nothing armed
 * ({@code AcceptQueueTest}).
 *
 * <p><b>No descriptor leaks.</b> After the listener is closed, the worker closes what it accepts
 * instead of queueing it; since the close may come between its check and its add, it checks again
 * after adding and drains the queue itself. {@link #drain()} and the worker both take entries
 * with {@code poll}, so each descriptor is closed once.
 */
final class AcceptQueue extends UringOp {

    private final UringSocket listener;
    final AtomicBoolean armed = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Integer> ready = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();

    /** How an acceptor submits the multishot accept; tests pass one that fails. */
    @FunctionalInterface
    interface Arming {
        /** Submits a multishot accept for {@code queue}, or throws having submitted nothing. */
        void arm(AcceptQueue queue, int listenerFd);
    }

    /** Arms on the ring of the worker the calling task runs on. */
    static final Arming ON_CURRENT_WORKER = (queue, fd) -> {
        dev.weft.sched.CarrierPin.enter(); // as an operation does: stay on the driver's worker while using its ring
        try {
            UringDriver d = UringDriver.current();
            if (d == null) {
                throw new IllegalStateException("accept on an io_uring listener must run in a weft task");
            }
            d.armAccept(queue, fd);
        } finally {
            dev.weft.sched.CarrierPin.exit();
        }
    };

    private final Arming arming;

    AcceptQueue(UringSocket listener) {
        this(listener, ON_CURRENT_WORKER);
    }

    AcceptQueue(UringSocket listener, Arming arming) {
        this.listener = listener;
        this.arming = arming;
    }

    @Override
    void complete(UringDriver d, int res, int flags) {
        if ((flags & Abi.CQE_F_MORE) == 0) {
            listener.release();
            armed.set(false); // the next acceptor arms a new one
        }
        if (res >= 0 && listener.isClosed()) {
            Libc.close(Libc.errnoState(), res);
        } else {
            ready.add(res);
            if (listener.isClosed()) {
                drain();
            }
        }
        if (res < 0 && (flags & Abi.CQE_F_MORE) == 0) {
            wakeAll(); // the accept ended (cancelled, failed): every acceptor re-arms or sees why
        } else {
            wakeOne();
        }
    }

    /** The driver failed without this accept's last CQE: gives the listener back and wakes every acceptor with {@code res}. */
    @Override
    void fail(int res) {
        abandoned();
        ready.add(res);
        wakeAll();
    }

    private void wakeAll() {
        Thread t;
        while ((t = waiters.poll()) != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    void abandoned() {
        listener.release(); // its last CQE will not come: the ring closed
        armed.set(false);
    }

    private void wakeOne() {
        Thread t = waiters.poll();
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** The listener closed: cancels the multishot accept, wakes every acceptor, closes what was queued. */
    void listenerClosed() {
        UringDriver d = armedOn;
        if (d != null) {
            long token = armedToken;
            d.control(() -> d.cancelIfInFlight(token));
        }
        drain();
        wakeAll();
    }

    /** Where the multishot accept now in flight was submitted: for cancelling it. */
    private volatile UringDriver armedOn;
    private volatile long armedToken;

    void armed(UringDriver driver, long token) {
        armedToken = token;
        armedOn = driver;
    }

    /** Closes every queued descriptor (the listener closed). */
    void drain() {
        Integer r;
        while ((r = ready.poll()) != null) {
            if (r >= 0) {
                Libc.close(Libc.errnoState(), r);
            }
        }
    }

    /**
     * The next accepted descriptor, or {@code -errno}; {@code -ETIMEDOUT} once the deadline
     * ({@code System.nanoTime()} based; 0 for none) passes.
     */
    int take(long deadline) throws InterruptedIOException {
        Thread me = Thread.currentThread();
        for (;;) {
            Integer r = ready.poll();
            if (r != null) {
                return r;
            }
            if (listener.isClosed()) {
                return -Errno.EBADF;
            }
            if (armed.compareAndSet(false, true)) {
                if (!listener.acquire()) { // held until the multishot's last CQE
                    armed.set(false);
                    return -Errno.EBADF;
                }
                try {
                    arming.arm(this, listener.fd);
                } catch (RuntimeException | Error e) {
                    // Nothing was submitted: give the use back and let the next acceptor arm.
                    listener.release();
                    armed.set(false);
                    throw e;
                }
            }
            waiters.add(me);
            r = ready.poll();
            if (r != null) {
                leave(me);
                return r;
            }
            if (!armed.get()) {
                // The accept ended between our arming check and our listing (its last CQE clears
                // armed, then wakes the waiters it finds): nothing will wake us, so arm again.
                leave(me);
                continue;
            }
            if (deadline == 0) {
                LockSupport.park(this);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    leave(me);
                    return -Errno.ETIMEDOUT;
                }
                LockSupport.parkNanos(this, left);
            }
            leave(me);
            dev.weft.sched.Scheduler.resumed();
            if (me.isInterrupted()) {
                throw new InterruptedIOException("the task was cancelled while it waited in accept");
            }
        }
    }

    /** Leaves the waiters; if a completion already chose this thread to wake, passes that on. */
    private void leave(Thread me) {
        if (!waiters.remove(me) && !ready.isEmpty()) {
            wakeOne();
        }
    }
}
