package dev.weft.uring;

import java.io.IOException;

/** A system call or an io_uring operation failed with an errno; the message names it and what was done. */
public class ErrnoException extends IOException {

    private final int errno;

    /**
     * @param what  what failed, e.g. {@code io_uring_setup(256 entries)}
     * @param errno the errno, positive or negated
     */
    public ErrnoException(String what, int errno) {
        this(what + " failed: " + Errno.name(errno), errno, null);
    }

    /** With a message of the caller's own (which should name the errno) and an optional cause. */
    public ErrnoException(String message, int errno, Throwable cause) {
        super(message, cause);
        this.errno = Math.abs(errno);
    }

    /** The errno, positive ({@link Errno#ECONNRESET}). */
    public int errno() {
        return errno;
    }
}
