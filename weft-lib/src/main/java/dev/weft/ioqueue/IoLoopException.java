package dev.weft.ioqueue;

import java.io.IOException;

/**
 * An {@link IoLoop} could not start, or failed while it ran: what went wrong, with the errno
 * where there is one, and a {@link #hint()} that says what to fix. The message ends with the hint.
 */
public final class IoLoopException extends IOException {

    private final String hint;

    IoLoopException(String what, String hint) {
        this(what, hint, null);
    }

    IoLoopException(String what, String hint, Throwable cause) {
        super(what + "; " + hint, cause);
        this.hint = hint;
    }

    /** What to do about it. */
    public String hint() {
        return hint;
    }
}
