package dev.weft.ioqueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.weft.ioqueue.QueueTesting.AWAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many producer threads on one queue (the protocol of {@link QueueProducer}'s header): every
 * ticket is issued once, every request is served once, and every thread collects exactly its own
 * results; against a stand-in loop that claims with the real claim code (fast, many laps of a
 * small queue), and against the real loop. Against the stand-in, each thread holds up to eight
 * tickets while it publishes more, more than the queue's slots in all: publishers collect done
 * results for their owners instead of waiting for them (before they did, the threads waited for
 * one another for ever).
 */
@Timeout(120)
class QueueProducerStressTest {

    static final int THREADS = 4;

    @TempDir
    Path dir;

    /** Runs {@code body(thread index)} on {@link #THREADS} threads; rethrows the first failure. */
    private static void onThreads(ThrowingIntConsumer body) throws Exception {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int index = i;
            threads.add(Thread.ofPlatform().name("producer-" + i).start(() -> {
                try {
                    body.accept(index);
                } catch (Throwable t) {
                    failed.compareAndSet(null, t);
                }
            }));
        }
        for (Thread t : threads) {
            t.join(AWAIT.toMillis() * 4);
            assertFalse(t.isAlive(), t.getName() + " finished");
        }
        if (failed.get() != null) {
            throw new AssertionError("a producer failed", failed.get());
        }
    }

    interface ThrowingIntConsumer {
        void accept(int i) throws Exception;
    }

    @Test
    void everyThreadCollectsExactlyItsOwnResultsAgainstAStandInLoop() throws Exception {
        int perThread = 50_000;
        try (IoQueue q = IoQueue.allocate(16)) {
            SlotDecoder decoder = new SlotDecoder(new int[0], new int[0], new long[0], new long[0], new int[0]);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong served = new AtomicLong();
            Thread loop = Thread.ofPlatform().name("stand-in-loop").start(() -> {
                long cursor = 0;
                while (!stop.get()) {
                    int slot = (int) cursor & 15;
                    int r = decoder.claim(q, slot);
                    if (r == SlotDecoder.NOT_READY) {
                        Thread.onSpinWait();
                        continue;
                    }
                    int tag = q.word(slot, QueueAbi.WORD_TAG);
                    if (r == SlotDecoder.OK) {
                        q.setWord(slot, QueueAbi.WORD_BYTES, tag * 3);
                        q.setStatusRelease(slot, QueueAbi.STATUS_DONE_OK);
                    } else {
                        q.setWord(slot, QueueAbi.WORD_BYTES, r);
                        q.setStatusRelease(slot, QueueAbi.STATUS_DONE_ERROR);
                    }
                    served.incrementAndGet();
                    cursor++;
                }
            });
            QueueProducer p = q.producer();
            ConcurrentHashMap<Long, Integer> tickets = new ConcurrentHashMap<>();
            try {
                onThreads(t -> {
                    ArrayDeque<long[]> window = new ArrayDeque<>();
                    SplittableRandom random = new SplittableRandom(t);
                    for (int i = 0; i < perThread; i++) {
                        int tag = t << 24 | i;
                        long ticket = p.publish(QueueAbi.OP_FENCE, 0, 0, 0, 0, tag);
                        assertNull(tickets.put(ticket, t), "ticket " + ticket + " issued once");
                        window.add(new long[] {ticket, tag});
                        while (window.size() > 1 + random.nextInt(8)) { // 4 threads x up to 8 held > 16 slots
                            check(p, window.poll());
                        }
                    }
                    while (!window.isEmpty()) {
                        check(p, window.poll());
                    }
                });
            } finally {
                stop.set(true);
                loop.join(AWAIT.toMillis());
            }
            assertEquals((long) THREADS * perThread, tickets.size());
            assertEquals((long) THREADS * perThread, served.get());
            assertEquals((long) THREADS * perThread, p.issued());
            for (int s = 0; s < 16; s++) {
                assertEquals(QueueAbi.STATUS_EMPTY, q.statusAcquire(s), "every slot was collected");
            }
        }
    }

    private static void check(QueueProducer p, long[] ticketAndTag) throws Exception {
        Completion c = p.await(ticketAndTag[0], AWAIT);
        assertTrue(c.ok(), c.toString());
        assertEquals((int) ticketAndTag[1], c.tag(), "the thread's own request: " + c);
        assertEquals((int) ticketAndTag[1] * 3, c.result(), c.toString());
        assertEquals(ticketAndTag[0], c.ticket());
    }

    @Test
    void manyThreadsReadThroughTheRealLoopEachIntoItsOwnDestination() throws Exception {
        int perThread = 2_000;
        int fileSize = 1 << 20;
        Path data = QueueTesting.dataFile(dir, "data", fileSize);
        try (Arena arena = Arena.ofShared(); IoQueue q = IoQueue.allocate(64)) {
            MemorySegment region = arena.allocate(THREADS * 4096L, 4096);
            Destinations dsts = new Destinations();
            for (int t = 0; t < THREADS; t++) {
                dsts.add(t, region, t * 4096L, 4096);
            }
            IoLoop loop = IoLoop.start(q, new SourceFiles().add(1, data, SourceFiles.Access.READ), dsts);
            try {
                QueueProducer p = q.producer();
                onThreads(t -> {
                    SplittableRandom random = new SplittableRandom(100 + t);
                    for (int i = 0; i < perThread; i++) {
                        long offset = random.nextLong(fileSize - 4096);
                        int length = 1 + random.nextInt(4096);
                        Completion c = p.await(p.publish(QueueAbi.OP_READ, 1, t, offset, length, i), AWAIT);
                        assertTrue(c.ok(), c.toString());
                        assertEquals(length, c.bytes());
                        assertEquals(i, c.tag());
                        assertTrue(QueueTesting.holdsPattern(region, t * 4096L, offset, length),
                                "thread " + t + " read " + length + " bytes at " + offset);
                    }
                });
                IoLoopStats stats = loop.stats();
                assertEquals((long) THREADS * perThread, stats.claimed(), stats.toString());
                assertEquals((long) THREADS * perThread, stats.completedOk(), stats.toString());
            } finally {
                assertTrue(loop.stop().isEmpty());
            }
        }
    }

    @Test
    void aTicketIsCollectedOnceAndOnlyAnIssuedOneAtAll() throws Exception {
        try (IoQueue q = IoQueue.allocate(4)) {
            QueueProducer p = q.producer();
            long t = p.publish(QueueAbi.OP_FENCE, 0, 0, 0, 0, 9);
            assertNull(p.poll(t), "not done before a loop serves it");
            q.setWord(0, QueueAbi.WORD_BYTES, 0);
            q.setStatusRelease(0, QueueAbi.STATUS_DONE_OK); // as the loop would

            assertEquals(9, p.poll(t).tag());
            IllegalStateException again = assertThrows(IllegalStateException.class, () -> p.poll(t));
            assertTrue(again.getMessage().contains("collected already"), again.getMessage());
            IllegalArgumentException never = assertThrows(IllegalArgumentException.class, () -> p.poll(5));
            assertTrue(never.getMessage().contains("not issued"), never.getMessage());
        }
    }

    @Test
    void aFullQueueRefusesTryPublishUntilTheLoopCompletesTheSlotsPreviousRequest() {
        try (IoQueue q = IoQueue.allocate(2)) {
            QueueProducer p = q.producer();
            assertEquals(0, p.tryPublish(QueueAbi.OP_FENCE, 0, 0, 0, 0, 0));
            assertEquals(1, p.tryPublish(QueueAbi.OP_FENCE, 0, 0, 0, 0, 0));

            assertEquals(-1, p.tryPublish(QueueAbi.OP_FENCE, 0, 0, 0, 0, 0), "slot 0 is still PUBLISHED");
            q.setStatusRelease(0, QueueAbi.STATUS_CLAIMED); // as the loop would
            assertEquals(-1, p.tryPublish(QueueAbi.OP_FENCE, 0, 0, 0, 0, 0), "slot 0 is still CLAIMED");
        }
    }

    @Test
    void aPublisherKeepsTheDoneResultItsSlotHeldForItsOwner() {
        try (IoQueue q = IoQueue.allocate(2)) {
            QueueProducer p = q.producer();
            long first = p.tryPublish(QueueAbi.OP_FENCE, 0, 0, 0, 0, 41);
            p.tryPublish(QueueAbi.OP_FENCE, 0, 0, 0, 0, 42);
            q.setWord(0, QueueAbi.WORD_BYTES, 0);
            q.setStatusRelease(0, QueueAbi.STATUS_DONE_OK); // as the loop would; nobody has collected it

            long third = p.tryPublish(QueueAbi.OP_FENCE, 0, 0, 0, 0, 43);

            assertEquals(2, third, "the publisher did not wait for the owner of ticket 0 to collect it");
            assertEquals(QueueAbi.STATUS_PUBLISHED, q.statusAcquire(0));
            assertEquals(43, q.word(0, QueueAbi.WORD_TAG));
            Completion kept = p.poll(first);
            assertEquals(new Completion(first, true, 0, 41), kept, "the owner gets its result all the same");
            IllegalStateException again = assertThrows(IllegalStateException.class, () -> p.poll(first));
            assertTrue(again.getMessage().contains("collected already"), again.getMessage());
        }
    }

    @Test
    void aSlotSomethingElseWroteMakesPublishFailNamingIt() {
        try (IoQueue q = IoQueue.allocate(2)) {
            q.setStatusRelease(0, QueueAbi.STATUS_PUBLISHED);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> q.producer().tryPublish(QueueAbi.OP_FENCE, 0, 0, 0, 0, 0));
            assertTrue(e.getMessage().contains("slot 0 is PUBLISHED"), e.getMessage());
        }
    }
}
