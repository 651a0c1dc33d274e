package dev.weft.sched;

import dev.weft.idle.Backoff;
import dev.weft.time.Timer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code Task.sleep}, {@code Task.sleepUntil} and {@code Task.timeout} on the runtime's one
 * {@link Timer}. A sleeping task is a parked virtual thread and one timer entry whose action
 * unparks it: the worker runs other tasks meanwhile. It sits in {@code sched}, beside the
 * {@link TaskCell} and {@link Scheduler} it parks and times, so that {@code time} needs nothing above it.
 */
public final class Sleeps {

    private Sleeps() {
    }

    /** See {@code Task.sleep}. */
    public static void sleep(Duration duration) throws InterruptedException {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("sleep duration " + duration + " is negative; use a"
                    + " duration >= 0");
        }
        TaskCell<?> task = TaskCell.current();
        if (task == null) {
            Thread.sleep(duration);
            return;
        }
        long now = System.nanoTime();
        sleepUntilNanos(task, saturatedAdd(now, duration));
    }

    /** See {@code Task.sleepUntil}. */
    public static void sleepUntil(Instant deadline) throws InterruptedException {
        Objects.requireNonNull(deadline, "deadline");
        Duration left = Duration.between(Instant.now(), deadline);
        sleep(left.isNegative() ? Duration.ZERO : left);
    }

    private static void sleepUntilNanos(TaskCell<?> task, long deadline) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("task " + task + " was interrupted before it slept");
        }
        if (deadline - System.nanoTime() <= 0L) {
            return;
        }
        Thread me = Thread.currentThread();
        Timer.Entry entry = task.scheduler().timer().schedule(deadline, () -> LockSupport.unpark(me));
        try {
            while (!entry.isFired()) {
                LockSupport.park(entry);
                if (Thread.interrupted()) {
                    entry.cancel();
                    throw new InterruptedException("task " + task + " was interrupted while asleep");
                }
            }
        } finally {
            Scheduler.resumed(); // for the stats of the worker it woke on
        }
    }

    /** See {@code Task.timeout}. */
    public static <T> T timeout(Duration limit, Callable<T> body) throws Exception {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(body, "body");
        TaskCell<?> task = TaskCell.requireCurrent("Task.timeout");
        Expiry expiry = new Expiry(Thread.currentThread());
        long deadline = saturatedAdd(System.nanoTime(), limit.isNegative() ? Duration.ZERO : limit);
        Timer.Entry entry = task.scheduler().timer().schedule(deadline, expiry);
        T result;
        try {
            result = body.call();
        } catch (Exception | Error e) {
            if (expiry.finish()) {
                entry.cancel();
                throw e;
            }
            throw expired(task, limit, expiry, e);
        }
        if (expiry.finish()) {
            entry.cancel();
            return result;
        }
        throw expired(task, limit, expiry, null);
    }

    private static TimeoutException expired(TaskCell<?> task, Duration limit, Expiry expiry, Throwable cause) {
        expiry.awaitInterruptSent();
        Thread.interrupted(); // the timeout's interrupt was for the body alone
        if (task.isCancelled()) {
            Thread.currentThread().interrupt(); // a cancel keeps its interrupt
        }
        TimeoutException e = new TimeoutException("task " + task + " did not finish within " + limit);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    private static long saturatedAdd(long now, Duration d) {
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        long sum = now + nanos;
        return sum - now < 0 ? now + Long.MAX_VALUE : sum;
    }

    /**
     * The race between a timeout's timer and its body. {@code state}: ARMED, then by CAS either
     * FINISHED (the body ended first: the timer does nothing) or INTERRUPTING (the timer fired
     * first), then EXPIRED once the interrupt is sent. A body that loses the race waits for
     * EXPIRED before clearing the interrupt, so the interrupt cannot arrive after it is cleared.
     */
    private static final class Expiry implements Runnable {
        private static final int ARMED = 0;
        private static final int FINISHED = 1;
        private static final int INTERRUPTING = 2;
        private static final int EXPIRED = 3;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Expiry.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Thread thread;
        private volatile int state;

        Expiry(Thread thread) {
            this.thread = thread;
        }

        /** On the timer thread, at the deadline. */
        @Override
        public void run() {
            if (STATE.compareAndSet(this, ARMED, INTERRUPTING)) {
                try {
                    thread.interrupt();
                } finally {
                    state = EXPIRED;
                }
            }
        }

        /** On the body's thread when it ends. @return true if the body ended in time */
        boolean finish() {
            return STATE.compareAndSet(this, ARMED, FINISHED);
        }

        void awaitInterruptSent() {
            for (long step = 0; state != EXPIRED; step++) {
                Backoff.DEFAULT.idle(step);
            }
        }
    }
}
