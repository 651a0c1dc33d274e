package dev.weft.bench.device.runner;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A runner thread that owns one {@link CounterService} and runs the tasks sent to it, in order per
 * producer thread. The device suite drives weft and every peer through this contract alone.
 */
public interface ServiceRunner extends AutoCloseable {

    /** Implementation name of weft's own runner. */
    String WEFT = "weft";

    /** The implementation's short stable name ({@code weft}, {@code jctools}, ...). */
    String impl();

    /**
     * The service the runner owns. Only its {@link CounterService#awaitPublished} may be used off
     * the runner thread; everything else belongs to tasks.
     */
    CounterService service();

    /** Queues a fire-and-forget task; it runs once its batch is eligible (see {@link #flush}). */
    void submit(Consumer<? super CounterService> body);

    /** Makes everything this thread submitted eligible to run now, without waiting. */
    void flush();

    /**
     * Runs {@code body} on the runner after everything this thread submitted, waits for it and
     * returns its result.
     */
    <R> R call(Function<? super CounterService, ? extends R> body);

    /**
     * Runs what was accepted, stops the runner thread and waits for it to end.
     *
     * @throws IllegalStateException when the runner thread did not end in time
     */
    @Override
    void close();
}
