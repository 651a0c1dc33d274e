package dev.weft.ioqueue;

import dev.weft.uring.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.weft.ioqueue.QueueTesting.AWAIT;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loop on this machine's io_uring: what lands where, fences, bad slots, stop. */
@Timeout(60)
class IoLoopTest {

    static final int FILE_SIZE = 1 << 20;
    static final int DATA = 1;
    static final int WRITABLE = 2;
    /** Destination 0: page 1 of a three-page region whose pages 0 and 2 are guards. */
    static final int DST = 0;
    static final int DST2 = 1;
    static final byte GUARD = (byte) 0xA5;

    @TempDir
    Path dir;

    private final Arena arena = Arena.ofShared();
    private MemorySegment region;
    private MemorySegment second;
    private IoQueue queue;
    private IoLoop loop;
    private Path data;
    private Path writable;

    @BeforeEach
    void start() throws Exception {
        data = QueueTesting.dataFile(dir, "data", FILE_SIZE);
        writable = Files.write(dir.resolve("writable"), new byte[FILE_SIZE]);
        region = arena.allocate(3 * 4096, 4096);
        region.fill(GUARD);
        second = arena.allocate(4096, 4096);
        queue = IoQueue.allocate(64);
        loop = IoLoop.start(queue,
                new SourceFiles().add(DATA, data, SourceFiles.Access.READ).add(WRITABLE, writable, SourceFiles.Access.READ_WRITE),
                new Destinations().add(DST, region, 4096, 4096).add(DST2, second));
    }

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.stop();
        }
        queue.close();
        arena.close();
    }

    private Completion run(int op, int src, int dst, long offset, int bytes) throws Exception {
        QueueProducer p = queue.producer();
        return p.await(p.publish(op, src, dst, offset, bytes, 77), AWAIT);
    }

    private boolean guardsIntact() {
        for (long i = 0; i < 4096; i++) {
            if (region.get(JAVA_BYTE, i) != GUARD || region.get(JAVA_BYTE, 8192 + i) != GUARD) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aReadLandsAtTheDestinationsBase() throws Exception {
        Completion c = run(QueueAbi.OP_READ, DATA, DST, 8192 + 3, 4096);

        assertTrue(c.ok(), c.toString());
        assertEquals(4096, c.bytes());
        assertEquals(77, c.tag());
        assertTrue(QueueTesting.holdsPattern(region, 4096, 8192 + 3, 4096));
        assertTrue(guardsIntact());
    }

    @Test
    void aWriteGoesFromTheDestinationsBaseToTheFileOffset() throws Exception {
        for (int i = 0; i < 512; i++) {
            second.set(JAVA_BYTE, i, (byte) (i ^ 0x3c));
        }
        Completion c = run(QueueAbi.OP_WRITE, WRITABLE, DST2, 100_000, 512);

        assertTrue(c.ok(), c.toString());
        assertEquals(512, c.bytes());
        byte[] file = Files.readAllBytes(writable);
        for (int i = 0; i < 512; i++) {
            assertEquals((byte) (i ^ 0x3c), file[100_000 + i], "byte " + i);
        }
        assertEquals(0, file[100_000 - 1]);
        assertEquals(0, file[100_000 + 512]);
    }

    @Test
    void aReadPastTheEndOfTheFileIsDoneOkWithTheBytesThereWere() throws Exception {
        Completion shortRead = run(QueueAbi.OP_READ, DATA, DST, FILE_SIZE - 100, 4096);
        Completion atEnd = run(QueueAbi.OP_READ, DATA, DST, FILE_SIZE, 4096);

        assertTrue(shortRead.ok(), shortRead.toString());
        assertEquals(100, shortRead.bytes());
        assertTrue(atEnd.ok(), atEnd.toString());
        assertEquals(0, atEnd.bytes());
    }

    @Test
    void aFenceCompletesOnlyAfterEveryRequestBeforeIt() throws Exception {
        QueueProducer p = queue.producer();
        List<Long> before = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            before.add(p.publish(QueueAbi.OP_READ, DATA, DST2, i * 4096L, 4096, i));
        }
        long fence = p.publish(QueueAbi.OP_FENCE, 0, 0, 0, 0, -1);

        Completion f = p.await(fence, AWAIT);

        assertTrue(f.ok(), f.toString());
        assertEquals(0, f.bytes());
        for (long t : before) {
            assertNotNull(p.poll(t), "ticket " + t + " before the fence was done when the fence was");
        }
    }

    @Test
    void aReadAfterAFenceSeesTheWriteBeforeIt() throws Exception {
        QueueProducer p = queue.producer();
        for (int i = 0; i < 4096; i++) {
            second.set(JAVA_BYTE, i, (byte) (255 - (i & 0xff)));
        }
        long write = p.publish(QueueAbi.OP_WRITE, WRITABLE, DST2, 65536, 4096, 1);
        long fence = p.publish(QueueAbi.OP_FENCE, 0, 0, 0, 0, 2);
        long read = p.publish(QueueAbi.OP_READ, WRITABLE, DST, 65536, 4096, 3);

        assertTrue(p.await(write, AWAIT).ok());
        assertTrue(p.await(fence, AWAIT).ok());
        assertTrue(p.await(read, AWAIT).ok());
        assertArrayEquals(second.toArray(JAVA_BYTE), region.asSlice(4096, 4096).toArray(JAVA_BYTE));
    }

    @Test
    void badSlotsCompleteWithTheirCodeWhileTheLoopServesEveryOtherSlot() throws Exception {
        QueueProducer p = queue.producer();
        int[][] bad = {
            {9, DATA, DST, 0, 16, QueueError.BAD_OP.code()},
            {QueueAbi.OP_READ, 5, DST, 0, 16, QueueError.BAD_SRC.code()},
            {QueueAbi.OP_READ, DATA, 7, 0, 16, QueueError.BAD_DST.code()},
            {QueueAbi.OP_READ, DATA, DST, 0, 0, QueueError.ZERO_LENGTH.code()},
            {QueueAbi.OP_READ, DATA, DST, 0, 4097, QueueError.PAST_DESTINATION.code()},
            {QueueAbi.OP_WRITE, WRITABLE, DST, -1, 16, QueueError.OFFSET_OVERFLOW.code()},
        };
        List<long[]> tickets = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int[] b : bad) {
                long offset = b[3] == -1 ? Long.MAX_VALUE - 8 : b[3];
                tickets.add(new long[] {p.publish(b[0], b[1], b[2], offset, b[4], b[5]), b[5]});
                tickets.add(new long[] {p.publish(QueueAbi.OP_READ, DATA, DST, 4096L * round, 4096, 0), 0});
            }
        }
        for (long[] t : tickets) {
            Completion c = p.await(t[0], AWAIT);
            if (t[1] == 0) {
                assertTrue(c.ok(), "a good read between bad slots: " + c);
                assertEquals(4096, c.bytes());
            } else {
                assertFalse(c.ok(), c.toString());
                assertEquals(t[1], c.errorCode(), c.toString());
            }
        }
        assertTrue(guardsIntact(), "nothing was written outside the destination");
        IoLoopStats stats = loop.stats();
        for (int[] b : bad) {
            assertEquals(3, stats.errorsByCode().get(b[5]), stats.toString());
        }
        assertEquals(18, stats.completedOk(), stats.toString());
        assertEquals(18, stats.completedError(), stats.toString());
        assertEquals(36, stats.claimed(), stats.toString());
    }

    @Test
    void aSlotWhoseStatusIsNotPublishedCompletesNotPublishedAndTheNextIsServed() throws Exception {
        loop.stop();
        loop = null;
        try (IoQueue raw = IoQueue.allocate(4)) {
            raw.setWord(0, QueueAbi.WORD_OP, QueueAbi.OP_READ);
            raw.setStatusRelease(0, 0x42);
            raw.setStatusRelease(1, QueueAbi.STATUS_CLAIMED); // a producer may not write CLAIMED
            raw.publish(2, QueueAbi.OP_READ, DATA, DST2, 0, 4096, 5);
            IoLoop l = IoLoop.start(raw, new SourceFiles().add(DATA, data, SourceFiles.Access.READ),
                    new Destinations().add(DST2, second));
            try {
                assertEquals(QueueAbi.STATUS_DONE_OK, QueueTesting.awaitDone(raw, 2));
                assertEquals(4096, raw.word(2, QueueAbi.WORD_BYTES));
                assertEquals(5, raw.word(2, QueueAbi.WORD_TAG), "the loop never touches the tag");
                for (int slot : new int[] {0, 1}) {
                    assertEquals(QueueAbi.STATUS_DONE_ERROR, raw.statusAcquire(slot));
                    assertEquals(QueueError.NOT_PUBLISHED.code(), raw.word(slot, QueueAbi.WORD_BYTES));
                }
            } finally {
                assertTrue(l.stop().isEmpty());
            }
        }
    }

    @Test
    void aReadFromAFileOpenedForWritingFailsWithEbadfAndTheLoopGoesOn() throws Exception {
        loop.stop();
        loop = null;
        try (IoQueue q = IoQueue.allocate(8)) {
            IoLoop l = IoLoop.start(q, new SourceFiles().add(3, writable, SourceFiles.Access.WRITE)
                    .add(DATA, data, SourceFiles.Access.READ), new Destinations().add(DST2, second));
            try {
                QueueProducer p = q.producer();
                Completion failed = p.await(p.publish(QueueAbi.OP_READ, 3, DST2, 0, 4096, 0), AWAIT);
                Completion next = p.await(p.publish(QueueAbi.OP_READ, DATA, DST2, 0, 4096, 0), AWAIT);

                assertFalse(failed.ok(), failed.toString());
                assertEquals(QueueError.fromErrno(Errno.EBADF), failed.errorCode(), failed.toString());
                assertTrue(next.ok(), next.toString());
                assertEquals(1, l.stats().errorsByCode().get(QueueError.fromErrno(Errno.EBADF)));
            } finally {
                assertTrue(l.stop().isEmpty());
            }
        }
    }

    @Test
    void anIdleLoopParks() throws Exception {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (loop.stats().idleParks() == 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        assertTrue(loop.stats().idleParks() > 0, loop.stats().toString());
        assertEquals(0, loop.stats().inFlight());
    }

    @Test
    void stopEndsTheThreadAndASecondStopReturnsTheSame() {
        assertTrue(loop.isRunning());
        assertTrue(loop.stop().isEmpty());
        assertFalse(loop.isRunning());
        assertTrue(loop.stop().isEmpty());
    }

    @Test
    void aQueueIsServedByOneLoopAtATime() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> IoLoop.start(queue, new SourceFiles(), new Destinations()));
        assertTrue(e.getMessage().contains("stop that loop first"), e.getMessage());
    }

    @Test
    void aQueueServedByALoopRefusesToCloseUntilTheLoopStops() {
        IllegalStateException e = assertThrows(IllegalStateException.class, queue::close);
        assertTrue(e.getMessage().contains("stop the loop before closing the queue"), e.getMessage());

        loop.stop();
        loop = null;
        queue.close();
        assertFalse(queue.memory().scope().isAlive(), "the queue's memory is freed");
    }

    @Test
    void aLaterLoopGoesOnFromWhereTheLastStopped() throws Exception {
        QueueProducer p = queue.producer();
        for (int i = 0; i < 5; i++) {
            assertTrue(p.await(p.publish(QueueAbi.OP_READ, DATA, DST2, 0, 16, i), AWAIT).ok());
        }
        loop.stop();
        loop = IoLoop.start(queue, new SourceFiles().add(DATA, data, SourceFiles.Access.READ),
                new Destinations().add(DST2, second));

        Completion c = p.await(p.publish(QueueAbi.OP_READ, DATA, DST2, 4096, 16, 5), AWAIT);

        assertTrue(c.ok(), c.toString());
        assertTrue(QueueTesting.holdsPattern(second, 0, 4096, 16));
    }
}
