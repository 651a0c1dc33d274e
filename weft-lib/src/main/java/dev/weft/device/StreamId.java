package dev.weft.device;

import java.util.concurrent.Callable;

/**
 * The caller's logical stream. Every task sent to a device carries the stream that was current
 * when it was submitted, and that stream is current again while the task runs on the runner, so
 * a service can keep per-stream state (a command queue per stream, say) and a task that submits
 * further work passes its stream on.
 *
 * <p>Which stream is current:
 * <ol>
 *   <li>on a device runner, while it runs a task: that task's stream;</li>
 *   <li>inside {@link #runWith}/{@link #callWith}: the stream bound there (a {@link ScopedValue});</li>
 *   <li>otherwise: the calling thread's own stream, {@code StreamId(thread id)}.</li>
 * </ol>
 *
 * @param value the stream number
 */
public record StreamId(long value) {

    private static final ScopedValue<StreamId> BOUND = ScopedValue.newInstance();

    /** The stream current on this thread (see the class comment). */
    public static StreamId current() {
        return new StreamId(currentValue());
    }

    /** Runs {@code op} with {@code stream} as the current stream. */
    public static void runWith(StreamId stream, Runnable op) {
        ScopedValue.where(BOUND, stream).run(op);
    }

    /** Calls {@code op} with {@code stream} as the current stream and returns its result. */
    public static <R> R callWith(StreamId stream, Callable<R> op) throws Exception {
        return ScopedValue.where(BOUND, stream).call(op::call);
    }

    /** The current stream's number, without allocating: what a task records when submitted. */
    static long currentValue() {
        Thread thread = Thread.currentThread();
        if (thread instanceof DeviceRunner.RunnerThread runner && runner.inTask()) {
            return runner.currentStream();
        }
        if (BOUND.isBound()) {
            return BOUND.get().value;
        }
        return thread.threadId();
    }

    @Override
    public String toString() {
        return "stream " + value;
    }
}
