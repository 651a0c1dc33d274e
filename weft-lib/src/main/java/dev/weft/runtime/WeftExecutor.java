package dev.weft.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@link Weft#executor()}: an {@link java.util.concurrent.ExecutorService} whose tasks are the
 * runtime's pooled tasks and whose lifecycle is the runtime's. {@code submit} and
 * {@code invokeAll}/{@code invokeAny} are {@link AbstractExecutorService}'s, on
 * {@link #execute}.
 */
final class WeftExecutor extends AbstractExecutorService {

    private final Weft weft;

    WeftExecutor(Weft weft) {
        this.weft = weft;
    }

    /**
     * Spawns {@code command} as a pooled task.
     *
     * @throws RejectedExecutionException once the runtime is closed
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        try {
            weft.spawn(command);
        } catch (IllegalStateException e) {
            if (!weft.isClosed()) {
                throw e;
            }
            throw new RejectedExecutionException(e.getMessage(), e);
        }
    }

    /** Closes the runtime without waiting (see {@link Weft#close()} for the waiting form). */
    @Override
    public void shutdown() {
        weft.shutdownWithoutWaiting();
    }

    /**
     * {@link Weft#shutdownNow()}. Tasks that had not started are cancelled where they wait in
     * the run queues, not taken out of them, so the list is always empty: their
     * {@link java.util.concurrent.Future}s report the cancellation.
     */
    @Override
    public List<Runnable> shutdownNow() {
        weft.shutdownNow();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return weft.isClosed();
    }

    @Override
    public boolean isTerminated() {
        return weft.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return weft.awaitTermination(Duration.of(timeout, unit.toChronoUnit()));
    }

    /** {@link Weft#close()}: closes the runtime and waits for it to terminate. */
    @Override
    public void close() {
        weft.close();
    }

    @Override
    public String toString() {
        return "executor of " + weft;
    }
}
