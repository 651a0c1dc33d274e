package dev.weft.io;

import java.io.IOException;

/**
 * What an I/O operation throws once the runtime's I/O has failed: a driver met an error it cannot
 * go on from (see {@code Driver.fail}). The cause is that failure, the same for every operation;
 * the runtime still runs tasks and shuts down as usual, but does no more I/O.
 */
public final class DriverFailedException extends IOException {

    private static final long serialVersionUID = 1L;

    /** For an operation that {@code failure} ended or refused. */
    DriverFailedException(IOException failure) {
        super("I/O is not possible on this runtime any more: " + failure.getMessage(), failure);
    }
}
