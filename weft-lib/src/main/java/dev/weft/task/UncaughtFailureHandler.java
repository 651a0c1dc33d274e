package dev.weft.task;

/**
 * Receives the failure of a task that nobody was waiting for: when a task's body throws (and
 * the task was not cancelled) while no thread waits in {@link JoinHandle#join()} for it and no
 * joiner runs it inline, the runtime's handler
 * ({@link dev.weft.runtime.Config.Builder#uncaughtFailureHandler}) gets it, once per task. A
 * later {@code join()} still throws the failure. Once the runtime shuts down
 * ({@code Weft.shutdown(grace)}, {@code shutdownNow()}), which closes listeners and cancels I/O
 * on purpose, failures are counted but no longer reported; after a plain {@code close()} they
 * still are. Runs on the failed task's thread, before the
 * task counts as ended; whatever it throws is caught and dropped. The default,
 * {@link #LOG_WARNING}, logs a warning.
 */
@FunctionalInterface
public interface UncaughtFailureHandler {

    /**
     * @param runtime the runtime's thread-name prefix, which names it
     *                ({@link dev.weft.runtime.Config#threadNamePrefix()})
     * @param task    the task that failed
     * @param error   what its body threw
     */
    void taskFailed(String runtime, Task task, Throwable error);

    /** Logs a warning, with the throwable, through the {@code dev.weft.task} {@link System.Logger}. */
    UncaughtFailureHandler LOG_WARNING = (runtime, task, error) ->
            System.getLogger("dev.weft.task").log(System.Logger.Level.WARNING,
                    () -> "task " + describe(task) + " of weft runtime '" + runtime
                            + "' failed and nobody was joining it", error);

    private static String describe(Task task) {
        return task.name().isEmpty() ? "#" + task.id() : "#" + task.id() + " '" + task.name() + "'";
    }
}
