package dev.weft.runtime;

import java.util.Locale;

/**
 * Which I/O backend a runtime's workers use.
 *
 * <ul>
 *   <li>{@link #AUTO}: io_uring where it works, else NIO, said once on standard error with the
 *       reason (not Linux, kernel too old, {@code kernel.io_uring_disabled}, a seccomp filter).</li>
 *   <li>{@link #URING}: io_uring or fail at start with the errno and a hint.</li>
 *   <li>{@link #NIO}: a {@link java.nio.channels.Selector} per worker.</li>
 *   <li>{@link #NONE}: no I/O; idle workers park their threads. For compute-only runtimes.</li>
 * </ul>
 * The JVM property {@code -Dweft.io=uring|nio|auto|none} sets the default of {@link Config}.
 */
public enum IoMode {
    AUTO, URING, NIO, NONE;

    /** The JVM property that sets the default. */
    public static final String PROPERTY = "weft.io";

    /**
     * The mode {@code -Dweft.io} names, or {@link #AUTO} when it is not set.
     *
     * @throws IllegalArgumentException naming the property's value and the valid ones
     */
    public static IoMode fromSystemProperty() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return AUTO;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "uring", "io_uring" -> URING;
            case "nio" -> NIO;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + v
                    + " is not a weft I/O backend; use uring, nio, auto or none");
        };
    }
}
