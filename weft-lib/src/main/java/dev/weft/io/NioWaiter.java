package dev.weft.io;

import dev.weft.sched.IoWait;

import dev.weft.sched.CarrierPin;
import dev.weft.sched.Scheduler;
import dev.weft.uring.Errno;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.util.concurrent.locks.LockSupport;

/**
 * A task waiting for a socket's readiness on the NIO backend, and the wait itself: where a
 * selector's readiness becomes a wake-up. A waiter is registered with one {@link NioDriver} (its
 * wait count) and listed in one {@link NioSocket}'s list for one direction.
 *
 * <h2>The wait</h2>
 * <ol>
 *   <li>The task tries the non-blocking operation; if it made progress (or failed), that is the
 *       result.</li>
 *   <li>Otherwise, on the driver of the worker it runs on now (not necessarily the one whose
 *       method it called: tasks migrate), it counts a waiter, adds a {@link NioWaiter} (its thread
 *       and a {@code ready} flag) to the socket's list, and adds the direction's bit to the key's
 *       interest set, creating the key if needed. All of that runs on the selector's own thread,
 *       which is not selecting meanwhile: it is running this task, pinned (see {@link NioDriver}, Threads).</li>
 *   <li>It parks until {@code ready} is set (spurious wake-ups loop), or until its deadline
 *       ({@code parkNanos}) or an interrupt, in which case it takes its waiter back out of the
 *       list. Then it tries the operation again (once more even after its deadline passed; if
 *       that would block too, the result is {@code -ETIMEDOUT}).</li>
 *   <li>The worker selects in {@link NioDriver#poll()} (between tasks, while {@link NioDriver#busy()}) and in
 *       {@link NioDriver#park()} (a blocking {@code select}, when it has nothing to run). For each key
 *       reported ready it removes the fired bits from the key's interest set, takes every waiter
 *       of the fired directions out of the socket's lists, and settles each: the wait count goes
 *       down, {@code ready} is set, the thread is unparked (which queues it on this worker).</li>
 * </ol>
 *
 * <h2>Why no wake-up is lost</h2>
 * The interest is registered before the readiness check that counts: the selector's next
 * {@code select}, which comes after the registration (same thread, and the task parks before the
 * worker selects again). Selection is level-triggered: data that arrived before the registration,
 * even before the task's failed attempt, is reported by that select. Whoever settles a waiter
 * sets {@code ready} (volatile) before it unparks the thread, and the task reads {@code ready}
 * before each park: an unpark that comes before the park leaves the permit, so the park returns.
 * A waiter leaves its list exactly once, under the socket's lock, so it is settled once: by a
 * selector, by {@link NioSocket#close()}, or by the task itself when it gives up. A socket closed
 * after a task added its waiter settles it; one closed before refuses the waiter (the list is
 * checked and closed under the same lock), and the task returns {@code -EBADF}. Workers sleeping
 * in {@link NioDriver#park()} are woken by {@link NioDriver#wake()} ({@link SelectorWakeup}).
 *
 * <h2>Threads</h2>
 * The task writes its waiter's fields before it lists it; {@code next} is guarded by the socket's
 * lock; whoever settles it writes {@code cancelled} before {@code ready} (volatile), and the task
 * reads them after it saw {@code ready}.
 */
final class NioWaiter implements IoWait {

    /** What a non-blocking attempt returns when it would block. */
    static final long WOULD_BLOCK = Long.MIN_VALUE;
    /** Timeouts above this are treated as none (a deadline would overflow). */
    private static final long MAX_TIMEOUT_NANOS = Long.MAX_VALUE / 4;

    final Thread thread = Thread.currentThread();
    final NioDriver driver;
    /** The next waiter in the socket's list; guarded by the socket's lock. */
    NioWaiter next;
    /** The interest bit the task waits for. */
    final int op;
    /** Settled by {@link NioDriver#cancelAll()}: the task throws instead of retrying. Written before {@code ready}. */
    boolean cancelled;
    volatile boolean ready;

    NioWaiter(NioDriver driver, int op) {
        this.driver = driver;
        this.op = op;
    }

    /** By whoever took this waiter out of its list (a selector, close, cancelAll): wake the task. */
    void settle(boolean cancel) {
        driver.waiting.decrementAndGet();
        cancelled = cancel;
        ready = true; // before the unpark: the task reads it before each park
        LockSupport.unpark(thread);
    }



