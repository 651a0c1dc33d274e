package dev.weft.device;

import dev.weft.idle.Backoff;

import java.util.Objects;

/**
 * How a device's runners are built. Set it with {@link DeviceHandle#configure} before the
 * device's first use; a device that is not configured uses {@link #DEFAULT}.
 *
 * @param batchSize     slots per channel buffer: tasks run in batches of up to this many, 1 to
 *                      {@link BatchChannel#MAX_CAPACITY} (default
 *                      {@link BatchChannel#DEFAULT_CAPACITY})
 * @param backoff       how an idle runner, a producer facing two full buffers and a caller waiting
 *                      for a result wait (default {@link Backoff#DEFAULT})
 * @param failureHandler where the throwables of fire-and-forget tasks go (default
 *                      {@link TaskFailureHandler#LOG_WARNING})
 */
public record DeviceConfig(int batchSize, Backoff backoff, TaskFailureHandler failureHandler) {

    /** 32 slots per buffer, {@link Backoff#DEFAULT}, failures logged as warnings. */
    public static final DeviceConfig DEFAULT = new DeviceConfig(
            BatchChannel.DEFAULT_CAPACITY, Backoff.DEFAULT, TaskFailureHandler.LOG_WARNING);

    /** @throws IllegalArgumentException naming the batch size when it is out of range */
    public DeviceConfig {
        if (batchSize < 1 || batchSize > BatchChannel.MAX_CAPACITY) {
            throw new IllegalArgumentException("batchSize must be 1.." + BatchChannel.MAX_CAPACITY
                    + ", was " + batchSize);
        }
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(failureHandler, "failureHandler");
    }

    /** This configuration with another batch size. */
    public DeviceConfig withBatchSize(int batchSize) {
        return new DeviceConfig(batchSize, backoff, failureHandler);
    }

    /** This configuration with another back-off. */
    public DeviceConfig withBackoff(Backoff backoff) {
        return new DeviceConfig(batchSize, backoff, failureHandler);
    }

    /** This configuration with another failure handler. */
    public DeviceConfig withFailureHandler(TaskFailureHandler failureHandler) {
        return new DeviceConfig(batchSize, backoff, failureHandler);
    }
}
