package dev.weft.task;

/**
 * A task body without a result that may throw checked exceptions, e.g.
 * {@code rt.spawn(() -> Files.delete(path))}. {@code spawn} takes it beside {@link Runnable} and
 * {@link java.util.concurrent.Callable}; since it extends {@code Runnable}, a void lambda or
 * method reference resolves to it without ambiguity, and a lambda with a value still resolves to
 * {@code Callable}. A task with this body fails with what {@link #runChecked()} threw, unwrapped.
 */
@FunctionalInterface
public interface CheckedRunnable extends Runnable {

    /** The body. */
    void runChecked() throws Exception;

    /**
     * Runs {@link #runChecked()} for a caller that knows only {@link Runnable}: an unchecked
     * throwable goes through as it is, a checked one wrapped in an
     * {@link java.lang.reflect.UndeclaredThrowableException} (an {@link InterruptedException}
     * also sets the thread's interrupt status again). Weft's tasks call {@code runChecked()}.
     */
    @Override
    default void run() {
        try {
            runChecked();
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.lang.reflect.UndeclaredThrowableException(e);
        } catch (Exception e) {
            throw new java.lang.reflect.UndeclaredThrowableException(e);
        }
    }
}
