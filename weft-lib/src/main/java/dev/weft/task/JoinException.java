package dev.weft.task;

import java.io.Serial;

/**
 * Why {@link JoinHandle#join()} has no value: the task was cancelled, or it failed with an
 * exception, which is this exception's {@linkplain #getCause() cause}.
 */
public final class JoinException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final boolean cancelled;

    private JoinException(String message, Throwable cause, boolean cancelled) {
        super(message, cause);
        this.cancelled = cancelled;
    }

    /** The task was cancelled; {@code running} says whether it had started. */
    public static JoinException cancelled(long id, String name, boolean running) {
        return new JoinException("task " + describe(id, name) + " was cancelled "
                + (running ? "while running" : "before it started"), null, true);
    }

    /** The task's body threw {@code cause}. */
    public static JoinException failed(long id, String name, Throwable cause) {
        return new JoinException("task " + describe(id, name) + " failed: " + cause, cause, false);
    }

    private static String describe(long id, String name) {
        return name.isEmpty() ? "#" + id : "#" + id + " '" + name + "'";
    }

    /** Whether the task was cancelled. */
    public boolean isCancelled() {
        return cancelled;
    }

    /** Whether the task's body threw; the throwable is {@link #getCause()}. */
    public boolean isFailed() {
        return !cancelled;
    }
}