    /**
     * Waits until {@code socket} is ready in {@code direction} (or closes), or the deadline passes.
     * Called pinned ({@link CarrierPin}); parks unpinned.
     *
     * @return 0: try the operation again (it may be ready, or the deadline passed while waiting);
     *         {@code -ETIMEDOUT} if the deadline had passed before the wait; {@code -EBADF} if the
     *         socket is closed
     * @throws InterruptedIOException if the task is interrupted; its interrupt status stays set
     */
    static int await(NioSocket socket, int direction, int op, boolean timed, long deadline, String what)
            throws IOException {
        Thread me = Thread.currentThread();
        if (me.isInterrupted()) {
            throw interrupted(what, socket);
        }
        if (timed && deadline - System.nanoTime() <= 0L) {
            return -Errno.ETIMEDOUT;
        }
        NioDriver d = NioDriver.current(what);
        IOException failed = d.failure();
        if (failed != null) {
            throw new DriverFailedException(failed); // its selector is closed: do not register
        }
        NioWaiter w = new NioWaiter(d, op);
        d.waiting.incrementAndGet();
        if (!socket.enqueue(direction, w)) {
            d.waiting.decrementAndGet();
            return -Errno.EBADF;
        }
        try {
            d.interest(socket, op);
        } catch (ClosedChannelException | CancelledKeyException e) {
            giveUp(socket, direction, w); // close() may have settled it already
            return -Errno.EBADF;
        } catch (RuntimeException e) {
            giveUp(socket, direction, w); // a closed selector: the runtime is gone
            throw e;
        }
        IoGroup g = d.group();
        if (g != null && (g.isCancelling() || d.failure() != null)) {
            giveUp(socket, direction, w); // cancelAll or fail may have run here already: do not wait for them
            IOException f = d.failure();
            throw f != null ? new DriverFailedException(f) : shutDown(what, socket);
        }
        boolean interrupted = false;
        boolean timedOut = false;
        CarrierPin.exit(); // the caller's pinned section: a task parked pinned would hold its worker
        try {
            while (!w.ready) {
                if (me.isInterrupted()) {
                    interrupted = true;
                    break;
                }
                if (timed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0L) {
                        timedOut = true;
                        break;
                    }
                    LockSupport.parkNanos(w, left); // the blocker says "waits for I/O" (IoWait)
                } else {
                    LockSupport.park(w);
                }
            }
        } finally {
            CarrierPin.enter();
        }
        if (interrupted) {
            giveUp(socket, direction, w);
            throw interrupted(what, socket);
        }
        if (timedOut) {
            giveUp(socket, direction, w);
            return 0; // one more attempt, then -ETIMEDOUT
        }
        Scheduler.resumed();
        if (w.cancelled) {
            IOException f = w.driver.failure();
            throw f != null ? new DriverFailedException(f) : shutDown(what, socket);
        }
        return 0;
    }

    /** Takes the task's own waiter back, unless a selector or close took it first. Any thread. */
    private static void giveUp(NioSocket socket, int direction, NioWaiter w) {
        if (socket.remove(direction, w)) {
            w.driver.waiting.decrementAndGet();
        }
    }

    private static InterruptedIOException interrupted(String what, NioSocket socket) {
        return new InterruptedIOException(what + " on " + socket
                + " was interrupted (the task was cancelled) while it waited for I/O");
    }

    private static InterruptedIOException shutDown(String what, NioSocket socket) {
        return new InterruptedIOException(what + " on " + socket + ": the runtime shut down while the task waited for I/O");
    }

    /** A non-blocking attempt: a count, or {@link #WOULD_BLOCK}. */
    @FunctionalInterface
    interface Attempt {
        long run() throws IOException;
    }

    /** Attempts until done: a count, or {@code -errno}. Pinned but while it parks (see Threads). */
    static long transfer(NioSocket socket, int direction, int op, long timeoutNanos, String what,
                                 Attempt attempt) throws IOException {
        boolean timed = timed(timeoutNanos);
        long deadline = timed ? System.nanoTime() + timeoutNanos : 0L;
        CarrierPin.enter();
        try {
            for (;;) {
                long r;
                try {
                    r = attempt.run();
                } catch (IOException | NotYetConnectedException e) {
                    return -NioErrno.errno(e);
                }
                if (r != WOULD_BLOCK) {
                    return r;
                }
                int w = await(socket, direction, op, timed, deadline, what);
                if (w < 0) {
                    return w;
                }
            }
        } finally {
            CarrierPin.exit();
        }
    }

    static boolean timed(long timeoutNanos) {
        return timeoutNanos >= 0L && timeoutNanos <= MAX_TIMEOUT_NANOS;
    }
}
