package dev.weft.ioqueue;

/**
 * The result of a request, as the loop wrote it into its slot.
 *
 * @param ticket the request's ticket ({@link QueueProducer#publish})
 * @param ok     DONE_OK (true) or DONE_ERROR
 * @param result the {@code bytes} word: the bytes transferred when ok, else the error code
 * @param tag    the request's tag, as published
 */
public record Completion(long ticket, boolean ok, int result, int tag) {

    /** The bytes transferred (fewer than asked at the end of a file; 0 for a FENCE), or 0 when not ok. */
    public int bytes() {
        return ok ? result : 0;
    }

    /** The {@link QueueError} code (or {@code ERRNO_BASE + errno}), or 0 when ok. */
    public int errorCode() {
        return ok ? 0 : result;
    }

    @Override
    public String toString() {
        return "Completion[ticket " + ticket + ", tag " + tag + ", "
                + (ok ? "ok, " + Integer.toUnsignedString(result) + " bytes" : "error " + QueueError.describe(result))
                + "]";
    }
}
