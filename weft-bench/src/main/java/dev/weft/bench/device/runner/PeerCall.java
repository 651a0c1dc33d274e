package dev.weft.bench.device.runner;

import dev.weft.idle.Backoff;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * A task whose caller waits for its result, completed exactly as a weft call is.
 *
 * <h2>Completion protocol</h2>
 * {@code state} goes PENDING → DONE once, written by the runner after {@code result} and
 * {@code failure} (plain fields published by that volatile write). The caller waits with
 * {@link Backoff#DEFAULT}: spinning and yielding on {@code state}; before a parking step it sets
 * {@code callerParked} and re-reads {@code state}, parking only if still PENDING. The runner writes
 * DONE, then reads {@code callerParked} and unparks the caller if set. Either the caller's re-read
 * sees DONE or the runner's read sees the flag, so no wake-up is lost.
 *
 * @param <R> the result type
 */
public final class PeerCall<R> extends PeerTask {

    private static final int PENDING = 0;
    private static final int DONE = 1;
    private static final VarHandle STATE;
    private static final VarHandle CALLER_PARKED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(PeerCall.class, "state", int.class);
            CALLER_PARKED = l.findVarHandle(PeerCall.class, "callerParked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread caller;
    private volatile int state;
    private volatile int callerParked;
    private Function<? super CounterService, ? extends R> body;
    private CounterService service;
    private R result;
    private Throwable failure;

    PeerCall(long stream, Function<? super CounterService, ? extends R> body, CounterService service) {
        super(stream);
        this.caller = Thread.currentThread();
        this.body = body;
        this.service = service;
    }

    @Override
    void run(PeerRunner runner) {
        try {
            result = body.apply(service);
        } catch (Throwable e) {
            failure = e;
        } finally {
            body = null;
            service = null;
            STATE.setVolatile(this, DONE);
            if ((int) CALLER_PARKED.getVolatile(this) != 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    /**
     * Waits for the runner to run this call and returns its result.
     *
     * @throws CompletionException carrying what the body threw
     */
    R await(Backoff backoff) {
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
            throw new CompletionException("call on a peer runner threw", f);
        }
        return r;
    }
}
