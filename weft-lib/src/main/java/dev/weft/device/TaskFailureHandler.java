package dev.weft.device;

/**
 * Receives the throwable of a fire-and-forget task ({@link DeviceHandle#submit}), which has no
 * caller to deliver it to. Runs on the runner thread; whatever it throws is caught and dropped,
 * so the runner carries on either way. The default logs a warning through {@link System.Logger}.
 */
@FunctionalInterface
public interface TaskFailureHandler {

    /**
     * @param device the device whose runner ran the task
     * @param stage  the runner's stage
     * @param stream the stream the task was submitted on
     * @param error  what the task threw
     */
    void taskFailed(DeviceId device, Stage stage, StreamId stream, Throwable error);

    /** Logs a warning through the {@code dev.weft.device} {@link System.Logger}. */
    TaskFailureHandler LOG_WARNING = (device, stage, stream, error) ->
            System.getLogger("dev.weft.device").log(System.Logger.Level.WARNING,
                    () -> "submitted task on " + device + " (" + stage + ", " + stream + ") threw",
                    error);
}
