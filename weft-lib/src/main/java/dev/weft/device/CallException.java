package dev.weft.device;

import java.io.Serial;

/**
 * A task run by {@link DeviceHandle#submitBlocking} or {@link DeviceHandle#exclusive} threw. The
 * original throwable is the {@linkplain #getCause() cause}, with its class, message and stack
 * intact; {@link #rethrowCause()} throws it as itself. The runner that ran the task carries on.
 */
public final class CallException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final DeviceId device;
    private final Stage stage;

    CallException(DeviceId device, Stage stage, Throwable cause) {
        super("task on " + device + " (" + stage + ") threw " + cause, cause);
        this.device = device;
        this.stage = stage;
    }

    /** The device whose runner ran the task. */
    public DeviceId device() {
        return device;
    }

    /** The stage whose runner ran the task. */
    public Stage stage() {
        return stage;
    }

    /**
     * Throws the original throwable as itself (checked exceptions included, undeclared), so a
     * caller can handle it as if the task had run on its own thread.
     *
     * @return never returns; declared so callers can write {@code throw e.rethrowCause()}
     */
    public RuntimeException rethrowCause() {
        throw CallException.<RuntimeException>sneaky(getCause());
    }

    @SuppressWarnings("unchecked")
    private static <X extends Throwable> X sneaky(Throwable t) throws X {
        throw (X) t;
    }
}
