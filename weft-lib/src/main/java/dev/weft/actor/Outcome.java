package dev.weft.actor;

/**
 * How an actor ended: what joiners, monitors ({@link Down}), linked actors ({@link ExitSignal})
 * and supervisors are told.
 * <ul>
 *   <li>{@link Exit}: the body returned (a process actor's value; null for a body without one, a
 *       handler actor that called {@link Actor#stop()}). The normal end: it does not propagate
 *       over links.</li>
 *   <li>{@link Failed}: the body threw; the throwable is kept as it was thrown.</li>
 *   <li>{@link Killed}: an exit signal ended it (from {@link Actor#exit(Pid, Object)}, a linked
 *       actor's abnormal end, or its runtime's shutdown); {@code reason} is the signal's reason,
 *       {@code "killed"} for the untrappable {@code "kill"}.</li>
 * </ul>
 */
public sealed interface Outcome {

    /** Whether this is the normal end ({@link Exit}). */
    default boolean isNormal() {
        return this instanceof Exit;
    }

    /** The body returned {@code value} (null if it has none). */
    record Exit(Object value) implements Outcome {
    }

    /** The body threw {@code cause}. */
    record Failed(Throwable cause) implements Outcome {
        public Failed {
            java.util.Objects.requireNonNull(cause, "cause");
        }

        /** {@code Failed[<class>: <message>]}: the stack trace is the throwable's. */
        @Override
        public String toString() {
            return "Failed[" + cause + "]";
        }
    }

    /** An exit signal with {@code reason} ended the actor. */
    record Killed(Object reason) implements Outcome {
        public Killed {
            java.util.Objects.requireNonNull(reason, "reason");
        }
    }
}
