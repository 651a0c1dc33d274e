package dev.weft.actor;

import java.util.Optional;

/**
 * {@link Actor#call} got no reply: the called actor was not alive or ended before it replied
 * ({@link #outcome()} says how; {@code Killed("noproc")} for a pid with no actor), or the time ran
 * out ({@link CallTimeoutException}).
 */
public class CallException extends RuntimeException {

    private final transient Pid pid;
    private final transient Outcome outcome;

    CallException(String message, Pid pid, Outcome outcome) {
        super(message, outcome instanceof Outcome.Failed f ? f.cause() : null);
        this.pid = pid;
        this.outcome = outcome;
    }

    /** The called actor. */
    public Pid pid() {
        return pid;
    }

    /** How the called actor ended; empty if it may still be alive (a timeout). */
    public Optional<Outcome> outcome() {
        return Optional.ofNullable(outcome);
    }
}
