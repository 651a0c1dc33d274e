package dev.weft.device;

import dev.weft.idle.Backoff;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;

/**
 * A task whose caller waits for its result: {@link DeviceHandle#submitBlocking},
 * {@link DeviceHandle#exclusive}, and the service set-up behind {@code open} and {@code insert}.
 *
 * <h2>Completion protocol</h2>
 * States of {@code state}: PENDING → DONE, written once by the runner. Fields {@code result} and
 * {@code failure} are written by the runner before DONE (plain writes, published by the volatile
 * write of DONE) and read by the caller after it reads DONE.
 * <p>The caller waits with the device's {@link Backoff}: it spins and yields reading
 * {@code state}; before a parking step it sets {@code callerParked = 1} and re-reads
 * {@code state}, parking only if still PENDING. The runner writes DONE, then reads
 * {@code callerParked} and unparks the caller if set. All four accesses are volatile, so either
 * the caller's re-read sees DONE or the runner's read sees the flag: no wake-up is lost. A late
 * unpark leaves only a permit, which a later park of that thread absorbs with a re-check.
 * <p>The wait is not interruptible (the task is already queued and will run): an interrupt is
 * remembered and restored when the call returns.
 *
 * @param <R> the result type
 */
abstract sealed class Call<R> extends DeviceTask permits Call.OnService, Call.Exclusive {

    private static final int PENDING = 0;
    private static final int DONE = 1;
    private static final VarHandle STATE;
    private static final VarHandle CALLER_PARKED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Call.class, "state", int.class);
            CALLER_PARKED = l.findVarHandle(Call.class, "callerParked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread caller;
    private volatile int state;
    private volatile int callerParked;
    private R result;
    private Throwable failure;

    Call(long stream) {
        super(stream);
        this.caller = Thread.currentThread();
    }

    /** The task's body; runs on the runner thread. */
    abstract R compute() throws Throwable;

    /** Drops the references the body captured. */
    abstract void release();

    @Override
    final void run(DeviceRunner runner) {
        try {
            result = compute();
        } catch (Throwable e) {
            failure = e;
            runner.callFailed();
        } finally {
            release();
            STATE.setVolatile(this, DONE);
            if ((int) CALLER_PARKED.getVolatile(this) != 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    /**
     * Waits for the runner to finish this call; returns its result or throws a
     * {@link CallException} carrying what it threw.
     */
    final R await(DeviceRunner runner) {
        Backoff backoff = runner.config().backoff();
        boolean interrupted = false;
        long step = 0;
        while ((int) STATE.getVolatile(this) == PENDING) {
            if (backoff.parks(step)) {
                CALLER_PARKED.setVolatile(this, 1);
                if ((int) STATE.getVolatile(this) != PENDING) {
                    break;
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
            step = backoff.idle(step);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable f = failure;
        R r = result;
        failure = null;
        result = null;
        if (f != null) {
            throw new CallException(runner.device(), runner.stage(), f);
        }
        return r;
    }

    /** A function of the runner's service instance. */
    static final class OnService<S, R> extends Call<R> {
        private Function<? super S, ? extends R> body;
        private S service;

        OnService(long stream, Function<? super S, ? extends R> body, S service) {
            super(stream);
            this.body = body;
            this.service = service;
        }

        @Override
        R compute() {
            return body.apply(service);
        }

        @Override
        void release() {
            body = null;
            service = null;
        }
    }

    /** Code that needs the runner thread but no service. */
    static final class Exclusive<R> extends Call<R> {
        private Supplier<? extends R> body;

        Exclusive(long stream, Supplier<? extends R> body) {
            super(stream);
            this.body = body;
        }

        @Override
        R compute() {
            return body.get();
        }

        @Override
        void release() {
            body = null;
        }
    }
}
