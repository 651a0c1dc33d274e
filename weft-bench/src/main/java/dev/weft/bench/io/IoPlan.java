package dev.weft.bench.io;

import java.time.Duration;
import java.util.Objects;

/**
 * How long and how often the io suite measures.
 *
 * @param warmupRounds    rounds of every (case, impl) before the measured ones
 * @param rounds          measured rounds (at least 3: a median and a spread)
 * @param warmup          the length of one warm-up measurement of a file case
 * @param sample          the length of one measured file-case measurement
 * @param busyRequests    queue-latency: requests per measurement, back to back
 * @param idleRequests    queue-latency: requests per measurement, each after {@code idleGap}
 * @param idleGap         queue-latency: the pause before each idle request
 * @param idleWindow      idle-cpu: the window over which the idle loop's CPU is read
 * @param dataBytes       the size of the resident data file (the read cases)
 * @param writeBytes      the size of the file the direct writes go to
 */
public record IoPlan(int warmupRounds, int rounds, Duration warmup, Duration sample, int busyRequests,
                     int idleRequests, Duration idleGap, Duration idleWindow, long dataBytes, long writeBytes) {

    /** The data file: 1 GiB. */
    public static final long GIB = 1L << 30;

    /** {@code --quick}: the same cases and files, shorter measurements, 3 rounds. */
    public static final IoPlan QUICK = new IoPlan(1, 3, Duration.ofMillis(250), Duration.ofMillis(300), 10_000,
            150, Duration.ofMillis(1), Duration.ofMillis(1000), GIB, 256L << 20);

    /** The full run: 5 rounds of 2 s. */
    public static final IoPlan FULL = new IoPlan(1, 5, Duration.ofSeconds(1), Duration.ofSeconds(2), 100_000,
            1_000, Duration.ofMillis(1), Duration.ofSeconds(5), GIB, 256L << 20);

    /** @throws IllegalArgumentException naming the value that is out of range */
    public IoPlan {
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(idleGap, "idleGap");
        Objects.requireNonNull(idleWindow, "idleWindow");
        if (warmupRounds < 0 || rounds < 3) {
            throw new IllegalArgumentException("an io plan needs warm-up rounds >= 0 and measured rounds >= 3 (a"
                    + " median and a spread), had " + warmupRounds + " and " + rounds);
        }
        if (busyRequests < 1 || idleRequests < 1) {
            throw new IllegalArgumentException("queue-latency needs >= 1 busy and idle request, had " + busyRequests
                    + " and " + idleRequests);
        }
        if (dataBytes < 128 * 1024 || dataBytes % (128 * 1024) != 0 || writeBytes < 4096 || writeBytes % 4096 != 0) {
            throw new IllegalArgumentException("the data file must be a multiple of 128 KiB and the write file of"
                    + " 4 KiB, were " + dataBytes + " and " + writeBytes + " bytes");
        }
    }
}
