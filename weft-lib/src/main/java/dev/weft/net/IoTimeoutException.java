package dev.weft.net;

/** An operation did not complete within its timeout; the pending operation was cancelled. */
public class IoTimeoutException extends NetException {

    public IoTimeoutException(String message, int errno) {
        super(message, errno);
    }
}
