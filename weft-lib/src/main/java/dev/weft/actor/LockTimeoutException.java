package dev.weft.actor;

/** {@link Mutex#lock} did not get the lock within its time limit. */
public final class LockTimeoutException extends RuntimeException {

    LockTimeoutException(String message) {
        super(message);
    }
}
