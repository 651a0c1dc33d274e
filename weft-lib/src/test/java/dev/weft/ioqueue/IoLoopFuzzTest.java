package dev.weft.ioqueue;

import dev.weft.uring.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

import static dev.weft.ioqueue.QueueTesting.AWAIT;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and mutated requests through the real loop, many in flight at once: each completes as
 * the ABI says (a short read at the end of the file, EBADF for a write to a read-only file, the
 * validation codes), the loop serves every good one among the bad, and the guard pages around
 * the destinations are never written.
 */
@Timeout(120)
class IoLoopFuzzTest {

    static final int REQUESTS = 20_000;
    static final int FILE_SIZE = 1 << 20;
    static final int FILE = 7;
    /** Destinations 0..3: 4 KiB each at pages 1, 3, 5, 7 of a region whose even pages are guards. */
    static final int DSTS = 4;
    static final byte GUARD = (byte) 0xC3;

    @TempDir
    Path dir;

    /** What the ABI says a request completes with: {@code {status, result}}. */
    private static int[] expected(int op, int src, int dst, long offset, int bytes) {
        if (op == QueueAbi.OP_FENCE) {
            return new int[] {QueueAbi.STATUS_DONE_OK, 0};
        }
        int code = op != QueueAbi.OP_READ && op != QueueAbi.OP_WRITE ? QueueError.BAD_OP.code()
                : src != FILE ? QueueError.BAD_SRC.code()
                : dst < 0 || dst >= DSTS ? QueueError.BAD_DST.code()
                : bytes == 0 ? QueueError.ZERO_LENGTH.code()
                : Integer.toUnsignedLong(bytes) > 4096 ? QueueError.PAST_DESTINATION.code()
                : offset < 0 || offset > Long.MAX_VALUE - bytes ? QueueError.OFFSET_OVERFLOW.code()
                : op == QueueAbi.OP_WRITE ? QueueError.fromErrno(Errno.EBADF) // the file is opened for reading
                : 0;
        if (code != 0) {
            return new int[] {QueueAbi.STATUS_DONE_ERROR, code};
        }
        return new int[] {QueueAbi.STATUS_DONE_OK, (int) Math.max(0, Math.min(bytes, FILE_SIZE - offset))};
    }

    @Test
    void everyRequestCompletesAsTheAbiSaysAndNothingOutsideTheDestinationsIsWritten() throws Exception {
        Path data = QueueTesting.dataFile(dir, "data", FILE_SIZE);
        SplittableRandom random = new SplittableRandom(Long.getLong("weft.test.seed", 7L));
        try (Arena arena = Arena.ofShared(); IoQueue q = IoQueue.allocate(64)) {
            MemorySegment region = arena.allocate((2L * DSTS + 1) * 4096, 4096);
            region.fill(GUARD);
            Destinations dsts = new Destinations();
            for (int d = 0; d < DSTS; d++) {
                dsts.add(d, region, (2L * d + 1) * 4096, 4096);
            }
            IoLoop loop = IoLoop.start(q, new SourceFiles().add(FILE, data, SourceFiles.Access.READ), dsts);
            try {
                QueueProducer p = q.producer();
                ArrayDeque<long[]> pending = new ArrayDeque<>();
                int good = 0;
                for (int i = 0; i < REQUESTS; i++) {
                    int op = pick(random, new int[] {QueueAbi.OP_READ, QueueAbi.OP_READ, QueueAbi.OP_WRITE,
                            QueueAbi.OP_FENCE, 0, 4, -1});
                    int src = pick(random, new int[] {FILE, FILE, FILE, FILE, 0, 8, -1});
                    int dst = pick(random, new int[] {0, 1, 2, 3, 0, 1, 4, -1});
                    long offset = pick(random, new long[] {random.nextLong(FILE_SIZE), random.nextLong(FILE_SIZE),
                            FILE_SIZE - 10, FILE_SIZE, 1L << 40, Long.MAX_VALUE - 100, -1L});
                    int bytes = pick(random, new int[] {1 + random.nextInt(4096), 1 + random.nextInt(4096), 4096, 0,
                            4097, -1});
                    long ticket = p.publish(op, src, dst, offset, bytes, i);
                    int[] want = expected(op, src, dst, offset, bytes);
                    if (want[0] == QueueAbi.STATUS_DONE_OK && op != QueueAbi.OP_FENCE) {
                        good++;
                    }
                    pending.add(new long[] {ticket, want[0], want[1], i});
                    while (pending.size() > 48) {
                        check(p, pending.poll());
                    }
                }
                while (!pending.isEmpty()) {
                    check(p, pending.poll());
                }
                assertTrue(good >= REQUESTS / 40, "many good requests among the bad: " + good);
                for (long at = 0; at < region.byteSize(); at += 8192) {
                    for (int k = 0; k < 4096; k++) {
                        assertEquals(GUARD, region.get(JAVA_BYTE, at + k), "guard byte at " + (at + k));
                    }
                }
                assertEquals(REQUESTS, loop.stats().claimed());
            } finally {
                assertTrue(loop.stop().isEmpty());
            }
        }
    }

    private static void check(QueueProducer p, long[] pending) throws Exception {
        Completion c = p.await(pending[0], AWAIT);
        int status = c.ok() ? QueueAbi.STATUS_DONE_OK : QueueAbi.STATUS_DONE_ERROR;
        assertEquals(pending[1], status, "request " + pending[3] + ": " + c);
        assertEquals(pending[2], c.result(), "request " + pending[3] + ": " + c);
        assertEquals(pending[3], c.tag());
    }

    private static int pick(SplittableRandom random, int[] values) {
        return values[random.nextInt(values.length)];
    }

    private static long pick(SplittableRandom random, long[] values) {
        return values[random.nextInt(values.length)];
    }
}
