package dev.weft.device;

/**
 * Each device has two runner threads, one per stage, so that work feeding a device (uploads,
 * command building) and work draining it (downloads, completions) never wait for each other.
 * A service class chooses its stage with {@link ServiceStage}; the default is {@link #UPSTREAM}.
 */
public enum Stage {
    /** Work flowing toward the device. */
    UPSTREAM('U'),
    /** Work flowing back from the device. */
    DOWNSTREAM('D');

    private final char code;

    Stage(char code) {
        this.code = code;
    }

    /** The letter in runner thread names: {@code weft-device-U-0-1}. */
    public char code() {
        return code;
    }

    /** The stage a service class runs on: its {@link ServiceStage}, or {@link #UPSTREAM}. */
    public static Stage of(Class<?> serviceClass) {
        ServiceStage annotation = serviceClass.getAnnotation(ServiceStage.class);
        return annotation == null ? UPSTREAM : annotation.value();
    }
}
