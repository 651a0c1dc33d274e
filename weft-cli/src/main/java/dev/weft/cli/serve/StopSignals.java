package dev.weft.cli.serve;

import sun.misc.Signal;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * SIGINT and SIGTERM as a request to stop, handled by the command itself rather than by the JVM's
 * default (which runs the shutdown hooks and exits with 128 + the signal's number): so a server
 * asked to stop can finish its requests in flight and then exit with 0, its own status.
 */
public final class StopSignals {

    /** The signals that ask a server to stop. */
    static final String[] NAMES = {"INT", "TERM"};

    private StopSignals() {
    }

    /**
     * From now on, each SIGINT and SIGTERM calls {@code onSignal} with the signal's name
     * ({@code SIGINT}, {@code SIGTERM}) on a thread of the JVM's, instead of ending the process.
     *
     * @throws IllegalArgumentException when the JVM does not let them be handled (run with
     *                                  {@code -Xrs}, or on a platform without them), naming the signal
     */
    public static void handle(Consumer<String> onSignal) {
        Objects.requireNonNull(onSignal, "onSignal");
        for (String name : NAMES) {
            Signal.handle(new Signal(name), s -> onSignal.accept("SIG" + s.getName()));
        }
    }
}
