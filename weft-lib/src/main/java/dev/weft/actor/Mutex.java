package dev.weft.actor;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A value guarded by a lock for actors and tasks that share it: {@link #lock(Duration)} waits at
 * most the given time (there is no lock without a limit: a wait that can never end is how
 * actor systems deadlock) and returns a {@link Guard} that gives the value and unlocks when
 * closed.
 *
 * <pre>{@code
 * Mutex<List<String>> shared = new Mutex<>(new ArrayList<>());
 * try (Mutex.Guard<List<String>> g = shared.lock(Duration.ofMillis(100))) {
 *     g.get().add("entry");
 * }
 * }</pre>
 *
 * <h2>Promises</h2>
 * <ul>
 *   <li><b>FIFO hand-off</b>: waiters get the lock in the order they started to wait; an unlock
 *       passes it to the longest waiter, and no later {@code lock} takes it first.</li>
 *   <li><b>Waiting frees the worker</b>: the waiting actor or task parks its virtual thread; the
 *       worker runs others meanwhile.</li>
 *   <li><b>A kill ends the wait</b>: an actor killed while it waits here unwinds as from
 *       {@link Actor#receive()}; a holder that unwinds closes its guard (use try-with-resources)
 *       and the next waiter gets the lock.</li>
 *   <li><b>Not reentrant</b>: a second {@code lock} by the holder fails at once rather than
 *       waiting for itself.</li>
 * </ul>
 * The lock belongs to the task that took it: close the guard in the same actor body or
 * {@code handle} call that took it (a handler actor's next message may run on another thread).
 *
 * @param <T> the guarded value
 */
public final class Mutex<T> {

    /** Fair: a timed tryLock never barges past queued waiters, and unlock wakes the oldest. */
    private final ReentrantLock lock = new ReentrantLock(true);
    private T value;

    /** A mutex guarding {@code value} (which may be null). */
    public Mutex(T value) {
        this.value = value;
    }

    /**
     * Takes the lock, waiting at most {@code timeout} behind earlier waiters.
     *
     * @return the guard: read and replace the value through it, close it to unlock
     * @throws LockTimeoutException  if the lock was not free for this caller within {@code timeout}
     * @throws IllegalStateException if the caller holds it already, or a thread that is not a
     *                               killed actor was interrupted while waiting (its interrupt
     *                               status is kept)
     */
    public Guard<T> lock(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("the caller holds " + this + " already; a Mutex is not reentrant:"
                    + " use the guard it holds");
        }
        long nanos = timeout.isNegative() ? 0L : saturatedNanos(timeout);
        boolean got;
        try {
            got = lock.tryLock(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            dev.weft.sched.Scheduler.resumed();
            Proc me = Proc.current();
            if (me != null) {
                me.checkKilled(); // a kill cancels the task, which interrupts this wait
            }
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + this, e);
        }
        dev.weft.sched.Scheduler.resumed(); // a wait may have moved the caller to another worker
        if (!got) {
            throw new LockTimeoutException("did not get " + this + " within " + timeout + " ("
                    + lock.getQueueLength() + " waiting); hold it for less time, or wait longer");
        }
        return new Guard<>(this);
    }

    /** Actors and tasks waiting for the lock now (for monitoring; it may change at once). */
    public int waiting() {
        return lock.getQueueLength();
    }

    /** Whether some actor or task holds the lock now (for monitoring; it may change at once). */
    public boolean isLocked() {
        return lock.isLocked();
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "Mutex@" + Integer.toHexString(System.identityHashCode(this))
                + (lock.isLocked() ? " (locked)" : " (free)");
    }

    /**
     * The held lock of a {@link Mutex}: {@link #get()} and {@link #set} the value while it is
     * open; {@link #close()} unlocks, handing the lock to the oldest waiter.
     */
    public static final class Guard<T> implements AutoCloseable {

        private final Mutex<T> mutex;
        private boolean open = true;

        private Guard(Mutex<T> mutex) {
            this.mutex = mutex;
        }

        /** The guarded value. @throws IllegalStateException once closed */
        public T get() {
            check();
            return mutex.value;
        }

        /** Replaces the guarded value. @throws IllegalStateException once closed */
        public void set(T value) {
            check();
            mutex.value = value;
        }

        /** Unlocks; the oldest waiter gets the lock. A second close does nothing. */
        @Override
        public void close() {
            if (open) {
                open = false;
                mutex.lock.unlock();
            }
        }

        private void check() {
            if (!open) {
                throw new IllegalStateException("this guard of " + mutex + " is closed; lock it again");
            }
        }
    }
}
