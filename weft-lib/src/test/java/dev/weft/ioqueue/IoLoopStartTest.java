package dev.weft.ioqueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import static dev.weft.ioqueue.QueueTesting.AWAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where a loop starts ({@link IoLoop}'s "Where a loop starts", {@code ioqueue.h} STARTING): on a
 * queue file a producer used before, it goes on where the producer is, completes what a dead loop
 * left CLAIMED, and agrees with this process's own producer.
 */
@Timeout(60)
class IoLoopStartTest {

    static final int DATA = 1;
    static final int DST = 0;
    static final int SLOTS = 64;

    @TempDir
    Path dir;

    private final Arena arena = Arena.ofShared();
    private MemorySegment buffer;
    private Path data;
    private Path queueFile;

    @BeforeEach
    void makeFiles() throws IOException {
        data = QueueTesting.dataFile(dir, "data", 1 << 16);
        buffer = arena.allocate(4096, 4096);
        queueFile = dir.resolve("queue");
    }

    @AfterEach
    void free() {
        arena.close();
    }

    private IoLoop start(IoQueue q) throws IoLoopException {
        return IoLoop.start(q, new SourceFiles().add(DATA, data, SourceFiles.Access.READ),
                new Destinations().add(DST, buffer));
    }

    /** A read of 16 bytes at {@code 16 * slot} into slot {@code slot}, raw (as another process would). */
    private static void publishRead(IoQueue q, int slot) {
        q.publish(slot, QueueAbi.OP_READ, DATA, DST, 16L * slot, 16, slot);
    }

    /** The queue file as a producer left it after a lap: slots before {@code head} done and collected. */
    private void producerRanBefore(int head) throws IOException {
        try (IoQueue before = IoQueue.map(queueFile, SLOTS)) {
            for (int slot = 0; slot < head; slot++) {
                before.setWord(slot, QueueAbi.WORD_BYTES, 16);
                before.setStatusRelease(slot, slot % 2 == 0 ? QueueAbi.STATUS_EMPTY : QueueAbi.STATUS_DONE_OK);
            }
        }
    }

    private static void assertReadDone(IoQueue q, int slot) throws Exception {
        assertEquals(QueueAbi.STATUS_DONE_OK, QueueTesting.awaitDone(q, slot), "slot " + slot);
        assertEquals(16, q.word(slot, QueueAbi.WORD_BYTES), "slot " + slot + "'s bytes");
    }

    @Test
    void aLoopOnAFileAProducerUsedBeforeStartsAtTheOldestPublishedSlot() throws Exception {
        producerRanBefore(17);
        try (IoQueue q = IoQueue.map(queueFile, SLOTS)) {
            publishRead(q, 17);
            publishRead(q, 18);
            IoLoop loop = start(q);
            try {
                assertReadDone(q, 17);
                assertReadDone(q, 18);
            } finally {
                assertTrue(loop.stop().isEmpty());
            }
            assertEquals(2, loop.stats().claimed(), loop.stats().toString());
            assertEquals(QueueAbi.STATUS_DONE_OK, q.statusAcquire(1), "a done slot of the last lap is left alone");
        }
    }

    @Test
    void slotsADeadLoopLeftClaimedCompleteLoopDiedBeforeStartReturns() throws Exception {
        producerRanBefore(15);
        try (IoQueue q = IoQueue.map(queueFile, SLOTS)) {
            q.setStatusRelease(15, QueueAbi.STATUS_CLAIMED); // claimed by a loop that died
            q.setStatusRelease(16, QueueAbi.STATUS_CLAIMED);
            publishRead(q, 17);
            IoLoop loop = start(q);
            try {
                for (int slot : new int[] {15, 16}) {
                    assertEquals(QueueAbi.STATUS_DONE_ERROR, q.statusAcquire(slot), "slot " + slot);
                    assertEquals(QueueError.LOOP_DIED.code(), q.word(slot, QueueAbi.WORD_BYTES), "slot " + slot);
                }
                assertReadDone(q, 17);
            } finally {
                assertTrue(loop.stop().isEmpty());
            }
            assertEquals(2, loop.stats().errors(QueueError.LOOP_DIED), loop.stats().toString());
        }
    }

    @Test
    void aRunOfPublishedSlotsThatWrapsAroundIsServedFromItsFirstSlot() throws Exception {
        producerRanBefore(62);
        try (IoQueue q = IoQueue.map(queueFile, SLOTS)) {
            for (int slot : new int[] {62, 63, 0, 1}) {
                publishRead(q, slot);
            }
            IoLoop loop = start(q);
            try {
                for (int slot : new int[] {62, 63, 0, 1}) {
                    assertReadDone(q, slot);
                }
            } finally {
                assertTrue(loop.stop().isEmpty());
            }
        }
    }

    @Test
    void withNothingPublishedTheLoopStartsAtTheFirstPublicationItSees() throws Exception {
        producerRanBefore(17);
        try (IoQueue q = IoQueue.map(queueFile, SLOTS); IoQueue producer = IoQueue.map(queueFile, SLOTS)) {
            IoLoop loop = start(q);
            try {
                publishRead(producer, 17); // another process's mapping, after the loop started
                publishRead(producer, 18);
                assertReadDone(producer, 17);
                assertReadDone(producer, 18);
            } finally {
                assertTrue(loop.stop().isEmpty());
            }
        }
    }

    @Test
    void onALargeQueueAnIdleLoopFindsAPublicationFarFromWhereItLooksFirst() throws Exception {
        int slots = 4096;
        try (IoQueue created = IoQueue.map(queueFile, slots)) {
            assertEquals(0, created.position(), "a new file starts at slot 0");
        }
        try (IoQueue q = IoQueue.map(queueFile, slots); IoQueue producer = IoQueue.map(queueFile, slots)) {
            IoLoop loop = start(q);
            try {
                publishRead(producer, 3001); // scanned a few slots per poll, so found many polls later
                publishRead(producer, 3002);
                assertReadDone(producer, 3001);
                assertReadDone(producer, 3002);
            } finally {
                assertTrue(loop.stop().isEmpty());
            }
            assertEquals(3003, q.position());
        }
    }

    @Test
    void aLoopStoppedBeforeItFoundItsPositionLeavesItToTheNext() throws Exception {
        producerRanBefore(9);
        try (IoQueue q = IoQueue.map(queueFile, SLOTS)) {
            assertTrue(start(q).stop().isEmpty());
            assertEquals(IoQueue.UNKNOWN, q.position());

            publishRead(q, 9);
            IoLoop loop = start(q);
            try {
                assertReadDone(q, 9);
            } finally {
                assertTrue(loop.stop().isEmpty());
            }
            assertEquals(10, q.position(), "the next loop starts after slot 9");
        }
    }

    @Test
    void thisProcesssProducerFixesThePositionForALoopThatStartedFirst() throws Exception {
        producerRanBefore(0);
        try (IoQueue q = IoQueue.map(queueFile, SLOTS)) {
            IoLoop loop = start(q); // nothing published: it waits for the first publication
            try {
                QueueProducer p = q.producer();
                assertEquals(0, p.firstTicket());
                for (int i = 0; i < 3 * SLOTS; i++) { // several laps from slot 0
                    Completion c = p.await(p.publish(QueueAbi.OP_READ, DATA, DST, 16L * i, 16, i), AWAIT);
                    assertTrue(c.ok(), c.toString());
                    assertEquals(i, c.tag());
                }
            } finally {
                assertTrue(loop.stop().isEmpty());
            }
        }
    }

    @Test
    void aProducerMadeAfterALoopStoppedStartsWhereTheLoopStopped() throws Exception {
        try (IoQueue q = IoQueue.allocate(8)) {
            IoLoop first = start(q);
            for (int slot = 0; slot < 3; slot++) {
                publishRead(q, slot); // a raw producer, then gone
                assertReadDone(q, slot);
                q.setStatusRelease(slot, QueueAbi.STATUS_EMPTY);
            }
            assertTrue(first.stop().isEmpty());

            QueueProducer p = q.producer();
            IoLoop second = start(q);
            try {
                long ticket = p.publish(QueueAbi.OP_READ, DATA, DST, 0, 16, 42);
                assertEquals(3, ticket, "the ticket is the queue's position");
                assertEquals(3, p.firstTicket());
                Completion c = p.await(ticket, AWAIT);
                assertTrue(c.ok(), c.toString());
                assertEquals(42, c.tag());
                assertEquals(1, p.issued());
            } finally {
                assertTrue(second.stop().isEmpty());
            }
        }
    }
}
