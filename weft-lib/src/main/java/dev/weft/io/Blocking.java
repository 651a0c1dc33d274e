package dev.weft.io;

import dev.weft.sched.Scheduler;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Callable;

/**
 * A call that blocks its thread, run on the runtime's blocking pool while the task parks
 * ({@link Scheduler#blockingToEnd}): once started it runs to its end even if the task is
 * cancelled meanwhile, so an {@code open} never leaks its descriptor and a
 * {@link java.nio.channels.FileChannel} is never closed by an interrupt of the thread using it.
 */
final class Blocking {

    /** A blocking call that may fail with an I/O error. */
    @FunctionalInterface
    interface Call<T> {
        T call() throws IOException;
    }

    private Blocking() {
    }

    /**
     * Runs {@code call} on the blocking pool of the calling task's runtime.
     *
     * @throws InterruptedIOException when the task was cancelled before the call started (the
     *                                call never runs; the interrupt stays set)
     */
    static <T> T run(String what, Call<T> call) throws IOException {
        Callable<T> body = call::call;
        try {
            return Scheduler.current(what).blockingToEnd(body, Thread.currentThread());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException x = new InterruptedIOException(what + " was cancelled before it started"
                    + " (the task was interrupted)");
            x.initCause(e);
            throw x;
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(what + " failed: " + e, e);
        }
    }
}
