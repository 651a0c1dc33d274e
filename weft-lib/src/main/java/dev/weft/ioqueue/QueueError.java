package dev.weft.ioqueue;

import dev.weft.uring.Errno;

/**
 * The error codes the loop writes into a {@link QueueAbi#STATUS_DONE_ERROR DONE_ERROR} slot's
 * {@code bytes} word. Each constant {@code X} is {@code WEFT_IOQ_ERR_X} of {@code ioqueue.h}
 * ({@code QueueAbiTest} checks them). Besides these, a code from {@link #ERRNO_BASE} to
 * {@link #ERRNO_MAX} is {@code ERRNO_BASE + errno}: the kernel failed the operation.
 */
public enum QueueError {
    /** The op is not READ, WRITE or FENCE. */
    BAD_OP(1, "unknown op"),
    /** {@code src} names no registered file. */
    BAD_SRC(2, "src names no registered file"),
    /** {@code dst} names no registered destination. */
    BAD_DST(3, "dst names no registered destination"),
    /** {@code bytes} is 0. */
    ZERO_LENGTH(4, "the length is 0"),
    /** {@code bytes} is larger than the destination. */
    PAST_DESTINATION(5, "the length runs past the destination"),
    /** {@code offset + bytes} does not fit in a signed 64-bit file offset. */
    OFFSET_OVERFLOW(6, "the file offset overflows"),
    /** The loop found a status other than PUBLISHED to claim (a producer wrote CLAIMED, or garbage). */
    NOT_PUBLISHED(7, "the slot's status was not PUBLISHED when the loop claimed it"),
    /** The loop stopped before the request ran. */
    STOPPED(8, "the loop stopped"),
    /** The loop failed; its fatal error ({@link IoLoop#stop()}) says why. */
    LOOP_FAILED(9, "the loop failed"),
    /**
     * A loop claimed the request and ended without completing it (its process died): a later
     * loop found the slot CLAIMED when it started. The request may or may not have run.
     */
    LOOP_DIED(10, "the loop that claimed the request ended without completing it"),
    /**
     * The destination's memory was freed (its arena closed) while the loop served it; the loop
     * checks before it submits each request, so free destinations only after {@link IoLoop#stop()}.
     */
    DESTINATION_FREED(11, "the destination's memory was freed while the loop served it");

    /** The first code that carries an errno: {@code ERRNO_BASE + errno}. */
    public static final int ERRNO_BASE = 0x1000;
    /** The last code that carries an errno. */
    public static final int ERRNO_MAX = 0x1fff;

    private static final QueueError[] BY_CODE = byCode();

    private final int code;
    private final String description;

    QueueError(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The code written into the slot. */
    public int code() {
        return code;
    }

    /** What the code means, in a few words. */
    public String description() {
        return description;
    }

    /** The error with this code, or null (an errno code, or no weft code). */
    public static QueueError of(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** The code for a kernel error: {@code ERRNO_BASE + errno} ({@code errno} positive or negated, capped to the range). */
    public static int fromErrno(int errno) {
        return ERRNO_BASE + Math.min(Math.abs(errno), ERRNO_MAX - ERRNO_BASE);
    }

    /** The errno an errno code carries, or 0 if {@code code} carries none. */
    public static int errnoOf(int code) {
        return code > ERRNO_BASE && code <= ERRNO_MAX ? code - ERRNO_BASE : 0;
    }

    /**
     * A code in words: {@code "BAD_SRC (2): src names no registered file"},
     * {@code "EBADF (0x1009): the kernel failed the request"}, or {@code "unknown code 0x.."}.
     */
    public static String describe(int code) {
        QueueError e = of(code);
        if (e != null) {
            return e.name() + " (" + code + "): " + e.description;
        }
        int errno = errnoOf(code);
        if (errno != 0) {
            return Errno.name(errno) + " (0x" + Integer.toHexString(code) + "): the kernel failed the request";
        }
        return "unknown code 0x" + Integer.toHexString(code);
    }

    private static QueueError[] byCode() {
        int max = 0;
        for (QueueError e : values()) {
            max = Math.max(max, e.code);
        }
        QueueError[] table = new QueueError[max + 1];
        for (QueueError e : values()) {
            table[e.code] = e;
        }
        return table;
    }
}
