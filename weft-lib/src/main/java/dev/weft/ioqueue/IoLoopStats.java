package dev.weft.ioqueue;

import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * What an {@link IoLoop} has done: a snapshot, each number read on its own (they need not add up
 * at one instant while the loop runs; after {@link IoLoop#stop()} they do).
 *
 * @param claimed        slots claimed (valid requests, fences and bad slots), and slots a loop that
 *                       died left CLAIMED, which this one completed {@link QueueError#LOOP_DIED}
 * @param completedOk    slots completed DONE_OK
 * @param completedError slots completed DONE_ERROR
 * @param errorsByCode   DONE_ERROR completions by {@link QueueError} code (errno codes included),
 *                       only codes that occurred, in code order
 * @param inFlight       requests in the kernel now
 * @param idleParks      times the idle loop parked (or waited in its ring) instead of spinning
 * @param dozes          times the idle loop dozed (see {@link IoLoop}, "Waiting"); dozes are parks
 *                       too, not counted in {@code idleParks}
 */
public record IoLoopStats(long claimed, long completedOk, long completedError, Map<Integer, Long> errorsByCode,
                          int inFlight, long idleParks, long dozes) {

    public IoLoopStats {
        errorsByCode = java.util.Collections.unmodifiableMap(new TreeMap<>(errorsByCode));
    }

    /** DONE_ERROR completions with {@code error}'s code. */
    public long errors(QueueError error) {
        return errorsByCode.getOrDefault(error.code(), 0L);
    }

    /** One line: {@code claimed 10, ok 8, error 2 (BAD_SRC 1, EBADF 1), in flight 0, idle parks 3, dozes 0}. */
    @Override
    public String toString() {
        StringJoiner codes = new StringJoiner(", ", " (", ")").setEmptyValue("");
        errorsByCode.forEach((code, n) -> {
            QueueError e = QueueError.of(code);
            int errno = QueueError.errnoOf(code);
            codes.add((e != null ? e.name() : errno != 0 ? dev.weft.uring.Errno.name(errno)
                    : "0x" + Integer.toHexString(code)) + " " + n);
        });
        return "claimed " + claimed + ", ok " + completedOk + ", error " + completedError + codes
                + ", in flight " + inFlight + ", idle parks " + idleParks + ", dozes " + dozes;
    }
}
