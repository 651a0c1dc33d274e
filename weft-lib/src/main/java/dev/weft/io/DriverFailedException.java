package dev.weft.io;

import java.io.IOException;

/**
 * What an I/O operation throws once the runtime's I/O has failed: a driver met an error it cannot
 * go on from (see {@code Driver.fail}). The cause is that failure, the same for every operation;
 * the runtime still runs tasks and shuts down as usual, but does no more I/O.
 */
public final class DriverFailedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final boolean bufferStillInKernel;

    /** For an operation that {@code failure} ended or refused. */
    DriverFailedException(IOException failure) {
        this(failure, false);
    }

    /** As {@link #DriverFailedException(IOException)}; {@code inKernel}: see {@link #bufferStillInKernel()}. */
    DriverFailedException(IOException failure, boolean inKernel) {
        super("I/O is not possible on this runtime any more: " + failure.getMessage()
                + (inKernel ? "; the kernel may still write into or read from this operation's buffer: do not reuse it" : ""),
                failure);
        this.bufferStillInKernel = inKernel;
    }

    /**
     * Whether the operation was given up while still in the kernel (the driver could not enter
     * it any more): its buffer may still be written or read, so the caller must not reuse it.
     */
    public boolean bufferStillInKernel() {
        return bufferStillInKernel;
    }
}
