package dev.weft.actor;

import java.time.Duration;

/** {@link Actor#call} had no reply within its time limit; a reply that comes later is dropped. */
public final class CallTimeoutException extends CallException {

    CallTimeoutException(Pid pid, Object request, Duration timeout) {
        super("call to " + pid + " (" + request + ") had no reply within " + timeout
                + "; the actor may still be working on it, and a late reply is dropped", pid, null);
    }
}
